#!/usr/bin/python3
"""mkstreams.py OUT.pcap: a raw-IP capture of the cases where Wireshark starts a new tcp.stream
on a 4-tuple it has seen, or does not (analysis/tcp/wireshark.c: pcap2report starts a new
session there too), each on its own
client port:
  1001 data first (seq 5000), then a SYN with seq 5000: new stream (the base is seq - 1)
  1002 data first (seq 5000), then a SYN with seq 4999: same stream
  1003 SYN 100, its retransmission, SYN 200 while still open: a new stream at the third
  1004 a handshake, then a SYN/ACK with another seq: same stream (it has ACK)
  1005 the server's SYN 700, then its SYN 800: new stream
  1006 RST first (seq 300), SYN 300: new; SYN 301: new again
  1007 a whole session closed, the same ISN again: same stream; then ISN 150: new
  1008 SYN 100, then SYN+FIN 200 (no ACK): new
  1009 the server's data first, the client's SYN 4: same; SYN 5: new
  1010 a SYN with data (seq 100), then SYN 101: new
  1011 a handshake and close, then after 400 s a SYN with a new ISN (pcap2report's idle
       generation): new stream
Python 3 standard library only; deterministic."""
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def pkt(src, dst, sp, dp, flags, seq, ack, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    ph = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(ph + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0, bytes(src), bytes(dst))
    return ip[:10] + struct.pack("!H", csum(ip)) + ip[12:] + tcp


S, A, F, R, P = 2, 16, 1, 4, 8
C, V = [10, 0, 0, 1], [10, 0, 0, 2]
out = []
t = [1700000000.0]


def c(port, fl, seq, ack=0, pl=b"", gap=0.001):
    t[0] += gap
    out.append((t[0], pkt(C, V, port, 80, fl, seq, ack, pl)))


def s(port, fl, seq, ack=0, pl=b"", gap=0.001):
    t[0] += gap
    out.append((t[0], pkt(V, C, 80, port, fl, seq, ack, pl)))


c(1001, A | P, 5000, 1, b"x" * 10); c(1001, S, 5000)
c(1002, A | P, 5000, 1, b"x" * 10); c(1002, S, 4999)
c(1003, S, 100); c(1003, S, 100); c(1003, S, 200)
c(1004, S, 100); s(1004, S | A, 500, 101); c(1004, A, 101, 501); s(1004, S | A, 900, 101)
s(1005, S, 700); s(1005, S, 800)
c(1006, R, 300); c(1006, S, 300); c(1006, S, 301)
c(1007, S, 100); s(1007, S | A, 500, 101); c(1007, A, 101, 501); c(1007, F | A, 101, 501)
s(1007, F | A, 501, 102); c(1007, A, 102, 502); c(1007, S, 100); c(1007, S, 150)
c(1008, S, 100); c(1008, S | F, 200)
s(1009, A | P, 900, 5, b"y"); c(1009, S, 4); c(1009, S, 5)
c(1010, S, 100, 0, b"zz"); c(1010, S, 101)
c(1011, S, 100); s(1011, S | A, 500, 101); c(1011, A, 101, 501); c(1011, F | A, 101, 501)
s(1011, F | A, 501, 102); c(1011, A, 102, 502); c(1011, S, 9000, 0, b"", 400.0); s(1011, S | A, 7000, 9001)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
    for ts, p in out:
        f.write(struct.pack("<IIII", int(ts), int(round((ts % 1) * 1e6)) % 1000000, len(p), len(p)) + p)
