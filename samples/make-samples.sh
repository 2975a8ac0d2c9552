#!/bin/bash
# make-samples.sh: record the sample captures of samples/ from the real Linux TCP stack.
#
# Usage: sudo samples/make-samples.sh [-o OUTDIR] [CASE...]
#
# Every case runs small scripted peers (tools/peer.py, stdlib Python) inside network
# namespaces that this script creates and always deletes again (trap on EXIT):
#   p2r-lo            loopback only, 127.0.0.1                  (captures on lo)
#   p2r-c  <-veth->  p2r-s   192.0.2.1/24 2001:db8::1/64  <->  192.0.2.2/24 2001:db8::2/64
#                     (captures on p2r-s0, the server's end of the veth pair)
#   p2r-dc <-tun/delay-> p2r-ds   192.0.2.3  <->  192.0.2.4, 20 ms each way
#                     (tools/delayline.py; captures on p2r-dta, the p2r-dc end)
# Only loopback and documentation addresses are used; nothing leaves the machine.
# Captures use tcpdump (dumpcap for the pcapng one) filtered to the case's port.
# Cases whose outcome depends on timing are checked with tools/capcheck.py and retried.
# OUTDIR defaults to the directory of this script (samples/). What happened is written to
# OUTDIR/make-samples.log. ISNs, ports and times change on every run, so after recording
# into samples/ the *.expect.json files must be derived again from the new captures.
set -eu -o pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
TOOLS=$HERE/tools
PY=/usr/bin/python3
OUT=$HERE
while getopts o:h opt; do
    case $opt in
    o) OUT=$OPTARG ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
ALL_CASES="four-way server-closes-first merged-fin half-close rst-client rst-server refused
 syn-only no-final-ack open-at-end mid-stream ipv6 transfer-1mb reuse http-get linux-cooked
 pcapng simultaneous-close simultaneous-open"
CASES=${*:-$ALL_CASES}

if [ "$(id -u)" != 0 ]; then
    echo "make-samples.sh: must run as root (network namespaces, tcpdump)" >&2
    exit 1
fi

# ---------------------------------------------------------------- tools we need
missing=""
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need tcpdump tcpdump
need ip iproute2
need nft nftables
need ethtool ethtool
need wget wget
need dumpcap wireshark-common
[ -x $PY ] || missing="$missing python3"
if [ -n "$missing" ]; then
    echo "installing:$missing"
    # wireshark-common asks whether non-root users may capture; answer before it asks.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y $missing
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d /tmp/p2r-samples.XXXXXX)
LOG=$OUT/make-samples.log
NSS="p2r-lo p2r-c p2r-s p2r-dc p2r-ds"
PIDS=""          # every background process this script started
NBG=0
declare -A ERRF  # pid -> file holding its stderr

log() { echo "$*" | tee -a "$LOG"; }

cleanup() {
    rc=$?
    set +e
    for p in $PIDS; do
        kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
    done
    for p in $PIDS; do
        for i in 1 2 3 4 5 6 7 8 9 10; do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    done
    for n in $NSS; do
        ip netns del "$n" 2>/dev/null
    done
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
    [ $rc = 0 ] || echo "make-samples.sh: failed (status $rc); namespaces removed" >&2
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# bg NS CMD...: start CMD in namespace NS in the background; the pid is in $BG and its
# stderr in ${ERRF[PID]}. `ip netns exec` execs the command, so $! is the command's pid.
bg() {
    local ns=$1; shift
    NBG=$((NBG + 1))
    ip netns exec "$ns" "$@" 2>"$WORK/err.$NBG" &
    BG=$!
    ERRF[$BG]=$WORK/err.$NBG
    PIDS="$PIDS $BG"
}

# reap PID NAME: wait for a background process (bounded by its own --deadline), log its
# status and what it wrote to stderr.
reap() {
    local st=0
    wait "$1" || st=$?
    [ $st = 0 ] || log "  $2 exited with status $st: $(tail -n 1 "${ERRF[$1]}" 2>/dev/null)"
    return 0
}

# wait_for PATH SECONDS: wait until PATH exists.
wait_for() {
    local i=0 n=$(( $2 * 100 ))
    while [ ! -e "$1" ]; do
        i=$((i + 1))
        [ $i -le $n ] || { log "  timed out waiting for $1"; return 1; }
        sleep 0.01
    done
}

# wait_grep FILE PATTERN SECONDS
wait_grep() {
    local i=0 n=$(( $3 * 100 ))
    until grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ $i -le $n ] || { log "  timed out waiting for '$2' in $1"; return 1; }
        sleep 0.01
    done
}

# cap_start NS IFACE FILE FILTER [tcpdump options...]: start tcpdump and wait until it listens.
cap_start() {
    local ns=$1 ifc=$2 file=$3 filter=$4; shift 4
    rm -f "$file" "$file.err"
    ip netns exec "$ns" tcpdump --immediate-mode -U -n -Z root -i "$ifc" "$@" -w "$file" \
        "$filter" 2>"$file.err" &
    CAP=$!
    PIDS="$PIDS $CAP"
    wait_grep "$file.err" "listening on" 5
    sleep 0.3
}

# cap_stop PID FILE: stop a capture cleanly and log what it recorded.
cap_stop() {
    sleep 0.3
    kill -INT "$1"
    wait "$1" || true
    log "  $(basename "$2"): $(grep -h 'captured' "$2.err" | head -n 1)"
}

# keep FILE: move a finished capture into OUTDIR and log its link type.
keep() {
    local lt
    lt=$(tcpdump -r "$1" -c 1 2>&1 >/dev/null | sed -n 's/.*link-type \([^,]*\).*/\1/p' | head -n 1)
    chmod 644 "$1"
    mv "$1" "$OUT/"
    log "  kept $(basename "$1") (link-type $lt, $(stat -c %s "$OUT/$(basename "$1")") bytes)"
}

check() { "$PY" "$TOOLS/capcheck.py" "$1" "$2" | tee -a "$LOG"; }

# ---------------------------------------------------------------- network
setup_net() {
    local n
    for n in $NSS; do
        ip netns del "$n" 2>/dev/null || true
        ip netns add "$n"
        ip -n "$n" link set lo up
    done
    # veth pair between p2r-c and p2r-s. Checksum offload and segmentation offload are
    # switched off so that the capture shows what a wire would carry: correct checksums
    # and MTU-sized segments (with offload on, veth captures show partial checksums and
    # 64 KB super-segments). lo cannot switch checksum offload off ([fixed]).
    ip link add p2r-c0 netns p2r-c type veth peer name p2r-s0 netns p2r-s
    ip -n p2r-c addr add 192.0.2.1/24 dev p2r-c0
    ip -n p2r-s addr add 192.0.2.2/24 dev p2r-s0
    ip -n p2r-c addr add 2001:db8::1/64 dev p2r-c0 nodad
    ip -n p2r-s addr add 2001:db8::2/64 dev p2r-s0 nodad
    ip netns exec p2r-c ethtool -K p2r-c0 tx off gso off gro off >/dev/null 2>&1
    ip netns exec p2r-s ethtool -K p2r-s0 tx off gso off gro off >/dev/null 2>&1
    ip -n p2r-c link set p2r-c0 up
    ip -n p2r-s link set p2r-s0 up
    # delay line: two TUN devices joined by tools/delayline.py, 20 ms each way; it runs in
    # p2r-dc, so both devices are born there and one is moved to p2r-ds. It stands in for
    # `tc qdisc add ... netem delay 20ms`: the kernel the samples were first made on was
    # built without sch_netem, and the user-space line works on any kernel with TUN.
    rm -f "$WORK/dl.ready"
    bg p2r-dc $PY "$TOOLS/delayline.py" p2r-dta p2r-dtb 20 "$WORK/dl.ready" 600
    wait_for "$WORK/dl.ready" 5
    ip -n p2r-dc link set p2r-dtb netns p2r-ds
    ip -n p2r-dc addr add 192.0.2.3 peer 192.0.2.4 dev p2r-dta
    ip -n p2r-ds addr add 192.0.2.4 peer 192.0.2.3 dev p2r-dtb
    ip -n p2r-dc link set p2r-dta up
    ip -n p2r-ds link set p2r-dtb up
    sleep 1
}

