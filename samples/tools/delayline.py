#!/usr/bin/python3
"""delayline.py: a point-to-point IP link with a fixed one-way delay, in user space.

Usage: delayline.py TUN_A TUN_B DELAY_MS READY_FILE MAX_SECONDS

Creates two TUN devices (IFF_TUN | IFF_NO_PI, so packets are bare IP) and
copies every packet read from one to the other DELAY_MS milliseconds later.
It plays the part of `tc qdisc ... netem delay`, for kernels built without
sch_netem. The driving script moves each device into a network namespace and
gives it an address; the open file descriptors keep working across the move.
READY_FILE is created once both devices exist. The program stops on SIGTERM
or SIGINT, or after MAX_SECONDS at the latest. Only the Python standard
library is used.
"""
import fcntl
import heapq
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    ifr = struct.pack("16sH22x", name.encode(), IFF_TUN | IFF_NO_PI)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    return fd


def main(argv):
    if len(argv) != 6:
        sys.stderr.write(__doc__)
        return 2
    name_a, name_b = argv[1], argv[2]
    delay = float(argv[3]) / 1000.0
    ready, limit = argv[4], float(argv[5])
    stop = []
    signal.signal(signal.SIGTERM, lambda s, f: stop.append(s))
    signal.signal(signal.SIGINT, lambda s, f: stop.append(s))
    fa, fb = open_tun(name_a), open_tun(name_b)
    other = {fa: fb, fb: fa}
    open(ready, "w").close()
    pending = []          # heap of (due time, sequence, out fd, packet)
    seq = 0
    end = time.monotonic() + limit
    while not stop and time.monotonic() < end:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, out, pkt = heapq.heappop(pending)
            try:
                os.write(out, pkt)
            except OSError:
                pass      # device down or not yet up: the packet is lost
        wait = 0.2
        if pending:
            wait = max(0.0, min(wait, pending[0][0] - now))
        try:
            readable, _, _ = select.select([fa, fb], [], [], wait)
        except InterruptedError:
            continue
        for fd in readable:
            try:
                pkt = os.read(fd, 65536)
            except OSError:
                continue
            heapq.heappush(pending, (time.monotonic() + delay, seq, other[fd], pkt))
            seq += 1
    os.close(fa)
    os.close(fb)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
