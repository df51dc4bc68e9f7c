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
if "$UV" run --frozen python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
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
