#!/bin/bash
# Installs the Debian packages Fileroom builds, runs and tests with. Safe to re-run.
set -euo pipefail
packages=(
    pkgconf libtiff-dev libpoppler-glib-dev libtesseract-dev libleptonica-dev libsqlite3-dev libseccomp-dev
    tesseract-ocr-eng tesseract-ocr-osd
    fonts-dejavu-core
    dpkg-dev binutils lintian
    zlib1g-dev
    # Field crops drawn in the terminal by `review show` and the review loop (sixel, kitty, iTerm or symbols).
    libchafa-dev
    # The sRGB ICC profile filed PDFs embed for PDF/A (/usr/share/color/icc/sRGB.icc).
    icc-profiles-free
    # pdftotext, pdffonts, pdfimages and qpdf: the tests read filed PDFs back with them.
    poppler-utils qpdf
    python3-pip
)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
# The PostgreSQL server for the store's second backend: the tests start a throwaway cluster (scripts/pg-cluster.sh).
# Best effort: where it cannot be installed, the PostgreSQL tests say so and skip; everything else still runs.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql \
        || echo "install-deps: postgresql could not be installed; the PostgreSQL store tests will be skipped" >&2
fi