# ---------------------------------------------------------------- cases
# Each case_NAME records $WORK/FILE and returns 0 if the capture shows what it should.
P="$PY $TOOLS/peer.py"
W=$WORK

# common conversation: the client sends a line, the server answers with a line.
case_four_way() {
    local f=$W/four-way.pcap
    rm -f $W/ready
    cap_start p2r-lo lo $f "tcp port 9001"
    bg p2r-lo $P listen 127.0.0.1 9001 --ready $W/ready recv send:world\\n eof sleep:0.2 close; local s=$BG
    wait_for $W/ready 5
    bg p2r-lo $P connect 127.0.0.1 9001 send:hello\\n recv close; local c=$BG
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f four-way
}

case_server_closes_first() {
    local f=$W/server-closes-first.pcap
    rm -f $W/ready
    cap_start p2r-lo lo $f "tcp port 9002"
    bg p2r-lo $P listen 127.0.0.1 9002 --ready $W/ready recv send:world\\n close; local s=$BG
    wait_for $W/ready 5
    bg p2r-lo $P connect 127.0.0.1 9002 send:hello\\n eof sleep:0.2 close; local c=$BG
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f four-way
}

# the server closes as soon as it reads end of file, so its FIN rides on the delayed ACK.
case_merged_fin() {
    local f=$W/merged-fin.pcap
    rm -f $W/ready
    cap_start p2r-s p2r-s0 $f "tcp port 9003"
    bg p2r-s $P listen 192.0.2.2 9003 --ready $W/ready recv send:world\\n eof close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9003 send:hello\\n recv close; local c=$BG
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f merged-fin
}

# client: request, shutdown(SHUT_WR), read to EOF. server: read to EOF, then five more
# lines 100 ms apart, then close.
case_half_close() {
    local f=$W/half-close.pcap
    rm -f $W/ready
    cap_start p2r-s p2r-s0 $f "tcp port 9004"
    bg p2r-s $P listen 192.0.2.2 9004 --ready $W/ready eof \
        send:part1\\n sleep:0.1 send:part2\\n sleep:0.1 send:part3\\n sleep:0.1 \
        send:part4\\n sleep:0.1 send:part5\\n sleep:0.1 close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9004 send:request\\n shutwr eof close; local c=$BG
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f half-close
}

case_rst_client() {
    local f=$W/rst-client.pcap
    rm -f $W/ready
    cap_start p2r-s p2r-s0 $f "tcp port 9005"
    # the server's read fails with ECONNRESET: expected, logged.
    bg p2r-s $P listen 192.0.2.2 9005 --ready $W/ready recv send:world\\n eof close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9005 send:hello\\n recv sleep:0.1 rst; local c=$BG
    reap $c client; reap $s "server (reset expected)"
    cap_stop $CAP $f
    check $f rst-client
}

case_rst_server() {
    local f=$W/rst-server.pcap
    rm -f $W/ready
    cap_start p2r-s p2r-s0 $f "tcp port 9006"
    bg p2r-s $P listen 192.0.2.2 9006 --ready $W/ready recv send:world\\n sleep:0.1 rst; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9006 send:hello\\n recv eof close; local c=$BG
    reap $c "client (reset expected)"; reap $s server
    cap_stop $CAP $f
    check $f rst-server
}

