#!/usr/bin/env bash
# Run the test suite on SQLite, then on PostgreSQL when one is reachable; say which legs ran.
set -uo pipefail
UV=${UV:-$(command -v uv || echo "$HOME/.local/bin/uv")}
WORKERS=${TEST_WORKERS:-2}
legs=()
status=0

echo "==> pytest on SQLite"
if DATABASE_URL="sqlite:///var/test.sqlite3" "$UV" run --frozen pytest -n "$WORKERS" -q "$@"; then
  legs+=("SQLite: passed")
else
  legs+=("SQLite: FAILED"); status=1
fi

PG_URL=${TEST_DATABASE_URL:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}}
case "$PG_URL" in postgres*) ;; *) PG_URL=postgres://postgres@127.0.0.1:5432/test ;; esac
# Reachable = the server answers (the database itself may not exist yet: the test
# runner creates test_<name> through the server's maintenance database).
pg_reachable() {
  "$UV" run --frozen python - "$PG_URL" <<'PY' 2>/dev/null
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg

url = sys.argv[1]
parts = urlsplit(url)
for candidate in (url, urlunsplit(parts._replace(path="/postgres"))):
    try:
        psycopg.connect(candidate, connect_timeout=3).close()
        sys.exit(0)
    except Exception:
        pass
sys.exit(1)
PY
}
if pg_reachable; then
  echo "==> pytest on PostgreSQL ($PG_URL)"
  if DATABASE_URL="$PG_URL" "$UV" run --frozen pytest -n "$WORKERS" -q -p no:randomly -m "not browser" "$@"; then
    legs+=("PostgreSQL: passed")
  else
    legs+=("PostgreSQL: FAILED"); status=1
  fi
else
  legs+=("PostgreSQL: not reachable, leg skipped")
fi

echo "==> test legs"
for leg in "${legs[@]}"; do echo "    $leg"; done
exit $status
