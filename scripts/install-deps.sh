#!/bin/sh
# Installs the Debian 12 packages pcap2report needs to build, run and test.
# Installs only what is missing; uses sudo when not root. Safe to run again. Extra package
# names given as arguments are installed too (make fuzz asks for clang this way).
set -eu

# libssl-dev: libcrypto, for SHA-256; fonts-wqy-zenhei: the Chinese report's font;
# fonts-dejavu-core and icc-profiles-free (sRGB profile): --pdfa; qpdf, ghostscript,
# python3-pikepdf: the PDF/A checks (docs/pdfa.md); libqpdf-dev: reading a PDF report's
# provenance back (reruns, verify, index); libfreetype-dev: which characters a font
# has, for the PDF's fallback fonts; libarchive-dev: hand-ins packed as .zip/.tar/.7z/.xz/...
# chromium (headless, for the HTML report's browser tests), librsvg2-bin (rsvg-convert) and
# libxml2-utils (xmllint): the SVG and HTML checks (tests/views.sh); fonts-urw-base35: Nimbus
# Sans, the Helvetica metrics the SVG names.
PACKAGES="build-essential pkg-config libpcap-dev libcjson-dev libhpdf-dev libcriterion-dev \
libssl-dev zlib1g-dev libqpdf-dev poppler-utils python3 python3-jsonschema tcpdump tshark fonts-wqy-zenhei valgrind \
fonts-dejavu-core icc-profiles-free qpdf ghostscript python3-pikepdf libfreetype-dev libarchive-dev \
chromium librsvg2-bin libxml2-utils fonts-urw-base35"

PACKAGES="$PACKAGES $*"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# tshark asks whether non-root users may capture; answer it so the install never waits.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
