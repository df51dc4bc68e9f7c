#!/usr/bin/env bash
# Install Debian's chromium and a CJK font for the browser tests, when missing and possible.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk\|wenquanyi" || need+=(fonts-noto-cjk)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
if [ ${#need[@]} -eq 0 ]; then echo "==> browser and fonts present"; exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null && exit 0
fi
echo "==> WARNING: could not install ${need[*]}; browser tests will be reported as skipped"
exit 0
