"""Build lanchat's Linux release: a PyInstaller folder, a .deb and a .tar.gz in dist/.

Usage: python3 packaging/build.py [--fresh] [--no-deb]   (or `make package`)

Steps: a clean venv in build/venv-package (PyInstaller and lanchat installed
from a wheel, not editable; --fresh recreates it), the .qm translations
compiled from any resources/translations/*.ts, `pyinstaller
packaging/lanchat.spec` into dist/lanchat/, the system libraries the bundle
does not carry found with ldd and dpkg -S for the .deb's Depends:, then
dist/lanchat_<version>_<arch>.deb (dpkg-deb -Zzstd --root-owner-group,
installing to /opt/lanchat with /usr/bin/lanchat) and
dist/lanchat-<version>-linux-<machine>.tar.gz. Needs binutils (objdump) for
PyInstaller and dpkg-deb for the .deb.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = ROOT / "dist"
VENV = BUILD / "venv-package"
BUNDLE = DIST / "lanchat"
PYINSTALLER = "pyinstaller==6.22.3"
# What Qt needs whatever ldd finds (as packaging/system-deps.sh installs for `make run`).
BASE_DEPENDS = ["libgl1", "libegl1", "libfontconfig1", "libdbus-1-3", "libxkbcommon0", "libglib2.0-0"]
# What this machine needs to build: objdump for PyInstaller, and every library
# the bundle links to but does not carry, so that ldd can name its package.
HOST_PACKAGES = ["binutils", *BASE_DEPENDS, "libwayland-client0", "libwayland-cursor0", "libwayland-egl1"]
DESCRIPTION = """\
LAN messenger: chat, pictures and files with classmates
 lanchat is a desktop messenger for the local network: start it, see who
 else on your network runs it, and chat, send pictures and files to them.
 No server, no account, no internet: presence travels by UDP broadcast,
 messages and files over TLS 1.3 connections checked against each
 contact's key.
 .
 This package carries its own Python and Qt in /opt/lanchat."""


def run(*cmd: str | Path, cwd: Path = ROOT, quiet: bool = False) -> str:
    """Run a command, fail loudly; returns its stdout when quiet."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, check=False, text=True,
        stdout=subprocess.PIPE if quiet else None,
    )
    if result.returncode != 0:
        sys.exit(f"build failed: {cmd[0]} exited {result.returncode}")
    return result.stdout or ""