case_refused() {
    local f=$W/refused.pcap
    cap_start p2r-lo lo $f "tcp port 9007"
    bg p2r-lo $P connect 127.0.0.1 9007 close; local c=$BG
    reap $c "client (refusal expected)"
    cap_stop $CAP $f
    check $f refused
}

# nftables drops the SYN in the server namespace (after the capture point); connect()
# gives up after 3.5 s.
case_syn_only() {
    local f=$W/syn-only.pcap
    ip netns exec p2r-s nft -f - <<'EOF'
table inet p2r_synonly {
    chain input { type filter hook input priority 0; policy accept;
        tcp dport 9008 counter drop
    }
}
EOF
    cap_start p2r-s p2r-s0 $f "tcp port 9008"
    bg p2r-c $P connect 192.0.2.2 9008 --connect-timeout 3.5 close; local c=$BG
    reap $c "client (timeout expected)"
    cap_stop $CAP $f
    log "  nftables in p2r-s dropped: $(ip netns exec p2r-s nft list table inet p2r_synonly | grep -o 'counter packets [0-9]*')"
    ip netns exec p2r-s nft delete table inet p2r_synonly
    check $f syn-only
}

# nftables in the client namespace drops every segment with ACK set that the client
# sends to port 9009, before it reaches the veth: the capture (server end) sees the
# SYN, the SYN/ACK and the server's SYN/ACK retransmissions; the client's ACKs never
# appear. The capture stops after 4.5 s while the server still waits.
case_no_final_ack() {
    local f=$W/no-final-ack.pcap
    rm -f $W/ready $W/go
    ip netns exec p2r-c nft -f - <<'EOF'
table inet p2r_nofinalack {
    chain output { type filter hook output priority 0; policy accept;
        tcp dport 9009 tcp flags & ack == ack counter drop
    }
}
EOF
    cap_start p2r-s p2r-s0 $f "tcp port 9009"
    bg p2r-s $P listen 192.0.2.2 9009 --ready $W/ready --timeout 7 recv close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9009 waitfile:$W/go close; local c=$BG
    sleep 4.5
    cap_stop $CAP $f
    log "  nftables in p2r-c dropped during the capture: $(ip netns exec p2r-c nft list table inet p2r_nofinalack | grep -o 'counter packets [0-9]*')"
    touch $W/go
    reap $c client; reap $s "server (accept timeout expected)"
    ip netns exec p2r-c nft delete table inet p2r_nofinalack
    check $f no-final-ack
}

# the capture is stopped after the exchange, before either side closes.
case_open_at_end() {
    local f=$W/open-at-end.pcap
    rm -f $W/ready $W/go $W/talked
    cap_start p2r-s p2r-s0 $f "tcp port 9010"
    bg p2r-s $P listen 192.0.2.2 9010 --ready $W/ready recv send:world\\n waitfile:$W/go eof close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9010 send:hello\\n recv touch:$W/talked waitfile:$W/go close; local c=$BG
    wait_for $W/talked 5
    sleep 0.3
    cap_stop $CAP $f
    touch $W/go
    reap $c client; reap $s server
    check $f open
}

# the capture starts after the handshake; two request/response rounds, then a
# four-way close by the client.
case_mid_stream() {
    local f=$W/mid-stream.pcap
    rm -f $W/ready $W/go $W/conn
    bg p2r-s $P listen 192.0.2.2 9011 --ready $W/ready waitfile:$W/go recv send:world1\\n recv \
        send:world2\\n eof sleep:0.2 close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9011 --ready $W/conn waitfile:$W/go send:hello1\\n recv \
        send:hello2\\n recv close; local c=$BG
    wait_for $W/conn 5
    sleep 0.3
    cap_start p2r-s p2r-s0 $f "tcp port 9011"
    touch $W/go
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f four-way
}

case_ipv6() {
    local f=$W/ipv6.pcap
    rm -f $W/ready
    cap_start p2r-s p2r-s0 $f "tcp port 9012"
    bg p2r-s $P listen 2001:db8::2 9012 --ready $W/ready recv send:world\\n eof sleep:0.2 close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 2001:db8::2 9012 send:hello\\n recv close; local c=$BG
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f four-way
}

