#!/bin/sh
# make test-cluster: the README's "Across machines" recipes, run as they are written, on this
# one machine. As root it installs Slurm, munge, GNU parallel and an ssh server from Debian
# (their services are not started by the install), starts munged, a one-node Slurm and an sshd
# on 127.0.0.1 with all their state in one temp folder, then runs the README's GNU parallel
# block (three ssh logins to 127.0.0.1, one shard each) and its Slurm block (a job array, then
# `pcap2report index`) exactly as README.md shows them, setting only the variables the README
# names (IN, OUT, HOSTS, N). The captures are the samples, copies in subfolders and one cut
# short (a failed shard must not stop the index). Each engine writes its own output folder;
# the merged index.json and every report must be the same bytes as one machine's run.
# Every daemon is stopped and the temp folder removed on exit, failure or Ctrl-C; every wait
# has a timeout. Usage (as root): sh tests/cluster.sh build/pcap2report
# The last line is "cluster: N passed, M failed"; exit 1 when a step or a check failed.
set -u

program=${1:-build/pcap2report}
top=$(cd "$(dirname "$0")/.." && pwd)
case $program in /*) ;; *) program=$(pwd)/$program ;; esac
started=$(date +%s)

say() { echo "cluster: $*"; }
die() { echo "cluster: FAILED: $*" >&2; failed=$((failed + 1)); exit 1; }
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
elapsed() { echo $(($(date +%s) - started)); }

[ "$(id -u)" -eq 0 ] || { echo "cluster: must run as root (it starts munged, slurmctld, slurmd and sshd)" >&2; exit 1; }
[ -x "$program" ] || { echo "cluster: no program at $program (make first)" >&2; exit 1; }

# --- The README's two blocks, read first so that a missing one fails before anything starts.
# block NAME: the README's fenced sh block after the marker comment naming NAME.
block() {
    awk -v marker="<!-- make test-cluster runs the next block as it is (tests/cluster.sh): $1 -->" '
        $0 == marker { armed = 1; next }
        armed && !inside && /^```sh$/ { inside = 1; next }
        inside && /^```$/ { exit }
        inside { print }' "$top/README.md"
}
usable() {  # usable NAME TEXT: the block is there and names no path of its own
    [ -n "$2" ] || { echo "cluster: README.md has no block marked for test-cluster: $1" >&2; exit 1; }
    # A path written out in a block would be written to as root here; the README's variables only.
    case $2 in *"/shared"*) echo "cluster: README.md's $1 block names /shared instead of \$IN/\$OUT" >&2; exit 1 ;; esac
}
parallel_block=$(block parallel); usable parallel "$parallel_block"
slurm_block=$(block slurm); usable slurm "$slurm_block"

# --- Packages. A Debian package's install starts its service unless a policy-rc.d says no
# (Docker images have one); without one, a temporary one keeps sshd, munged and slurmd from
# starting at install time on this machine.
policy=/usr/sbin/policy-rc.d made_policy=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# made by pcap2report tests/cluster.sh for one install\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    made_policy=yes
    trap 'rm -f "$policy"; exit 130' INT TERM HUP
fi
sh "$top/scripts/install-deps.sh" slurmctld slurmd slurm-client munge parallel openssh-server
rc=$?
[ -n "$made_policy" ] && rm -f "$policy"
trap - INT TERM HUP
[ $rc -eq 0 ] || { echo "cluster: installing the packages failed" >&2; exit 1; }
installed=$(date +%s)

# --- The temp folder, and the clean-up that every way out runs.
tmp=$(mktemp -d /tmp/pcap2report-cluster.XXXXXX) || exit 1
chmod 755 "$tmp"            # munged wants every folder above its socket searchable by all
# Every daemon and README block this script starts carries this variable (sshd passes it to its
# sessions, Slurm to its jobs), so that the clean-up finds and ends any process that outlived
# the daemon that started it.
mark="PCAP2REPORT_CLUSTER_TEST=$tmp"
pids="" made_run_sshd="" bg=""

stop_pid() {  # stop_pid PID NAME: TERM, up to 10 s to end, then KILL
    kill -0 "$1" 2>/dev/null || return 0
    kill "$1" 2>/dev/null
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.25; i=$((i + 1)); done
    if kill -0 "$1" 2>/dev/null; then echo "cluster: $2 (pid $1) did not stop; killing it" >&2; kill -9 "$1" 2>/dev/null; fi
}

cleanup() {
    rc=$?
    trap - EXIT INT TERM HUP
    [ -n "$bg" ] && stop_pid "$bg" "a step still running"
    if [ -n "${SLURM_CONF:-}" ] && [ -e "$SLURM_CONF" ]; then
        timeout 10 scancel --quiet --user=root 2>/dev/null
        timeout 10 scontrol shutdown 2>/dev/null
    fi
    for p in $pids; do stop_pid "${p%%:*}" "${p#*:}"; done
    # Anything of ours still alive (a job step, an ssh session): by its marked environment.
    for d in /proc/[0-9]*; do
        p=${d#/proc/}
        [ "$p" = $$ ] && continue
        if { tr '\0' '\n' < "$d/environ"; } 2>/dev/null | grep -qxF "$mark"; then
            echo "cluster: ending leftover process $p ($(tr '\0' ' ' < "$d/cmdline" 2>/dev/null))" >&2
            kill -9 "$p" 2>/dev/null
        fi
    done
    [ -n "$made_run_sshd" ] && rmdir /run/sshd 2>/dev/null
    if [ $rc -ne 0 ] || [ $failed -ne 0 ]; then
        for log in munge/munged.log slurm/slurmctld.log slurm/slurmd.log slurm/jobcomp.log ssh/sshd.log \
                   single.err run-parallel/out run-slurm/out run-slurm/slurm-*.out; do
            for f in "$tmp"/$log; do
                [ -s "$f" ] || continue
                echo "--- last lines of ${f#"$tmp"/}" >&2
                tail -n 15 "$f" >&2
            done
        done
    fi
    rm -rf "$tmp"
    say "$passed passed, $failed failed"
    [ $rc -ne 0 ] || [ $failed -eq 0 ] || rc=1
    exit $rc
}
trap cleanup EXIT
trap 'echo "cluster: interrupted" >&2; failed=$((failed + 1)); exit 130' INT TERM HUP

# bounded SECS WHAT STATUS CMD...: runs CMD in the background under a timeout and waits for
# it, so that Ctrl-C is handled at once; fails the test when CMD times out or exits with
# another status than STATUS.
bounded() {
    secs=$1 what=$2 want=$3; shift 3
    timeout -k 5 "$secs" "$@" &
    bg=$!
    wait $bg
    rc=$? bg=""
    [ $rc -eq 124 ] && die "$what: timed out after $secs s"
    [ $rc -eq "$want" ] || die "$what: exit status $rc, not $want"
}

# daemon NAME CMD...: starts a daemon in the foreground mode of its own, in the background,
# marked, and with a lifetime that ends it even if this script is killed outright.
daemon() {
    name=$1; shift
    env "$mark" timeout -k 5 1200 "$@" &
    pids="$!:$name $pids"       # stopped last to first
}

# until_ok SECS WHAT CMD...: polls CMD every quarter second until it succeeds.
until_ok() {
    secs=$1 what=$2; shift 2
    i=0
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -gt $((secs * 4)) ] && die "$what: not ready after $secs s"
        sleep 0.25
    done
}

free_ports() {  # free_ports N: N TCP ports nothing listens on now
    python3 -c 'import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}
# shellcheck disable=SC2046  # three numbers, split on purpose
set -- $(free_ports 3)
[ $# -eq 3 ] || die "could not find 3 free TCP ports"
ssh_port=$1 ctld_port=$2 slurmd_port=$3

# The README's `pcap2report`: the program under test, first on PATH here and in ssh sessions.
mkdir -p "$tmp/bin"
ln -s "$program" "$tmp/bin/pcap2report"
PATH=$tmp/bin:$PATH
export PATH

# --- munge: a key of its own, socket, log, pid and seed in the temp folder.
mkdir -p "$tmp/munge" "$tmp/munge-socket"
chmod 700 "$tmp/munge"
mungekey -c -k "$tmp/munge/munge.key" || die "mungekey failed"
msock=$tmp/munge-socket/socket
daemon munged munged -F --socket="$msock" --key-file="$tmp/munge/munge.key" \
    --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" 2>"$tmp/munge/munged.log"
until_ok 10 "munged" munge -S "$msock" -n

# --- Slurm: one node. The README's array asks 4 CPUs per task; the node declares 8
# (config_overrides: trusted over the 2 cores found), so two tasks run at a time.
host=$(uname -n); host=${host%%.*}
mkdir -p "$tmp/slurm/state" "$tmp/slurm/spool"
SLURM_CONF=$tmp/slurm/slurm.conf
export SLURM_CONF
cat > "$SLURM_CONF" <<EOF
# made by pcap2report tests/cluster.sh
ClusterName=pcap2report-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$msock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/slurm/state
SlurmdSpoolDir=$tmp/slurm/spool
SlurmctldPidFile=$tmp/slurm/slurmctld.pid
SlurmdPidFile=$tmp/slurm/slurmd.pid
SlurmctldLogFile=$tmp/slurm/slurmctld.log
SlurmdLogFile=$tmp/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$tmp/slurm/jobcomp.log
MailProg=/bin/true
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
MinJobAge=5
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=pcap2report-node NodeHostname=$host NodeAddr=127.0.0.1 CPUs=8 State=UNKNOWN
PartitionName=test Nodes=pcap2report-node Default=YES MaxTime=10 State=UP
EOF
daemon slurmctld slurmctld -D >"$tmp/slurm/slurmctld.out" 2>&1
daemon slurmd slurmd -D -N pcap2report-node >"$tmp/slurm/slurmd.out" 2>&1
node_idle() { [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; }
until_ok 30 "the Slurm node" node_idle

# --- sshd on 127.0.0.1: host and user keys in the temp folder, no system configuration read.
# Its sessions get PATH (for `pcap2report`), the marker, and a HOME in the temp folder, so that
# the login shell reads no ~/.bashrc of this machine's (and so changes nothing in ~).
# /run/sshd is compiled in.
[ -d /run/sshd ] || { mkdir -m 755 /run/sshd && made_run_sshd=yes; }
mkdir -p "$tmp/ssh" "$tmp/ssh-home"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/ssh/host_key" || die "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/ssh/user_key" || die "ssh-keygen failed"
cp "$tmp/ssh/user_key.pub" "$tmp/ssh/authorized_keys"
daemon sshd /usr/sbin/sshd -D -e -f /dev/null -p "$ssh_port" -o ListenAddress=127.0.0.1 \
    -h "$tmp/ssh/host_key" -o PidFile="$tmp/ssh/sshd.pid" \
    -o AuthorizedKeysFile="$tmp/ssh/authorized_keys" -o StrictModes=no \
    -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o UsePAM=no \
    -o PermitUserRC=no -o "SetEnv=PATH=$PATH HOME=$tmp/ssh-home $mark" 2>"$tmp/ssh/sshd.log"
# The README's three hosts are three names for this machine (StrictModes=no: /tmp is
# world-writable).
cat > "$tmp/ssh/config" <<EOF
Host host1 host2 host3
    HostName 127.0.0.1
    Port $ssh_port
    User root
    IdentityFile $tmp/ssh/user_key
    IdentitiesOnly yes
    StrictHostKeyChecking no
    UserKnownHostsFile /dev/null
    LogLevel ERROR
    BatchMode yes
    ConnectTimeout 10
EOF
until_ok 10 "sshd" ssh -F "$tmp/ssh/config" host1 true
say "munged, Slurm and sshd up in $(elapsed) s ($((installed - started)) s of it installing)"

printf '%s\n' "$parallel_block" > "$tmp/parallel.sh"
printf '%s\n' "$slurm_block" > "$tmp/slurm.sh"

# --- The captures: the samples, copies under subfolders (one name twice), and one hand-in cut
# short inside its header, which fails: the README's recipes go on past a failed shard.
IN=$tmp/hand-ins
mkdir -p "$IN/alice" "$IN/bob/deep"
cp "$top"/samples/*.pcap "$top"/samples/*.pcapng "$IN/"
cp "$top/samples/four-way.pcap" "$IN/alice/capture.pcap"
cp "$top/samples/merged-fin.pcap" "$IN/bob/capture.pcap"
cp "$top/samples/pcapng.pcapng" "$IN/bob/deep/trace.pcapng"
head -c 20 "$top/samples/reuse.pcap" > "$IN/bob/cut.pcap"
inputs=$(find "$IN" -type f | wc -l)

# One machine, everything: the reference (exit 1: the cut capture).
bounded 120 "the single-machine run" 1 pcap2report -q -o "$tmp/single" "$IN" 2>"$tmp/single.err"

# compare OUT SHARDS ENGINE: OUT must hold the single run's index.json and reports, byte for
# byte, the shards' indexes, and nothing else.
compare() {
    out=$1 n=$2 engine=$3
    if cmp -s "$tmp/single/index.json" "$out/index.json"; then ok; else bad "$engine: index.json differs from the single-machine one"; fi
    (cd "$tmp/single" && find . -type f ! -name 'index.*' | sort) > "$tmp/reports"
    count=$(wc -l < "$tmp/reports")
    if [ "$count" -eq $(((inputs - 1) * 2)) ]; then ok; else bad "single run: $count reports for $inputs inputs, one failed"; fi
    differ=0
    while read -r f; do
        cmp -s "$tmp/single/$f" "$out/$f" && continue
        differ=$((differ + 1))
        [ $differ -le 5 ] && echo "  $engine: ${f#./} missing or different"
    done < "$tmp/reports"
    if [ $differ -eq 0 ]; then ok; else bad "$engine: $differ of $count reports missing or different"; fi
    k=1
    while [ $k -le "$n" ]; do
        echo "./index.shard-$k-of-$n.json" >> "$tmp/reports"
        k=$((k + 1))
    done
    printf './index.json\n./index.pdf\n' >> "$tmp/reports"
    sort "$tmp/reports" > "$tmp/reports-sorted"
    extra=$(cd "$out" && find . -type f | sort | comm -13 "$tmp/reports-sorted" -)
    if [ -z "$extra" ]; then ok; else bad "$engine: unexpected files: $extra"; fi
    missing=$(cd "$out" && find . -type f | sort | comm -23 "$tmp/reports-sorted" - | grep -c shard)
    if [ "$missing" -eq 0 ]; then ok; else bad "$engine: $missing of the $n shard indexes missing"; fi
    # pcap2report index writes no index.pdf yet (issue 18); once it does, it must match too.
    if [ -e "$out/index.pdf" ]; then
        if cmp -s "$tmp/single/index.pdf" "$out/index.pdf"; then ok; else bad "$engine: index.pdf differs"; fi
    fi
}

# run_block NAME SECS VAR=VALUE...: the README's block run by sh as a user types it (a line
# runs even when the one before failed), in a folder of its own, with these variables set.
# Its status is its last command's: `pcap2report index` or `sbatch`.
run_block() {
    name=$1 secs=$2; shift 2
    mkdir -p "$tmp/run-$name"
    (cd "$tmp/run-$name" && exec env "$mark" "$@" timeout -k 5 "$secs" sh "$tmp/$name.sh" > out 2>&1) &
    bg=$!
    wait $bg
    rc=$? bg=""
    [ $rc -eq 124 ] && die "the README's $name block: timed out after $secs s"
    [ $rc -eq 0 ] || die "the README's $name block: exit status $rc"
}

# --- GNU parallel over ssh. PARALLEL adds a job log, read below to see that each shard ran
# on its own host and only the shard with the cut capture exited 1; PARALLEL_HOME keeps
# parallel's files out of ~.
t0=$(date +%s)
run_block parallel 120 IN="$IN" OUT="$tmp/out-parallel" HOSTS=host1,host2,host3 N=3 \
    PARALLEL_HOME="$tmp/parallel-home" PARALLEL_SSH="ssh -F $tmp/ssh/config" \
    PARALLEL="--joblog $tmp/run-parallel/joblog"
say "GNU parallel over ssh: $(($(date +%s) - t0)) s"
hosts=$(awk -F '\t' 'NR > 1 { print $2 }' "$tmp/run-parallel/joblog" | sort | tr '\n' ' ')
if [ "$hosts" = "host1 host2 host3 " ]; then ok; else bad "GNU parallel: the shards ran on '$hosts', not on host1 host2 host3"; fi
codes=$(awk -F '\t' 'NR > 1 { print $7 }' "$tmp/run-parallel/joblog" | sort | tr '\n' ' ')
if [ "$codes" = "0 0 1 " ]; then ok; else bad "GNU parallel: the shards' exit statuses are '$codes', not 0 0 1"; fi
compare "$tmp/out-parallel" 3 "GNU parallel"

# --- Slurm: the README's block submits; then wait until the queue is empty and read the job
# completion log: 8 array tasks, one of them failed with status 1 (the cut capture), and the
# index job, run all the same and completed.
t0=$(date +%s)
run_block slurm 60 IN="$IN" OUT="$tmp/out-slurm"
queue_empty() { q=$(squeue -h 2>/dev/null) && [ -z "$q" ]; }
until_ok 180 "the Slurm jobs" queue_empty
say "Slurm job array and index: $(($(date +%s) - t0)) s"
jobs_like() { n=$(grep -c "$1" "$tmp/slurm/jobcomp.log" 2>/dev/null); echo "${n:-0}"; }
tasks=$(jobs_like 'Name=pcap2report .*ArrayTaskId=')
tasks_ok=$(jobs_like 'Name=pcap2report JobState=COMPLETED .*ArrayTaskId=.* ExitCode=0:0')
tasks_failed=$(jobs_like 'Name=pcap2report JobState=FAILED .*ArrayTaskId=.* ExitCode=1:0')
index_ok=$(jobs_like 'Name=wrap JobState=COMPLETED .* ExitCode=0:0')
if [ "$tasks" -eq 8 ] && [ "$tasks_ok" -eq 7 ] && [ "$tasks_failed" -eq 1 ] && [ "$index_ok" -eq 1 ]; then ok; else
    bad "Slurm: $tasks array tasks ($tasks_ok completed, $tasks_failed failed with status 1; expected 8, 7 and 1), $index_ok index job completed (expected 1)"
fi
compare "$tmp/out-slurm" 8 "Slurm"

say "$inputs captures (one failing), each engine's merged index and reports checked against one machine's, in $(elapsed) s"
[ $failed -eq 0 ]