def ensure_host_packages(packages: list[str]) -> None:
    """Install missing Debian packages with apt-get as root; otherwise say which and stop."""
    if not shutil.which("dpkg-query"):
        return
    missing = [
        pkg for pkg in packages
        if "install ok installed" not in subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True, check=False
        ).stdout
    ]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit("these Debian packages are missing: sudo apt-get install " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print("installing", *missing, flush=True)
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        if subprocess.run(cmd, env=env, check=False).returncode != 0:
            sys.exit(f"build failed: {' '.join(cmd[:2])} exited non-zero")


def project_version() -> str:
    return str(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"])


def debian_version(version: str) -> str:
    """PEP 440 to Debian ordering: 1.0rc1 -> 1.0~rc1, 1.0.dev2 -> 1.0~dev2."""
    return re.sub(r"\.?(a|b|rc|dev)(\d*)", r"~\1\2", version)


def check_metadata(version: str) -> None:
    """The metainfo must announce the version being built (the newest <release> first)."""
    metainfo = (ROOT / "resources" / "io.github.lanchat.metainfo.xml").read_text("utf-8")
    first = re.search(r'<release\s+version="([^"]+)"', metainfo)
    if not first or first.group(1) != version:
        sys.exit(f"resources/io.github.lanchat.metainfo.xml: add a <release version=\"{version}\"> first")


def ensure_venv(fresh: bool) -> Path:
    """build/venv-package with PyInstaller and lanchat's dependencies; recreated when they change."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".lanchat-build-stamp"
    wanted = hashlib.sha256((PYINSTALLER + (ROOT / "pyproject.toml").read_text("utf-8")).encode()).hexdigest()
    if fresh or not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(VENV, ignore_errors=True)
        print(f"creating {VENV.relative_to(ROOT)}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "-q", PYINSTALLER)
        stamp.write_text(wanted)
    return python


def install_project(python: Path) -> None:
    """lanchat from a freshly built wheel (not editable), with its dependencies."""
    wheels = BUILD / "wheel"
    shutil.rmtree(wheels, ignore_errors=True)
    run(python, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels, ROOT)
    (wheel,) = wheels.glob("lanchat-*.whl")
    run(python, "-m", "pip", "install", "-q", wheel)
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", wheel)


def compile_translations(python: Path) -> None:
    sources = sorted((ROOT / "resources" / "translations").glob("*.ts"))
    if sources:
        lrelease = python.parent / "pyside6-lrelease"
        for ts in sources:
            run(lrelease, "-silent", ts, "-qm", ts.with_suffix(".qm"))


def run_pyinstaller(python: Path) -> None:
    work = BUILD / "pyinstaller"
    # cwd = build/: only the venv's (installed) lanchat can be imported, never the source tree.
    run(python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", DIST, "--workpath", work, ROOT / "packaging" / "lanchat.spec", cwd=BUILD)
    if not (BUNDLE / "lanchat").is_file():
        sys.exit("build failed: PyInstaller made no dist/lanchat/lanchat")


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def system_libraries(bundle: Path) -> tuple[set[str], set[str]]:
    """(paths of the system libraries the bundle's files link to, sonames ldd could not find).

    Direct links only (NEEDED entries): what those libraries need in turn is
    their own packages' Depends.
    """
    env = dict(os.environ, LD_LIBRARY_PATH=str(bundle / "_internal"))
    inside = str(bundle.resolve())
    outside: set[str] = set()
    missing: set[str] = set()
    for elf in elf_files(bundle):
        dynamic = subprocess.run(["objdump", "-p", str(elf)], text=True, capture_output=True, check=False)
        needed = set(re.findall(r"^\s*NEEDED\s+(\S+)", dynamic.stdout, re.M))
        out = subprocess.run(["ldd", str(elf)], env=env, text=True, capture_output=True, check=False).stdout
        for line in out.splitlines():
            name, _, target = line.strip().partition(" => ")
            if name not in needed:
                continue
            if target.startswith("not found"):
                missing.add(name)
            elif target.startswith("/"):
                path = os.path.realpath(target.split(" (")[0])
                if not path.startswith(inside):
                    outside.add(path)
    return outside, missing


def debian_packages(paths: set[str]) -> set[str]:
    """The installed Debian packages that own these files (dpkg -S)."""
    packages = set()
    for path in sorted(paths):
        candidates = [path]
        if path.startswith(("/lib/", "/lib64/")):  # merged /usr: dpkg may list either spelling
            candidates.append("/usr" + path)
        elif path.startswith("/usr/lib"):
            candidates.append(path[4:])
        for candidate in candidates:
            out = subprocess.run(["dpkg", "-S", candidate], text=True, capture_output=True, check=False)
            if out.returncode == 0:
                packages.add(out.stdout.split(":", 1)[0].split(",")[0].strip())
                break
        else:
            print(f"warning: no Debian package owns {path}")
    return packages


def glibc_floor(bundle: Path) -> str:
    """The newest GLIBC_x.y symbol version any file of the bundle asks for."""
    newest = (2, 17)
    for elf in elf_files(bundle):
        out = subprocess.run(["objdump", "-T", str(elf)], text=True, capture_output=True, check=False).stdout
        for major, minor in re.findall(r"\bGLIBC_(\d+)\.(\d+)\b", out):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}"


def depends(bundle: Path) -> list[str]:
    outside, missing = system_libraries(bundle)
    if missing:
        sys.exit(
            "build failed: ldd finds no system library for " + ", ".join(sorted(missing))
            + "\ninstall the Debian packages that provide them (apt-file search NAME) and build again"
        )
    packages = debian_packages(outside) | set(BASE_DEPENDS)
    packages.discard("libc6")
    return [f"libc6 (>= {glibc_floor(bundle)})", *sorted(packages)]


def copy_tree_normalised(src: Path, dst: Path) -> None:
    """Copy with Debian's modes: 0755 for folders and programs, 0644 for the rest (shared libraries too)."""
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(os.readlink(path))
        elif path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            target.chmod(0o755)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            program = path.stat().st_mode & 0o111 and ".so" not in path.name
            target.chmod(0o755 if program else 0o644)


def install_file(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    dst.chmod(0o644)


def build_deb(bundle: Path, version: str, depends_on: list[str]) -> Path:
    arch = run("dpkg", "--print-architecture", quiet=True).strip()
    root = BUILD / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    copy_tree_normalised(bundle, root / "opt" / "lanchat")
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "lanchat").symlink_to("/opt/lanchat/lanchat")
    res = ROOT / "resources"
    share = root / "usr" / "share"
    install_file(res / "lanchat.desktop", share / "applications" / "lanchat.desktop")
    install_file(res / "io.github.lanchat.metainfo.xml", share / "metainfo" / "io.github.lanchat.metainfo.xml")
    install_file(res / "icons" / "lanchat.svg", share / "icons" / "hicolor" / "scalable" / "apps" / "lanchat.svg")
    for png in sorted((res / "icons" / "hicolor").glob("*/apps/lanchat.png")):
        install_file(png, share / "icons" / "hicolor" / png.relative_to(res / "icons" / "hicolor"))
    (share / "doc" / "lanchat").mkdir(parents=True)
    (share / "doc" / "lanchat" / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: lanchat\n\nFiles: *\nCopyright: the lanchat developers\nLicense: MIT\n\n"
        "Files: opt/lanchat/_internal/*\nCopyright: their authors\n"
        "License: PSF-2.0 and LGPL-3 and Apache-2.0 and others\n"
        " Python (PSF-2.0); Qt 6 and PySide6, as shared libraries (LGPL-3, see\n"
        " /usr/share/common-licenses/LGPL-3); cryptography (Apache-2.0 or BSD, texts in\n"
        " _internal/cryptography-*.dist-info/licenses) and OpenSSL (Apache-2.0); other\n"
        " libraries from Debian 12 under the licences in their Debian copyright files.\n"
    )
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        folder.chmod(0o755)
    installed_kib = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir()) // 1024
    control = root / "DEBIAN" / "control"
    control.parent.mkdir(mode=0o755)
    control.write_text(
        f"Package: lanchat\nVersion: {debian_version(version)}\nArchitecture: {arch}\n"
        "Maintainer: The lanchat developers <lanchat@users.noreply.invalid>\n"
        f"Installed-Size: {installed_kib}\nDepends: {', '.join(depends_on)}\n"
        "Section: net\nPriority: optional\n"
        f"Description: {DESCRIPTION}\n"
    )
    control.chmod(0o644)
    deb = DIST / f"lanchat_{debian_version(version)}_{arch}.deb"
    run("dpkg-deb", "-Zzstd", "--root-owner-group", "--build", root, deb)
    return deb


def build_tarball(bundle: Path, version: str) -> Path:
    """The bundle as lanchat-<version>/ with the desktop entry and icons beside it."""
    name = f"lanchat-{version}"
    tarball = DIST / f"{name}-linux-{platform.machine()}.tar.gz"

    def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=name, filter=owned_by_root)
        tar.add(ROOT / "resources" / "lanchat.desktop", arcname=f"{name}/share/lanchat.desktop",
                filter=owned_by_root)
        tar.add(ROOT / "resources" / "icons" / "hicolor", arcname=f"{name}/share/icons/hicolor",
                filter=owned_by_root)
    return tarball


def size_mib(path: Path) -> float:
    if path.is_dir():
        return sum(p.lstat().st_size for p in path.rglob("*")) / 2**20
    return path.stat().st_size / 2**20


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh", action="store_true", help="recreate build/venv-package first")
    parser.add_argument("--no-deb", action="store_true", help="stop after the bundle and the .tar.gz")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        sys.exit("packaging/build.py builds the Linux release; see packaging/README.md for Windows and macOS")
    ensure_host_packages(HOST_PACKAGES)
    for tool in ("objdump", "ldd", *(() if args.no_deb else ("dpkg-deb", "dpkg"))):
        if not shutil.which(tool):
            sys.exit(f"build failed: {tool} is missing (apt-get install binutils dpkg)")
    started = time.monotonic()
    version = project_version()
    check_metadata(version)
    BUILD.mkdir(exist_ok=True)
    DIST.mkdir(exist_ok=True)
    python = ensure_venv(args.fresh)
    install_project(python)
    compile_translations(python)
    run_pyinstaller(python)
    artefacts = [BUNDLE]
    if not args.no_deb:
        requires = depends(BUNDLE)
        print("Depends:", ", ".join(requires))
        artefacts.append(build_deb(BUNDLE, version, requires))
    artefacts.append(build_tarball(BUNDLE, version))
    seconds = time.monotonic() - started
    info = {"version": version, "build_seconds": round(seconds, 1),
            "artefacts": {p.name: round(size_mib(p), 1) for p in artefacts}}
    (DIST / "build-info.json").write_text(json.dumps(info, indent=1) + "\n")
    print(f"\nlanchat {version} built in {seconds:.0f} s")
    for path in artefacts:
        print(f"  {size_mib(path):7.1f} MiB  {path.relative_to(ROOT)}{'/' if path.is_dir() else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
