#!/bin/sh
# The program built as it would be against a libharu other than 2.3.0 (make test-public-only
# builds it with PDF_PUBLIC_ONLY): libharu's public API alone, without pdf_repair.c's repairs
# of libharu 2.3.0's output. Reports in English and Chinese, the batch summary and a student's
# feedback still come out and read back; --pdfa is refused with a sentence that says why.
# Usage: PROGRAM=build-public/pcap2report sh tests/public-only.sh
set -u
program=${PROGRAM:-build-public/pcap2report}
top=$(cd "$(dirname "$0")/.." && pwd)
case $program in /*) ;; *) program=$top/$program ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi; }
S=$top/samples
export PCAP2REPORT_TEMPLATES=$top/templates
text() { pdftotext -raw "$1" - 2>/dev/null | tr -d ' \n'; }

"$program" -q -o "$tmp/en" "$S/four-way.pcap" "$S/reuse.pcap"
check "en: the reports are written" '[ -s "$tmp/en/four-way.pdf" ] && [ -s "$tmp/en/reuse.pdf" ]'
check "en: pdfinfo reads two pages of four-way" 'pdfinfo "$tmp/en/four-way.pdf" | grep -q "^Pages: *2$"'
check "en: the diagram's page says what the handshake was" 'text "$tmp/en/four-way.pdf" | grep -q "Handshake:normal"'
check "en: the /ID is there, derived from the bytes" 'grep -aq "^/ID \[ <[0-9A-F]\{32\}> <[0-9A-F]\{32\}> \]" "$tmp/en/four-way.pdf"'
check "en: the batch summary is written" '[ -s "$tmp/en/index.pdf" ] && pdfinfo "$tmp/en/index.pdf" >/dev/null 2>&1'

"$program" -q --lang zh -o "$tmp/zh" "$S/four-way.pcap"
check "zh: the report reads back in Chinese" 'text "$tmp/zh/four-way.pdf" | grep -q "三次握手"'

"$program" -q --pdfa -o "$tmp/pdfa" "$S/four-way.pcap" 2>"$tmp/pdfa.err"
rc=$?
check "--pdfa: refused" '[ $rc -ne 0 ] && [ ! -e "$tmp/pdfa/four-way.pdf" ]'
check "--pdfa: says it needs libharu 2.3.0's repairs" 'grep -q "needs the repairs written for libharu 2.3.0" "$tmp/pdfa.err"'

"$program" grade -q --rubric classic-handshake -o "$tmp/grade" "$S/four-way.pcap" "$S/refused.pcap" 2>/dev/null
check "grade: a student's feedback reads back, with the session's diagram" \
    'text "$tmp/grade/feedback/four-way.pdf" | grep -q "Handshake:normal"'

echo "public-only: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
