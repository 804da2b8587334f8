#!/bin/sh
# Build lanchat.app and dist/lanchat-<version>-macos-<arch>.dmg on macOS.
#
#   packaging/macos/build.sh
#
# Needs Python 3.11+ from python.org or Homebrew (python3 on PATH) and the
# Xcode command line tools. The app is ad-hoc signed by PyInstaller, not
# notarized: the first start needs right-click > Open (see packaging/README.md).
set -eu
cd "$(dirname "$0")/../.."
started=$(date +%s)
VENV=build/venv-package
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
PY="$VENV/bin/python"
VERSION=$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')

# lanchat from a wheel (not editable), PyInstaller pinned as on Linux (packaging/build.py).
"$PY" -m pip install -q --upgrade pip pyinstaller==6.22.3
rm -rf build/wheel
"$PY" -m pip wheel -q --no-deps -w build/wheel .
"$PY" -m pip install -q build/wheel/lanchat-*.whl
"$PY" -m pip install -q --no-deps --force-reinstall build/wheel/lanchat-*.whl

# packaging/lanchat.spec makes dist/lanchat.app (BUNDLE) on macOS.
"$VENV/bin/pyinstaller" --noconfirm --distpath dist --workpath build/pyinstaller packaging/lanchat.spec
dist/lanchat.app/Contents/MacOS/lanchat --version

# A compressed disk image with the app and a link to drag it onto.
stage=build/dmg
rm -rf "$stage"
mkdir -p "$stage"
ditto dist/lanchat.app "$stage/lanchat.app"
ln -s /Applications "$stage/Applications"
dmg="dist/lanchat-$VERSION-macos-$(uname -m).dmg"
hdiutil create -volname "lanchat $VERSION" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
echo "lanchat $VERSION built in $(( $(date +%s) - started )) s: $dmg ($(du -h "$dmg" | cut -f1))"
