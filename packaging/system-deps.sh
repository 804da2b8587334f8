#!/bin/sh
# Make sure the Debian packages lanchat needs are installed: install them
# with apt-get when we can, otherwise print the exact list and fail.
# Usage: packaging/system-deps.sh run|test
set -eu

# What Qt needs to import (QtGui loads libGL/libEGL, fontconfig, D-Bus, xkb).
RUN_PKGS="libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0"
# What creating the venv and running the suite in a private network
# namespace need on a bare Debian; iptux and what tests/ipmsg_peers' driver is
# built from (the real IP Messenger peer the tests talk to), Xvfb for its GUI;
# openssl for LocalSend's daemon; Chromium and its driver, zbar and tidy for
# the browser share (a real phone browser, our QR codes, the page's HTML);
# CJK fonts for the Chinese window; a D-Bus daemon for the notification test.
TEST_PKGS="python3-venv iproute2 iptux g++ pkg-config libgoogle-glog-dev libjsoncpp-dev libglib2.0-dev \
libsigc++-2.0-dev libgflags-dev xvfb xauth x11-utils openssl chromium chromium-driver libzbar0 tidy \
fonts-noto-cjk dbus-daemon"

case "${1:-run}" in
    run) wanted="$RUN_PKGS python3-venv" ;;
    test) wanted="$RUN_PKGS $TEST_PKGS" ;;
    *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    # Not Debian: nothing we can check; pip will tell if Qt fails to import.
    exit 0
fi

missing=""
for pkg in $wanted; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        SUDO="none"
    fi
    if [ "$SUDO" != none ]; then
        echo "Installing system packages:$missing"
        export DEBIAN_FRONTEND=noninteractive
        $SUDO apt-get update -qq
        # shellcheck disable=SC2086
        $SUDO apt-get install -y -qq --no-install-recommends $missing
        exit 0
    fi
fi

echo "lanchat needs these system packages, which are not installed:" >&2
echo "    sudo apt-get install$missing" >&2
echo "Install them (or ask your administrator to), then run this command again." >&2
exit 1
