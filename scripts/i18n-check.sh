#!/usr/bin/env bash
# The i18n gate: the catalog is up to date, complete, without fuzzy entries, and compiles.
set -euo pipefail
UV=${UV:-$(command -v uv || echo "$HOME/.local/bin/uv")}
po=locale/zh_Hans/LC_MESSAGES/django.po
cp "$po" var/django.po.before
"$UV" run --frozen python manage.py makemessages -l zh_Hans --no-obsolete --no-location \
  --ignore=.venv --ignore=var --ignore=bench --ignore=tests -v0
# Ignore the POT-Creation-Date header line, which makemessages always rewrites.
if ! diff -q <(grep -v '^"POT-Creation-Date' var/django.po.before) <(grep -v '^"POT-Creation-Date' "$po") >/dev/null; then
  echo "i18n: the catalog was out of date; run 'make messages', translate, and commit $po" >&2
  diff -u <(grep -v '^"POT-Creation-Date' var/django.po.before) <(grep -v '^"POT-Creation-Date' "$po") | head -40 >&2
  cp var/django.po.before "$po"
  exit 1
fi
cp var/django.po.before "$po"
untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "i18n: $untranslated untranslated and $fuzzy fuzzy entries in $po" >&2
  msgattrib --untranslated --no-obsolete "$po" | head -30 >&2
  exit 1
fi
msgfmt --check -o /dev/null "$po"
"$UV" run --frozen python manage.py compilemessages --ignore=.venv -v0
echo "i18n: catalog complete"
