#!/bin/sh
# Run Django's deployment checks against the production settings.
# Usage: sh scripts/check-deploy.sh [PYTHON]   (default: .venv/bin/python)
# The SECRET_KEY is a throwaway generated for this run only; it is never stored.
set -eu

PYTHON=${1:-.venv/bin/python}
cd "$(dirname "$0")/.."

SECRET_KEY=$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')
if [ "${#SECRET_KEY}" -lt 50 ]; then
    echo "check-deploy: could not generate a throwaway SECRET_KEY" >&2
    exit 1
fi

SAMEPAGE_MODE=production \
SECRET_KEY=$SECRET_KEY \
ALLOWED_HOSTS=samepage.example \
DEBUG=false \
    "$PYTHON" manage.py check --deploy --fail-level WARNING
