#!/usr/bin/env bash
# The notifier renders invoice PDFs with WeasyPrint on the system's Pango. HarfBuzz's subset
# library makes each PDF about 5 times faster (font subsetting in C rather than Python) and
# DejaVu gives every language its glyphs. Installed from Debian's packages when missing and
# we may; a machine without them still renders, only slower.
set -uo pipefail

missing=()
for package in libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} for the invoice PDFs"
  apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
    || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "${missing[@]}" >/dev/null 2>&1) \
    || echo "Could not install ${missing[*]}: invoice PDFs render, but slower" >&2
else
  echo "Missing ${missing[*]}: invoice PDFs render, but slower (apt-get install them)" >&2
fi
exit 0
