#!/usr/bin/python3
"""peer.py: one end of a scripted TCP conversation, for samples/make-samples.sh.

Usage:
  peer.py listen ADDR PORT [options] ACTION...
  peer.py connect ADDR PORT [options] ACTION...

The listener accepts --count connections one after the other and runs the
actions on each; the connector makes --count connections (from --bind if
given) and runs the actions on each. Every wait is bounded: sockets time out
after --timeout seconds and the whole program gives up after --deadline.

Actions (run in order on the connected socket):
  send:TEXT     send TEXT (\\n is a newline)
  sendn:N       send N bytes (a fixed pattern)
  recv          read once (returns at EOF too)
  recvn:N       read until N bytes have arrived
  eof           read until end of file, discarding data
  sleep:S       sleep S seconds
  until:T       sleep until wall-clock time T (seconds since the epoch)
  shutwr        shutdown(SHUT_WR): send FIN, keep reading
  close         close()
  rst           SO_LINGER {1,0} then close(): abort with RST
  touch:PATH    create PATH (a signal to the driving script)
  waitfile:PATH wait until PATH exists

Options:
  --bind ADDR:PORT   connector: bind this source address/port first
  --reuseaddr        set SO_REUSEADDR before bind
  --ready PATH       listener: create PATH once listening;
                     connector: create PATH once connected
  --at T             connector: call connect() at wall-clock time T
  --count N          number of connections (default 1)
  --gap S            connector: pause between connections (default 0.2)
  --timeout S        socket timeout (default 10)
  --connect-timeout S  connect() timeout (default: --timeout)
  --deadline S       exit with status 3 after S seconds in total (default 30)
  --log PATH         append what happened (errors included) to PATH

Exit status: 0 when every action ran, 1 on a socket error, 2 on bad usage,
3 on deadline.
"""
import os
import signal
import socket
import struct
import sys
import time

LOG = None


def log(msg):
    line = "%s %s: %s\n" % (time.strftime("%H:%M:%S"), os.getpid(), msg)
    if LOG:
        with open(LOG, "a") as f:
            f.write(line)


def parse_hostport(s):
    if s.startswith("["):
        host, _, port = s[1:].partition("]:")
    else:
        host, _, port = s.rpartition(":")
    return host, int(port)


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def wait_until(t):
    while True:
        d = t - time.time()
        if d <= 0:
            return
        time.sleep(min(d, 0.5))


def wait_file(path, limit):
    end = time.time() + limit
    while not os.path.exists(path):
        if time.time() > end:
            raise TimeoutError("waitfile %s timed out" % path)
        time.sleep(0.005)


def run_actions(sock, actions, timeout):
    """Run the actions on a connected socket. The socket is closed at the end
    unless an action already closed it."""
    closed = False
    for act in actions:
        name, _, arg = act.partition(":")
        if name == "send":
            sock.sendall(arg.replace("\\n", "\n").encode())
        elif name == "sendn":
            n = int(arg)
            chunk = (b"0123456789abcdef" * 4096)
            while n > 0:
                k = min(n, len(chunk))
                sock.sendall(chunk[:k])
                n -= k
        elif name == "recv":
            sock.recv(65536)
        elif name == "recvn":
            want = int(arg)
            while want > 0:
                b = sock.recv(min(want, 65536))
                if not b:
                    raise ConnectionError("EOF with %d bytes still expected" % want)
                want -= len(b)
        elif name == "eof":
            while sock.recv(65536):
                pass
        elif name == "sleep":
            time.sleep(float(arg))
        elif name == "until":
            wait_until(float(arg))
        elif name == "shutwr":
            sock.shutdown(socket.SHUT_WR)
        elif name == "close":
            sock.close()
            closed = True
        elif name == "rst":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            sock.close()
            closed = True
        elif name == "touch":
            open(arg, "w").close()
        elif name == "waitfile":
            wait_file(arg, timeout)
        else:
            raise ValueError("unknown action %r" % act)
        log("did %s" % act)
    if not closed:
        sock.close()


def main(argv):
    global LOG
    if len(argv) < 4 or argv[1] not in ("listen", "connect"):
        sys.stderr.write(__doc__)
        return 2
    mode, addr, port = argv[1], argv[2], int(argv[3])
    opts = {"bind": None, "reuseaddr": False, "ready": None, "at": None,
            "count": 1, "gap": 0.2, "timeout": 10.0, "connect-timeout": None,
            "deadline": 30.0, "log": None}
    actions = []
    i = 4
    while i < len(argv):
        a = argv[i]
        if a.startswith("--"):
            key = a[2:]
            if key not in opts:
                sys.stderr.write("peer.py: unknown option %s\n" % a)
                return 2
            if key == "reuseaddr":
                opts[key] = True
            else:
                i += 1
                opts[key] = argv[i]
        else:
            actions.append(a)
        i += 1
    LOG = opts["log"]
    timeout = float(opts["timeout"])
    ctimeout = float(opts["connect-timeout"] or timeout)
    count = int(opts["count"])

    def on_alarm(signum, frame):
        log("deadline reached")
        os._exit(3)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(max(1, int(float(opts["deadline"]))))

    fam = family_of(addr)
    try:
        if mode == "listen":
            ls = socket.socket(fam, socket.SOCK_STREAM)
            ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            ls.bind((addr, port))
            ls.listen(8)
            ls.settimeout(timeout)
            log("listening on %s %d" % (addr, port))
            if opts["ready"]:
                open(opts["ready"], "w").close()
            for _ in range(count):
                s, peer = ls.accept()
                s.settimeout(timeout)
                log("accepted %r" % (peer,))
                run_actions(s, actions, timeout)
            ls.close()
        else:
            for k in range(count):
                if k:
                    time.sleep(float(opts["gap"]))
                s = socket.socket(fam, socket.SOCK_STREAM)
                if opts["reuseaddr"]:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if opts["bind"]:
                    s.bind(parse_hostport(opts["bind"]))
                if opts["at"]:
                    wait_until(float(opts["at"]))
                s.settimeout(ctimeout)
                try:
                    s.connect((addr, port))
                except OSError as e:
                    log("connect %d failed: %s" % (k, e))
                    sys.stderr.write("peer.py: connect failed: %s\n" % e)
                    s.close()
                    if opts["ready"]:
                        open(opts["ready"], "w").close()
                    return 1
                s.settimeout(timeout)
                log("connected %d from %r" % (k, s.getsockname()))
                if opts["ready"]:
                    open(opts["ready"], "w").close()
                run_actions(s, actions, timeout)
    except (OSError, ValueError, TimeoutError, ConnectionError) as e:
        log("error: %s" % e)
        sys.stderr.write("peer.py: %s\n" % e)
        return 1
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
