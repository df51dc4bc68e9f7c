#!/usr/bin/env bash
# Install the CJK font the generated PDFs embed (Noto Sans CJK, from Debian's fonts-noto-cjk)
# and poppler-utils (pdftotext/pdftoppm, used by the documents tests), when missing and possible.
# fpdf2 embeds Noto Sans CJK's CFF outlines as they are; WenQuanYi Zen Hei is the fallback.
# Set DOCUMENT_FONT=/path/to/font.ttc#index to use another font.
set -u
need=()
# Noto is the font of record even where WenQuanYi is already installed: only Noto has the rarer
# characters of names (CJK extension B, e.g. 𠀾) the documents tests print.
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then echo "==> document fonts and poppler present"; exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing ${need[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null && exit 0
fi
echo "==> WARNING: could not install ${need[*]}; documents need a CJK font (DOCUMENT_FONT)"
echo "    and the text-extraction tests will be skipped without pdftotext"
exit 0
