#!/bin/sh
# Make sure the Debian packages the build and the app need are installed:
# gettext (msgfmt, xgettext) compiles and re-extracts the Spanish catalog; Pango is what
# WeasyPrint draws PDFs with; HarfBuzz's subsetter makes WeasyPrint embed fonts many times
# faster than its fontTools fallback (most of a plan PDF's time without it).
set -eu

missing=""
command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1 || missing="$missing gettext"
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz.so.0' || missing="$missing libharfbuzz0b"
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || missing="$missing libharfbuzz-subset0"

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-system-packages: missing Debian packages:$missing" >&2
    echo "Install them as root:  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "ensure-system-packages: installing$missing ..."
apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing fonts-dejavu-core
