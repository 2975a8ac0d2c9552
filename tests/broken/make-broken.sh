#!/bin/sh
# make-broken.sh — writes the corpus of broken captures that tests/broken/test-broken.sh runs.
#
# Usage: sh tests/broken/make-broken.sh OUTDIR
#        sh tests/broken/make-broken.sh --stream syn-flood|long-session COUNT > capture.pcap
#
# OUTDIR gets one file per case (named after the case; the list and what each must produce
# are in test-broken.sh), cut/ with every truncation of samples/four-way.pcap and of
# samples/pcapng.pcapng, and a directory posing as a capture. Cases are cut from the real
# samples where that is enough and built byte by byte otherwise; everything is
# deterministic. --stream writes a large capture to standard output instead of to disk: a
# SYN flood (COUNT SYNs, each to a new 4-tuple) or one session with COUNT data segments.
# Needs python3 (standard library only).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 1 ] || { [ "$1" = --stream ] && [ $# -ne 3 ]; }; then
    sed -n '4,5p' "$0" >&2
    exit 2
fi
exec python3 - "$here/../../samples" "$@" <<'PY'
import gzip, os, struct, sys

samples, args = sys.argv[1], sys.argv[2:]

# ---- building blocks --------------------------------------------------------------------

def pcap_header(link=1, snaplen=262144, magic=0xa1b2c3d4):
    return struct.pack('<IHHiIII', magic, 2, 4, 0, 0, snaplen, link)

def record(ts, frame, caplen=None, wirelen=None):
    caplen = len(frame) if caplen is None else caplen
    wirelen = len(frame) if wirelen is None else wirelen
    sec, usec = divmod(ts, 1000000)
    return struct.pack('<IIII', sec, usec, caplen, wirelen) + frame

def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def tcp(src, dst, sport, dport, seq, ack, flags, payload=b'', options=b'', doff=None, win=65535, v6=False):
    doff = (20 + len(options)) // 4 if doff is None else doff
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, doff << 4, flags, win, 0, 0) + options
    seg = hdr + payload
    if v6:
        pseudo = src + dst + struct.pack('!I3xB', len(seg), 6)
    else:
        pseudo = src + dst + struct.pack('!BBH', 0, 6, len(seg))
    c = csum(pseudo + seg)
    return seg[:16] + struct.pack('!H', c) + seg[18:]

def ipv4(src, dst, payload, proto=6, ihl=5, total=None, options=b''):
    total = 4 * max(ihl, 5) + len(payload) if total is None else total
    hdr = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, 0, total, 0, 0x4000, 64, proto, 0, src, dst) + options
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload

def ipv6(src, dst, payload, nh=6, plen=None):
    plen = len(payload) if plen is None else plen
    return struct.pack('!IHBB16s16s', 0x60000000, plen, nh, 64, src, dst) + payload

def eth(ip, ethertype=None):
    ethertype = ethertype or (0x86dd if ip[0] >> 4 == 6 else 0x0800)
    return b'\x02\0\0\0\0\x02' + b'\x02\0\0\0\0\x01' + struct.pack('!H', ethertype) + ip

C4, S4 = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
C6, S6 = bytes.fromhex('20010db8' + '0' * 22 + '01'), bytes.fromhex('20010db8' + '0' * 22 + '02')
SYN, ACK, FIN, RST, PSH = 0x02, 0x10, 0x01, 0x04, 0x08
T0 = 1700000000 * 1000000

def syn_frame(options=b'', doff=None, sport=40000):
    return eth(ipv4(C4, S4, tcp(C4, S4, sport, 80, 1000, 0, SYN, options=options, doff=doff)))

def handshake_frames(sport=40000):
    return [eth(ipv4(C4, S4, tcp(C4, S4, sport, 80, 1000, 0, SYN))),
            eth(ipv4(S4, C4, tcp(S4, C4, 80, sport, 5000, 1001, SYN | ACK))),
            eth(ipv4(C4, S4, tcp(C4, S4, sport, 80, 1001, 5001, ACK)))]

