#!/usr/bin/env bash
# Install forms-service with its test tooling into .venv and run the whole test suite.
# This is the README's test command; .ci/run calls it too. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV="${FORMS_SERVICE_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e '.[test]'

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work
# on these machines). Install it when we can; without it the browser tests fail loudly.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null
fi

# The documents' paper tests convert every Word document to PDF with LibreOffice and read the
# pages back with poppler (pdfinfo, pdftotext, pdftoppm). Carlito has the metrics of Calibri,
# the templates' font, so a page breaks where it does in Word. Install them when we can.
if { ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null \
    || ! fc-list 2>/dev/null | grep -qi carlito; } \
    && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null \
        && apt-get install -y -qq libreoffice-writer-nogui poppler-utils fonts-crosextra-carlito \
            >/dev/null
fi

# Notifications (issue 17) and the document jobs deliver through RQ: their tests start their own
# redis-server on a free port. Install it when we can.
if ! command -v redis-server >/dev/null && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null && apt-get install -y -qq redis-server >/dev/null
fi

# Single sign-on tests (issue 20): a real OpenID Connect provider (oidc-provider, Node.js, from
# tests/sso/oidc_provider/package-lock.json) and pysaml2's IdP, which signs with xmlsec1.
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    missing=""
    command -v node >/dev/null || missing="$missing nodejs"
    command -v npm >/dev/null || missing="$missing npm"
    command -v xmlsec1 >/dev/null || missing="$missing xmlsec1"
    if [ -n "$missing" ]; then
        apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null
    fi
fi
if command -v npm >/dev/null && [ ! -d tests/sso/oidc_provider/node_modules/oidc-provider ]; then
    (cd tests/sso/oidc_provider && npm ci --no-audit --no-fund --loglevel=error)
fi

# The archival PDFs (issue 16) are rendered by WeasyPrint, which needs Pango (and HarfBuzz,
# fontconfig) from the system and a font with the Danish letters.
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null \
    && ! { ldconfig -p | grep -q libpango-1.0 && fc-list 2>/dev/null | grep -qi dejavu; }; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core >/dev/null
fi

# Fault tests (issue 13) start their own PostgreSQL cluster (initdb in a temporary folder, as
# the postgres user) and their own redis-server (installed above). Install the server binaries
# when we can.
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
    && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null
fi

exec "$VENV/bin/python" -m pytest "$@"
