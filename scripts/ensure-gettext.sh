#!/bin/sh
# Make sure GNU gettext (msgfmt, xgettext) is installed: the build compiles the Spanish
# catalog and the i18n test re-extracts strings with it.
set -eu

if command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-gettext: msgfmt/xgettext are missing. Install the Debian package 'gettext':" >&2
    echo "    sudo apt-get update && sudo apt-get install -y gettext" >&2
    exit 1
fi
echo "ensure-gettext: installing the Debian package 'gettext'..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext
