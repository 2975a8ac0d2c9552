#!/bin/sh
# Reports in every language and reports that last, through the program: Chinese reports of the
# samples read back with pdftotext and every glyph found in the embedded font; a translation
# with a key missing or added is refused; a language is added by adding a file; PDFs are the
# same bytes across runs, -j, time zones, locales and SOURCE_DATE_EPOCH (set to the capture's
# time) for en, zh and --pdfa; PDF/A-1b reports pass the checks docs/pdfa.md describes.
# Usage: PROGRAM=build/pcap2report sh tests/lang.sh
set -u
program=${PROGRAM:-build/pcap2report}
top=$(cd "$(dirname "$0")/.." && pwd)
case $program in /*) ;; *) program=$top/$program ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi; }
S=$top/samples

# The tools of the checks (scripts/install-deps.sh installs them): a python3 with pikepdf
# (Debian's own python3; a python3 earlier on PATH may lack it), qpdf, ghostscript, poppler.
py=""
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import pikepdf' 2>/dev/null; then py=$p; break; fi
done
check "python3-pikepdf is installed (scripts/install-deps.sh)" '[ -n "$py" ]'
for t in qpdf gs pdftotext pdffonts pdfinfo pdftoppm; do
    check "$t is installed (scripts/install-deps.sh)" 'command -v $t >/dev/null'
done
pdfa_check() { [ -n "$py" ] && "$py" "$top/tests/pdfa_check.py" "$@" >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; false; }; }

# ---- Chinese -----------------------------------------------------------------------------------
zh_samples="four-way merged-fin simultaneous-close simultaneous-open refused rst-server syn-only
half-close transfer-1mb reuse ipv6"
set --
for s in $zh_samples; do set -- "$@" "$S/$s.pcap"; done
"$program" -q --lang zh -o "$tmp/zh" "$@"
"$program" -q -o "$tmp/en" "$@"
check "zh: a report for every sample" '[ $(ls "$tmp"/zh/*.pdf | grep -vc /index.pdf) -eq $(echo $zh_samples | wc -w) ]'
for s in $zh_samples; do
    check "zh $s: every character drawn is in the embedded font, with an outline" \
        'pdfa_check --glyphs "$tmp/zh/$s.pdf"'
done
text() { pdftotext -raw "$1" - 2>"$tmp/poppler.err" | tr -d ' \n'; }
check "zh: the wording font is WenQuanYi Zen Hei, embedded" \
    'pdffonts "$tmp/zh/four-way.pdf" | grep -q "WenQuanYiZenHei *CID TrueType *Identity-H *yes yes yes"'
t=$(text "$tmp/zh/four-way.pdf")
for phrase in TCP会话报告 抓包文件 会话一览 三次握手 为什么是三次而不是两次 主动关闭方 被动关闭方 半关闭 \
    四次挥手 谁进入TIME-WAIT TIME-WAIT要等待2MSL 最长报文段寿命（MSL） 原因有两个 第一，保证最后一个ACK能够到达对方 \
    FIN-WAIT-2 CLOSE-WAIT LAST-ACK 生成工具 第2页，共2页; do
    check "zh four-way: pdftotext finds '$phrase'" 'echo "$t" | grep -q "$phrase"'
done
check "zh: poppler reads the fonts without a complaint" '[ ! -s "$tmp/poppler.err" ]'
t=$(text "$tmp/zh/merged-fin.pdf")
for phrase in 延迟确认 为什么只有三个报文段而不是四个 搭上了它的FIN; do
    check "zh merged-fin: pdftotext finds '$phrase'" 'echo "$t" | grep -q "$phrase"'
done
check "zh simultaneous-close: 同时关闭, both in TIME-WAIT" \
    'text "$tmp/zh/simultaneous-close.pdf" | grep -q "这是同时关闭.*双方都进入TIME-WAIT状态"'
check "zh simultaneous-open: 同时打开" 'text "$tmp/zh/simultaneous-open.pdf" | grep -q "这是同时打开"'
check "zh refused: 端口上没有进程在监听" 'text "$tmp/zh/refused.pdf" | grep -q "上没有进程在监听"'
check "zh half-close: 半关闭" 'text "$tmp/zh/half-close.pdf" | grep -q "连接处于半关闭状态"'
all=$(for f in "$tmp"/zh/*.pdf; do pdftotext -raw "$f" - 2>/dev/null; done)
check "zh: no replacement character in any report" '! echo "$all" | grep -q "$(printf "\357\277\275")"'
check "zh: no English sentence in any report" \
    '! echo "$all" | grep -q -e "Handshake" -e " the " -e "Session " -e "Capture summary" -e "segments"'
check "zh: no line starts with closing punctuation" '! echo "$all" | grep -q "^[，。、：；）」』】》]"'
check "zh: field names and class names stay English: the JSON is the same as en's" \
    '(for f in "$tmp"/en/*.json; do [ "${f##*/}" = index.json ] || cmp -s "$f" "$tmp/zh/${f##*/}" || exit 1; done)'

# ---- templates ---------------------------------------------------------------------------------
mkdir "$tmp/tpl"
cp "$top"/templates/*.txt "$tmp/tpl/"
sed '/^anomaly.isn-zero/,/^anomaly.final-ack/{/^anomaly.final-ack/!d}' "$top/templates/zh.txt" > "$tmp/tpl/zh.txt"
PCAP2REPORT_TEMPLATES=$tmp/tpl "$program" -q --lang zh -o "$tmp/bad" "$S/four-way.pcap" 2>"$tmp/err"; rc=$?
check "a translation missing a key is refused, naming it" '[ $rc -eq 1 ] && grep -q "zh.txt: missing key .anomaly.isn-zero." "$tmp/err"'
check "... and leaves no PDF" '[ ! -e "$tmp/bad/four-way.pdf" ]'
{ cat "$top/templates/zh.txt"; printf 'anomaly.isn-zero-typo = 初始序号为 0。\n'; } > "$tmp/tpl/zh.txt"
PCAP2REPORT_TEMPLATES=$tmp/tpl "$program" -q --lang zh -o "$tmp/bad2" "$S/four-way.pcap" 2>"$tmp/err"; rc=$?
check "a translation with an unknown key is refused, naming its line" \
    '[ $rc -eq 1 ] && grep -q "zh.txt:[0-9]*: unknown key .anomaly.isn-zero-typo." "$tmp/err"'
sed 's/^summary.heading = .*/summary.heading = Rapport des sessions TCP/' "$top/templates/en.txt" > "$tmp/tpl/fr.txt"
PCAP2REPORT_TEMPLATES=$tmp/tpl "$program" -q --lang fr -o "$tmp/fr" "$S/four-way.pcap"; rc=$?
check "a language is added by adding a file" '[ $rc -eq 0 ] && pdftotext "$tmp/fr/four-way.pdf" - | grep -q "Rapport des sessions TCP"'
"$program" -q --lang tlh -o "$tmp/tlh" "$S/four-way.pcap" 2>/dev/null; rc=$?
check "an unknown language is a usage error" '[ $rc -eq 2 ]'
cp "$top/templates/zh.txt" "$tmp/tpl/zh.txt"
sed -i 's/^summary.heading = .*/summary.heading = TCP 会话报告 ཀ/' "$tmp/tpl/zh.txt"
PCAP2REPORT_TEMPLATES=$tmp/tpl "$program" -q --lang zh -o "$tmp/tibetan" "$S/four-way.pcap"
check "the glyph check finds a character the font lacks (Tibetan in Zen Hei)" \
    '! pdfa_check --glyphs "$tmp/tibetan/four-way.pdf" >/dev/null && grep -q "FAIL 6.3.5-1" "$tmp/check.out"'

# ---- the same bytes ------------------------------------------------------------------------------
first_second() { grep -o '"first_time":[0-9]*' "$1" | head -n 1 | cut -d: -f2; }
for mode in "--lang en" "--lang zh" "--lang en --pdfa" "--lang zh --pdfa"; do
    d=$(echo "$mode" | tr -d ' -')
    # shellcheck disable=SC2086
    "$program" -q -j1 $mode -o "$tmp/r1$d" "$S/four-way.pcap" "$S/merged-fin.pcap" "$S/reuse.pcap"
    # shellcheck disable=SC2086
    TZ=Asia/Shanghai LC_ALL=C.UTF-8 "$program" -q -j2 $mode -o "$tmp/r2$d" "$S/four-way.pcap" "$S/merged-fin.pcap" "$S/reuse.pcap"
    check "$mode: -j1 and -j2, other time zone and locale: identical PDFs" 'diff -r "$tmp/r1$d" "$tmp/r2$d" >/dev/null'
    sde=$(first_second "$tmp/r1$d/four-way.json")
    # shellcheck disable=SC2086
    SOURCE_DATE_EPOCH=$sde TZ=America/New_York "$program" -q -j2 $mode -o "$tmp/r3$d" "$S/four-way.pcap"
    check "$mode: SOURCE_DATE_EPOCH=$sde (the capture's time) or none: identical PDFs" \
        'cmp -s "$tmp/r1$d/four-way.pdf" "$tmp/r3$d/four-way.pdf"'
    pdfa_check "$tmp/r1$d/four-way.pdf" >/dev/null # the full check fails on a report that is not PDF/A
    check "$mode: the /ID is the SHA-256 of the content" \
        'grep -q "rules pass" "$tmp/check.out" && ! grep -q "FAIL id-from-content" "$tmp/check.out"'
done
SOURCE_DATE_EPOCH=1700000000 "$program" -q --pdfa -o "$tmp/sde" "$S/four-way.pcap"
check "SOURCE_DATE_EPOCH is the document's date (Info)" \
    'TZ=UTC pdfinfo "$tmp/sde/four-way.pdf" | grep -q "CreationDate: *Tue Nov 14 22:13:20 2023 UTC"'
check "SOURCE_DATE_EPOCH is the document's date (XMP)" \
    'pdfinfo -meta "$tmp/sde/four-way.pdf" | grep -q "<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>"'
SOURCE_DATE_EPOCH=yesterday "$program" -q -o "$tmp/sde2" "$S/four-way.pcap" 2>/dev/null; rc=$?
check "a SOURCE_DATE_EPOCH that is not a number is a usage error" '[ $rc -eq 2 ]'

# ---- PDF/A-1b ------------------------------------------------------------------------------------
cp "$S/four-way.pcap" "$tmp/a&b <c>.pcap"
for lang in en zh; do
    "$program" -q --pdfa --lang "$lang" -o "$tmp/pdfa-$lang" "$S/four-way.pcap" "$S/merged-fin.pcap" \
        "$S/reuse.pcap" "$S/transfer-1mb.pcap" "$S/rst-client.pcap" "$S/ipv6.pcap" "$tmp/a&b <c>.pcap"
    for f in "$tmp/pdfa-$lang"/*.pdf; do
        n=${f##*/}
        check "pdfa $lang $n: the PDF/A-1b rules of tests/pdfa_check.py" 'pdfa_check "$f"'
        check "pdfa $lang $n: qpdf --check finds no error" \
            'qpdf --check "$f" 2>&1 | grep -q "No syntax or stream encoding errors"'
        check "pdfa $lang $n: every font embedded (pdffonts)" \
            '! pdffonts "$f" | tail -n +3 | grep -v -q " yes yes yes "'
        check "pdfa $lang $n: ghostscript reads it without a message" \
            '[ -z "$(gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=nullpage -dPDFSTOPONERROR "$f" 2>&1)" ]'
        check "pdfa $lang $n: pdfinfo -meta shows the PDF/A identification" \
            'pdfinfo -meta "$f" | grep -q "<pdfaid:part>1</pdfaid:part>"'
        check "pdfa $lang $n: poppler renders page 1 without a complaint" \
            '[ -z "$(pdftoppm -r 20 -f 1 -l 1 -png "$f" "$tmp/page" 2>&1)" ]'
    done
done
check "the PDF/A check fails a report that is not PDF/A (it can fail)" '! pdfa_check "$tmp/en/four-way.pdf" >/dev/null'
[ -n "$py" ] && "$py" -c 'import pikepdf, sys; p = pikepdf.open(sys.argv[1]); p.docinfo["/Title"] = "edited"; p.save(sys.argv[2])' \
    "$tmp/pdfa-zh/four-way.pdf" "$tmp/edited.pdf"
check "the PDF/A check finds an edited title that the XMP no longer matches, and the /ID" \
    '! pdfa_check "$tmp/edited.pdf" >/dev/null && grep -q "FAIL 6.7.3-1" "$tmp/check.out" && grep -q "FAIL id-from-content" "$tmp/check.out"'

echo "lang: $passed passed, $failed failed"
[ $failed -eq 0 ]