def capture(frames, link=1, snaplen=262144):
    """frames: bytes, or (bytes, caplen, wirelen) for a lying record header."""
    out = [pcap_header(link, snaplen)]
    for i, f in enumerate(frames):
        if isinstance(f, tuple):
            out.append(record(T0 + i * 1000, *f))
        else:
            out.append(record(T0 + i * 1000, f))
    return b''.join(out)

def read(name):
    with open(os.path.join(samples, name), 'rb') as f:
        return f.read()

# ---- pcapng ------------------------------------------------------------------------------

def pcapng_blocks(data):
    """Splits a little-endian pcapng file into its blocks (type, raw bytes)."""
    blocks, pos = [], 0
    while pos + 12 <= len(data):
        btype, blen = struct.unpack_from('<II', data, pos)
        blocks.append((btype, data[pos:pos + blen]))
        pos += blen
    return blocks

def pcapng_block(btype, body):
    body += b'\0' * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack('<II', btype, n) + body + struct.pack('<I', n)

# ---- streams -------------------------------------------------------------------------------

def stream_syn_flood(count, out):
    """count SYNs from 10.x.y.z:sport to 192.0.2.2:80, every one a new 4-tuple."""
    out.write(pcap_header())
    frame = bytearray(eth(ipv4(bytes([10, 0, 0, 1]), S4, tcp(bytes([10, 0, 0, 1]), S4, 1024, 80, 7, 0, SYN))))
    rec = bytearray(16) + frame
    buf = []
    for i in range(count):
        ts = T0 + i
        struct.pack_into('<II', rec, 0, ts // 1000000, ts % 1000000)
        struct.pack_into('<II', rec, 8, len(frame), len(frame))
        struct.pack_into('!BBB', rec, 16 + 14 + 13, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)  # src 10.a.b.c
        struct.pack_into('!H', rec, 16 + 34, 1024 + i % 60000)                                   # sport
        buf.append(bytes(rec))
        if len(buf) == 4096:
            out.write(b''.join(buf))
            buf = []
    out.write(b''.join(buf))

def stream_long_session(count, out):
    """A handshake, count data segments of 100 bytes (only headers captured), then FINs."""
    out.write(pcap_header(snaplen=54))
    seq, t = 1001, T0
    for f in handshake_frames():
        out.write(record(t, f))
        t += 10
    data = bytearray(eth(ipv4(C4, S4, tcp(C4, S4, 40000, 80, seq, 5001, PSH | ACK), total=140)))
    rec = bytearray(16) + data
    buf = []
    for i in range(count):
        struct.pack_into('<IIII', rec, 0, t // 1000000, t % 1000000, 54, 154)
        struct.pack_into('!I', rec, 16 + 34 + 4, seq)
        buf.append(bytes(rec))
        seq = (seq + 100) & 0xffffffff
        t += 1
        if len(buf) == 4096:
            out.write(b''.join(buf))
            buf = []
    out.write(b''.join(buf))
    for f in [eth(ipv4(C4, S4, tcp(C4, S4, 40000, 80, seq, 5001, FIN | ACK))),
              eth(ipv4(S4, C4, tcp(S4, C4, 80, 40000, 5001, (seq + 1) & 0xffffffff, FIN | ACK))),
              eth(ipv4(C4, S4, tcp(C4, S4, 40000, 80, (seq + 1) & 0xffffffff, 5002, ACK)))]:
        out.write(record(t, f))
        t += 10

if args[0] == '--stream':
    kind, count = args[1], int(args[2])
    {'syn-flood': stream_syn_flood, 'long-session': stream_long_session}[kind](count, sys.stdout.buffer)
    sys.exit(0)

# ---- the corpus -----------------------------------------------------------------------------

out = args[0]
os.makedirs(os.path.join(out, 'cut'), exist_ok=True)
os.makedirs(os.path.join(out, 'a-directory.pcap'), exist_ok=True)

def put(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)

four = read('four-way.pcap')
ng = read('pcapng.pcapng')

# Files that are not captures, or hardly.
put('empty.pcap', b'')
put('header-only.pcap', four[:24])
put('short-header.pcap', four[:20])
put('magic-only.pcap', four[:4])
put('text.pcap', b'This is not a capture.\nIt is the notes I meant to hand in.\n')
put('html.pcap', b'<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n'
                 b'<body><h1>Not Found</h1></body></html>\n')
put('unsupported-link.pcap', capture([b'\0' * 40], link=147))

# Every truncation point of two real samples (cut/<sample>.<length>), and where their
# records end (cut/<sample>.boundaries: "offset packets" per line; the first line is the end
# of the file header, the shortest cut libpcap can open).
def pcap_boundaries(data):
    pos, out = 24, [(24, 0)]
    while pos + 16 <= len(data):
        pos += 16 + struct.unpack_from('<I', data, pos + 8)[0]
        out.append((pos, len(out)))
    return out

def pcapng_boundaries(data):
    pos, packets, out = 0, 0, []
    for btype, raw in pcapng_blocks(data):
        pos += len(raw)
        packets += btype in (3, 6)
        if btype == 1 and not out or out:
            out.append((pos, packets))
    return out

for name, data, bounds in (('four-way.pcap', four, pcap_boundaries(four)),
                           ('pcapng.pcapng', ng, pcapng_boundaries(ng))):
    stem, ext = name.rsplit('.', 1)
    for n in range(len(data)):
        put('cut/%s.%05d.%s' % (stem, n, ext), data[:n])
    put('cut/%s.boundaries' % stem, ''.join('%d %d\n' % b for b in bounds).encode())

# Record headers that lie.
hs = handshake_frames()
put('caplen-over-snaplen.pcap', capture(hs, snaplen=40))
rec_at = len(capture(hs[:2]))
b = bytearray(capture(hs))
struct.pack_into('<I', b, rec_at + 8, 1000)                    # 3rd record: caplen 1000, file has 54
struct.pack_into('<I', b, rec_at + 12, 1000)
put('caplen-past-eof.pcap', bytes(b))
b = bytearray(capture(hs))
struct.pack_into('<I', b, rec_at + 8, 0x7fffffff)              # 3rd record: caplen 2^31-1
put('caplen-huge.pcap', bytes(b))
put('snaplen-huge.pcap', capture(hs, snaplen=0xffffffff))
put('caplen-over-len.pcap', capture([hs[0], hs[1], (hs[2], len(hs[2]), 40)]))
put('zero-length.pcap', capture([hs[0], (b'', 0, 0), (b'', 0, 60), hs[1], hs[2]]))

# IPv4 header lengths.
def with_ip(ip):
    return capture([hs[0], hs[1], eth(ip)])
put('ipv4-ihl-short.pcap', with_ip(ipv4(C4, S4, tcp(C4, S4, 40000, 80, 1001, 5001, ACK), ihl=4)))
put('ipv4-ihl-long.pcap', with_ip(ipv4(C4, S4, tcp(C4, S4, 40000, 80, 1001, 5001, ACK), ihl=15, total=40)))
put('ipv4-ihl-past-capture.pcap',
    capture([hs[0], hs[1], (eth(ipv4(C4, S4, b'', ihl=15, total=100, options=b'\x01' * 20)), 54, 114)]))
put('ipv4-total-short.pcap', with_ip(ipv4(C4, S4, tcp(C4, S4, 40000, 80, 1001, 5001, ACK), total=12)))

# TCP data offsets and options.
def with_tcp(seg):
    return capture([hs[0], hs[1], eth(ipv4(C4, S4, seg))])
put('tcp-doff-short.pcap', with_tcp(tcp(C4, S4, 40000, 80, 1001, 5001, ACK, doff=4)))
put('tcp-doff-long.pcap', with_tcp(tcp(C4, S4, 40000, 80, 1001, 5001, ACK, doff=15)))
put('tcp-option-len0.pcap', capture([syn_frame(b'\x02\x00\x05\xb4'), hs[1], hs[2]]))
put('tcp-option-len1.pcap', capture([syn_frame(b'\x08\x01\x00\x00'), hs[1], hs[2]]))
put('tcp-option-overrun.pcap', capture([syn_frame(b'\x02\x04\x05\xb4\x08\x28\x00\x00'), hs[1], hs[2]]))

# IPv6 extension headers: a chain of 20 hop-by-hop/destination headers, and one longer than
# the packet.
seg6 = tcp(C6, S6, 40000, 80, 1000, 0, SYN, v6=True)
chain = b''
for i in range(20):
    chain += struct.pack('!BB6x', 60 if i < 19 else 6, 0)
put('ipv6-ext-loop.pcap', capture([eth(ipv6(C6, S6, chain + seg6, nh=0))]))
put('ipv6-ext-overrun.pcap', capture([eth(ipv6(C6, S6, struct.pack('!BB6x', 6, 255) + seg6, nh=0))]))

# Link layers that lie.
vlan = b'\x02\0\0\0\0\x02\x02\0\0\0\0\x01' + b'\x81\x00\x00\x01' * 9 + b'\x08\x00' + ipv4(C4, S4, tcp(C4, S4, 40000, 80, 1000, 0, SYN))
put('vlan-bomb.pcap', capture([vlan]))

# pcapng: unknown and custom blocks between the real ones (to be skipped), an interface with
# another link type in the middle (libpcap stops there), a timestamp past 2106.
blocks = pcapng_blocks(ng)
odd = pcapng_block(0x00000bad, b'what is this?') + pcapng_block(0x40000bad, struct.pack('<I', 32473) + b'custom')
put('pcapng-unknown-blocks.pcapng', b''.join(raw + (odd if t != 0x0a0d0d0a else b'') for t, raw in blocks))
epbs = [i for i, (t, _) in enumerate(blocks) if t == 6]
idb113 = pcapng_block(1, struct.pack('<HHI', 113, 0, 262144))
mixed = [raw for _, raw in blocks]
mixed.insert(epbs[5], idb113)
put('pcapng-mixed-links.pcapng', b''.join(mixed))
late = bytearray(blocks[epbs[3]][1])
struct.pack_into('<I', late, 12, 0xffffffff)                   # timestamp high word
put('pcapng-far-future.pcapng', b''.join(bytes(late) if i == epbs[3] else raw for i, (_, raw) in enumerate(blocks)))

# Time going backwards: the final ACK stamped 10 s before the SYN (a merged capture).
b = bytearray(capture(hs))
struct.pack_into('<I', b, rec_at, (T0 - 10000000) // 1000000)
put('time-backwards.pcap', bytes(b))

# Two sessions of many segments each, for the session cap (four-way, then half-close).
put('two-sessions.pcap', four + read('half-close.pcap')[24:])

# Compressed captures: whole, cut short, damaged.
def gz(data):
    return gzip.compress(data, mtime=0)
put('four-way.pcap.gz', gz(four))
put('pcapng.pcapng.gz', gz(ng))
put('four-way-cut.pcap.gz', gz(four)[:300])
d = bytearray(gz(four))
d[100:104] = b'\xff\xff\xff\xff'
put('four-way-damaged.pcap.gz', bytes(d))
put('text.gz', gz(b'This is not a capture either.\n'))

# Hostile file names: invalid UTF-8, control characters, shell syntax, dots, an option; the
# report must stay valid JSON inside the output folder.
put(b'bad-\xed\xa0\x80-\xc0\xaf-\xff-name.pcap'.decode('utf-8', 'surrogateescape'), four)
put('new\nline\t$(touch pwned);\x1b[31m.pcap', four)
put('..pcap', four)
put('-rf.pcap', four)
PY
