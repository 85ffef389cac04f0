#!/bin/sh
# Run Django's deployment checks against the production settings.
# Usage: sh scripts/check-deploy.sh [PYTHON]   (default: .venv/bin/python)
# SECRET_KEY and SAMEPAGE_AUDIT_KEY are throwaways generated for this run only; they are
# never stored. A real production start without its own SAMEPAGE_AUDIT_KEY is refused by
# the settings (README "The audit key"); so is this check if either key is missing.
set -eu

PYTHON=${1:-.venv/bin/python}
cd "$(dirname "$0")/.."

SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')
SAMEPAGE_AUDIT_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))')
if [ "${#SECRET_KEY}" -lt 50 ] || [ "${#SAMEPAGE_AUDIT_KEY}" -lt 32 ]; then
    echo "check-deploy: could not generate throwaway keys" >&2
    exit 1
fi

# Production must refuse to start without its own audit key (never a default one).
if env -u SAMEPAGE_AUDIT_KEY -u SAMEPAGE_AUDIT_KEY_FILE SAMEPAGE_MODE=production \
    SECRET_KEY="$SECRET_KEY" ALLOWED_HOSTS=samepage.example DEBUG=false \
    "$PYTHON" -c 'import samepage.settings' >/dev/null 2>&1
then
    echo "check-deploy: production started without SAMEPAGE_AUDIT_KEY; it must refuse" >&2
    exit 1
fi

SAMEPAGE_MODE=production \
SECRET_KEY=$SECRET_KEY \
SAMEPAGE_AUDIT_KEY=$SAMEPAGE_AUDIT_KEY \
ALLOWED_HOSTS=samepage.example \
DEBUG=false \
    "$PYTHON" manage.py check --deploy --fail-level WARNING