# the client asks, the server sends 1 MiB and closes; headers only (-s 96).
case_transfer_1mb() {
    local f=$W/transfer-1mb.pcap
    rm -f $W/ready
    cap_start p2r-s p2r-s0 $f "tcp port 9013" -s 96
    bg p2r-s $P listen 192.0.2.2 9013 --ready $W/ready recv sendn:1048576 close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9013 send:get\\n eof close; local c=$BG
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f any
}

# five sessions from 192.0.2.1:40000. The server closes first and so holds the
# TIME-WAIT; Linux accepts a new SYN on a TIME-WAIT socket (tcp_timewait_state_process),
# and the client, the passive closer, can bind the port again (SO_REUSEADDR).
case_reuse() {
    local f=$W/reuse.pcap
    rm -f $W/ready
    cap_start p2r-s p2r-s0 $f "tcp port 9014"
    bg p2r-s $P listen 192.0.2.2 9014 --ready $W/ready --count 5 recv send:bye\\n close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9014 --count 5 --gap 0.2 --bind 192.0.2.1:40000 --reuseaddr \
        send:hi\\n eof close; local c=$BG
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f reuse5
}

# wget fetches a small file from python3 -m http.server (HTTP/1.0: the server closes).
case_http_get() {
    local f=$W/http-get.pcap i=0
    mkdir -p $W/www
    printf 'Hello from pcap2report sample http-get.\n' >$W/www/hello.txt
    bg p2r-s $PY -m http.server 8080 --bind 192.0.2.2 --directory $W/www; local s=$BG
    until ip netns exec p2r-s ss -Hltn 'sport = :8080' | grep -q LISTEN; do
        i=$((i + 1)); [ $i -le 500 ] || { log "  http.server did not start"; return 1; }
        sleep 0.01
    done
    cap_start p2r-s p2r-s0 $f "tcp port 8080"
    local st=0
    ip netns exec p2r-c wget -q --tries=1 --timeout=5 --no-proxy -O $W/got.txt \
        http://192.0.2.2:8080/hello.txt || st=$?
    [ $st = 0 ] || log "  wget exited with status $st"
    sleep 0.3
    cap_stop $CAP $f
    kill -TERM $s; wait $s 2>/dev/null || true
    sed 's/^/  http.server: /' "${ERRF[$s]}" >>"$LOG"
    cmp -s $W/got.txt $W/www/hello.txt || log "  wget did not fetch the file"
    check $f any
}

# the same conversation recorded twice at once with tcpdump -i any: Linux cooked v1
# (-y LINUX_SLL) and v2 (-y LINUX_SLL2; the default for -i any with libpcap 1.10).
case_linux_cooked() {
    local f=$W/linux-cooked.pcap f2=$W/linux-cooked-sll2.pcap
    rm -f $W/ready
    cap_start p2r-s any $f "tcp port 9015" -y LINUX_SLL; local c1=$CAP
    cap_start p2r-s any $f2 "tcp port 9015" -y LINUX_SLL2; local c2=$CAP
    bg p2r-s $P listen 192.0.2.2 9015 --ready $W/ready recv send:world\\n eof sleep:0.2 close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9015 send:hello\\n recv close; local c=$BG
    reap $c client; reap $s server
    cap_stop $c1 $f
    cap_stop $c2 $f2
    check $f four-way && check $f2 four-way
}

# pcapng written by dumpcap (Wireshark's capture engine).
case_pcapng() {
    local f=$W/pcapng.pcapng
    rm -f $W/ready $f $f.err
    ip netns exec p2r-s dumpcap -q -i p2r-s0 -f "tcp port 9016" -w $f 2>$f.err &
    CAP=$!; PIDS="$PIDS $CAP"
    wait_grep $f.err "Capturing on" 5
    sleep 0.5
    bg p2r-s $P listen 192.0.2.2 9016 --ready $W/ready recv send:world\\n eof sleep:0.2 close; local s=$BG
    wait_for $W/ready 5
    bg p2r-c $P connect 192.0.2.2 9016 send:hello\\n recv close; local c=$BG
    reap $c client; reap $s server
    sleep 0.3
    kill -INT $CAP; wait $CAP || true
    log "  $(basename $f): $(grep -h 'Packets captured' $f.err | head -n 1)"
    check $f four-way
}

# both sides call close() at the same wall-clock second across the 20 ms delay line,
# so each FIN is sent before the other one arrives.
case_simultaneous_close() {
    local f=$W/simultaneous-close.pcap T
    rm -f $W/ready
    cap_start p2r-dc p2r-dta $f "tcp port 9017"
    T=$(( $(date +%s) + 2 ))
    bg p2r-ds $P listen 192.0.2.4 9017 --ready $W/ready recv send:world\\n until:$T close; local s=$BG
    wait_for $W/ready 5
    bg p2r-dc $P connect 192.0.2.4 9017 send:hello\\n recv until:$T close; local c=$BG
    reap $c client; reap $s server
    cap_stop $CAP $f
    check $f simultaneous-close
}

# both sides bind their port and connect() to the other at the same wall-clock second
# across the delay line: each SYN is sent before the other one arrives. The side on
# 192.0.2.3 (port 40001) closes first, 200 ms after the exchange.
case_simultaneous_open() {
    # a retry uses new ports: the last attempt's 4-tuple may still be in TIME-WAIT.
    local f=$W/simultaneous-open.pcap T pa=$((40001 + 10 * (ATTEMPT - 1))) pb
    pb=$((pa + 1))
    cap_start p2r-dc p2r-dta $f "tcp port $pa and tcp port $pb"
    T=$(( $(date +%s) + 2 ))
    bg p2r-ds $P connect 192.0.2.3 $pa --bind 192.0.2.4:$pb --reuseaddr --at $T \
        send:right\\n recv eof sleep:0.2 close; local b=$BG
    bg p2r-dc $P connect 192.0.2.4 $pb --bind 192.0.2.3:$pa --reuseaddr --at $T \
        send:left\\n recv sleep:0.2 close; local a=$BG
    reap $a "peer $pa"; reap $b "peer $pb"
    cap_stop $CAP $f
    check $f simultaneous-open
}

# ---------------------------------------------------------------- main
for c in $CASES; do
    declare -F "case_${c//-/_}" >/dev/null || { echo "make-samples.sh: no case $c" >&2; exit 2; }
done
: >"$LOG"
log "make-samples.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -sr)"
log "tcpdump: $(tcpdump --version 2>&1 | head -n 1); $(tcpdump --version 2>&1 | sed -n 2p)"
log "net.ipv4.tcp_syn_linear_timeouts=$(sysctl -n net.ipv4.tcp_syn_linear_timeouts 2>/dev/null || echo absent)"
setup_net
failed=""
for c in $CASES; do
    log "case $c"
    ok=0
    for attempt in 1 2 3 4 5; do
        ATTEMPT=$attempt
        if "case_${c//-/_}"; then ok=1; break; fi
        log "  attempt $attempt did not show the intended exchange; retrying"
        sleep 0.5
    done
    if [ $ok = 1 ]; then
        [ $attempt = 1 ] || log "  succeeded on attempt $attempt"
        for f in $W/$c.pcap $W/$c.pcapng $W/$c-sll2.pcap; do
            if [ -e "$f" ]; then keep "$f"; fi
        done
    else
        log "  FAILED: $c (last capture left out)"
        failed="$failed $c"
    fi
done
if [ -n "$failed" ]; then
    log "failed cases:$failed"
    exit 1
fi
log "all cases recorded in $OUT"
log "reminder: ISNs and packet numbers changed; derive the *.expect.json files again."
