/* kind.c — what a file handed in is, from its first bytes (grade_kind_of, kind.h): a capture,
 * an archive to unpack, or one of the things students hand in instead (tcpdump's printed
 * lines, Wireshark's text or CSV export of its packet list, a screenshot, a PDF, an office
 * document). Magic numbers as file(1)'s magic database has them (Debian's file package,
 * magic/Magdir: images, archive, compress, pdf, msooxml); the text forms as tcpdump
 * (print-tcp.c: "Flags [S.]") and Wireshark (File > Export Packet Dissections) print them. */
#define _GNU_SOURCE
#include "kind.h"

#include <stdbool.h>
#include <string.h>

static bool starts(const unsigned char *b, size_t n, const char *magic, size_t len)
{
    return n >= len && memcmp(b, magic, len) == 0;
}

static bool at(const unsigned char *b, size_t n, size_t off, const char *magic, size_t len)
{
    return n >= off + len && memcmp(b + off, magic, len) == 0;
}

bool grade_is_capture_magic(const unsigned char *b, size_t n)
{
    static const char magics[][4] = {
        {'\xd4', '\xc3', '\xb2', '\xa1'}, {'\xa1', '\xb2', '\xc3', '\xd4'}, /* pcap, microseconds */
        {'\x4d', '\x3c', '\xb2', '\xa1'}, {'\xa1', '\xb2', '\x3c', '\x4d'}, /* pcap, nanoseconds */
        {'\x0a', '\x0d', '\x0d', '\x0a'},                                   /* pcapng section header */
    };
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (starts(b, n, magics[i], 4))
            return true;
    return false;
}

/* The text of the first lines, as far as they are printable: NULL when the bytes are not text
 * (a NUL, or control characters other than tab, CR, LF, FF). */
static bool is_text(const unsigned char *b, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (b[i] == 0)
            return false;
        bad += b[i] < 0x20 && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' && b[i] != '\f' && b[i] != 0x1b;
    }
    return bad * 100 <= n; /* a stray control byte in a long text still reads as text */
}

/* A line of tcpdump's default output: "12:34:56.789012 IP 10.0.0.1.5353 > ...: Flags [S], ..."
 * (or with -tttt a date first, or -n/-v variants): a time, then an IP or IP6 line, or any line
 * with "Flags [" as print-tcp.c writes TCP. */
static bool tcpdump_line(const char *line, size_t len)
{
    char buf[512];
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
    memcpy(buf, line, n);
    buf[n] = '\0';
    bool time = n > 8 && buf[2] == ':' && buf[5] == ':' && buf[0] >= '0' && buf[0] <= '9';
    bool dated = n > 19 && buf[4] == '-' && buf[7] == '-' && buf[13] == ':';
    if ((time || dated) && (strstr(buf, " IP ") || strstr(buf, " IP6 ") || strstr(buf, " ARP") ||
                            strstr(buf, "Flags [")))
        return true;
    return strstr(buf, ": Flags [") != NULL;
}

enum grade_kind grade_kind_of(const unsigned char *b, size_t n, size_t file_size)
{
    if (file_size == 0)
        return GRADE_KIND_EMPTY;
    if (grade_is_capture_magic(b, n))
        return GRADE_KIND_CAPTURE;
    /* Images (file's Magdir/images): PNG, JPEG, GIF, BMP, TIFF, WebP, HEIC/AVIF. */
    if (starts(b, n, "\x89PNG\r\n\x1a\n", 8) || starts(b, n, "\xff\xd8\xff", 3) || starts(b, n, "GIF8", 4) ||
        starts(b, n, "BM", 2) || starts(b, n, "II*\0", 4) || starts(b, n, "MM\0*", 4) ||
        (starts(b, n, "RIFF", 4) && at(b, n, 8, "WEBP", 4)) ||
        (at(b, n, 4, "ftyp", 4) && (at(b, n, 8, "heic", 4) || at(b, n, 8, "heix", 4) || at(b, n, 8, "mif1", 4) ||
                                    at(b, n, 8, "avif", 4))))
        return GRADE_KIND_IMAGE;
    if (starts(b, n, "%PDF-", 5))
        return GRADE_KIND_PDF;
    /* Office files: OLE2 (.doc, .xls); OOXML and ODF are zip files whose first member names
     * them (file's Magdir/msooxml: "[Content_Types].xml" or "_rels/"; ODF: "mimetype"). */
    if (starts(b, n, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
        return GRADE_KIND_DOCUMENT;
    if (starts(b, n, "PK\x03\x04", 4)) {
        if (at(b, n, 30, "[Content_Types].xml", 19) || at(b, n, 30, "_rels/", 6) || at(b, n, 30, "mimetype", 8) ||
            at(b, n, 30, "docProps/", 9) || at(b, n, 30, "word/", 5) || at(b, n, 30, "xl/", 3))
            return GRADE_KIND_DOCUMENT;
        return GRADE_KIND_ARCHIVE;
    }
    /* Archives and compressed files: zip (empty or spanned), 7z, rar, tar (ustar at 257), gzip,
     * xz, bzip2, zstd, lzip, compress. A gzip'd capture is a capture: the caller looks inside. */
    if (starts(b, n, "PK\x05\x06", 4) || starts(b, n, "PK\x07\x08", 4) || starts(b, n, "7z\xbc\xaf\x27\x1c", 6) ||
        starts(b, n, "Rar!\x1a\x07", 6) || at(b, n, 257, "ustar", 5) || starts(b, n, "\x1f\x8b", 2) ||
        starts(b, n, "\xfd" "7zXZ\0", 6) || starts(b, n, "BZh", 3) || starts(b, n, "\x28\xb5\x2f\xfd", 4) ||
        starts(b, n, "LZIP", 4) || starts(b, n, "\x1f\x9d", 2))
        return GRADE_KIND_ARCHIVE;
    const unsigned char *t = b;
    size_t tn = n;
    if (starts(t, tn, "\xef\xbb\xbf", 3)) /* a UTF-8 byte order mark */
        t += 3, tn -= 3;
    if (!is_text(t, tn))
        return GRADE_KIND_UNKNOWN;
    /* Wireshark's exports (File > Export Packet Dissections): the packet list's columns. */
    if (starts(t, tn, "\"No.\",\"Time\"", 12))
        return GRADE_KIND_WIRESHARK_CSV;
    const char *s = (const char *)t;
    size_t first = strcspn(s, "\n");
    if (first > tn)
        first = tn;
    for (size_t i = 0; i + 3 < first; i++)
        if (memcmp(s + i, "No.", 3) == 0 && memmem(s, first, "Time", 4) && memmem(s, first, "Source", 6) &&
            memmem(s, first, "Protocol", 8))
            return GRADE_KIND_WIRESHARK_TEXT;
    if (memmem(s, tn, "\nFrame 1:", 9) || starts(t, tn, "Frame 1:", 8))
        return GRADE_KIND_WIRESHARK_TEXT;
    /* tcpdump's printed lines: two of the first lines, or one when that is all there is. */
    unsigned lines = 0, dump = 0;
    for (size_t i = 0; i < tn && lines < 20;) {
        size_t len = strcspn(s + i, "\n");
        if (i + len > tn)
            len = tn - i;
        lines++;
        dump += tcpdump_line(s + i, len);
        i += len + 1;
    }
    if (dump >= 2 || (dump == 1 && lines <= 2))
        return GRADE_KIND_TCPDUMP_TEXT;
    return GRADE_KIND_TEXT;
}
