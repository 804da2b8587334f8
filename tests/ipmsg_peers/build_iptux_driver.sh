#!/bin/sh
# Build iptux-driver (a headless iptux peer for tests) from iptux_driver.cpp.
#
#   build_iptux_driver.sh [OUTPUT]     default OUTPUT: <repo>/.venv/iptux-driver/iptux-driver
#
# Rebuilds only when the source is newer than OUTPUT.  Needs the Debian
# packages named in REQUIRED below; exits 3 naming the missing ones.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
src="$here/iptux_driver.cpp"
out="${1:-$repo/.venv/iptux-driver/iptux-driver}"

REQUIRED="iptux g++ pkg-config libgoogle-glog-dev libjsoncpp-dev libglib2.0-dev libsigc++-2.0-dev libgflags-dev"

if [ -x "$out" ] && [ ! "$src" -nt "$out" ]; then
    echo "$out"
    exit 0
fi

missing=""
for pkg in $REQUIRED; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $pkg"
    fi
done
if [ -n "$missing" ]; then
    echo "iptux-driver needs these Debian packages:$missing" >&2
    echo "install them with: apt-get install -y$missing" >&2
    exit 3
fi

mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
# The driver replaces one broken method of libiptux-core 0.8.3
# (iptux::AnalogFS::mkdir, see the source); exporting it from the executable
# makes the library's calls bind to it.
fix_symbol=_ZN5iptux8AnalogFS5mkdirEPKcj
# shellcheck disable=SC2046  # pkg-config output is meant to split
g++ -std=c++17 -O2 -Wall -Wextra -pthread -o "$tmp" "$src" \
    -Wl,--export-dynamic-symbol="$fix_symbol" \
    $(pkg-config --cflags --libs iptux-core)
# Check that the replacement is really exported (else folders crash the core).
if ! nm -D --defined-only "$tmp" | grep -q "$fix_symbol"; then
    rm -f "$tmp"
    echo "iptux-driver: $fix_symbol not exported; the linker ignored --export-dynamic-symbol" >&2
    exit 1
fi
mv -f "$tmp" "$out"
echo "$out"
