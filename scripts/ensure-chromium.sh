#!/bin/sh
# Make sure Debian's Chromium is installed for the browser tests (samepage/browser_tests).
# The tests drive /usr/bin/chromium through Playwright; they never download a browser.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-chromium: $CHROMIUM is missing; the browser tests need it." >&2
    echo "Install the Debian package 'chromium' as root:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y chromium fonts-dejavu-core" >&2
    exit 1
fi

echo "ensure-chromium: installing the Debian package 'chromium'..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core

if ! "$CHROMIUM" --version; then
    echo "ensure-chromium: $CHROMIUM was installed but does not run." >&2
    exit 1
fi
