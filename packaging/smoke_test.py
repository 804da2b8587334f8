"""Test the frozen release the way a user meets it, and print its figures.

Usage: .venv/bin/python packaging/smoke_test.py [--build-if-needed] [--no-chroot]
(or `make package-test`, which builds first when the sources are newer).

1. dist/lanchat/lanchat: --version; --smoke-test (offscreen: the window is
   built, every worker started and stopped); --headless exchanging a message
   each way with a lanchat run from source; peak RSS after a few idle seconds.
2. The .deb installed with apt into a clean Debian root (debootstrap
   --variant=minbase bookworm, kept in build/chroot/base): /usr/bin/lanchat
   --version, --smoke-test (the installed start time to a window) and
   --headless up to "ready".
Every lanchat process runs inside a private network namespace (as root the
script re-runs itself under `unshare -mn`) with --only-targets --target
127.255.255.255 --port 0 and its own --profile, so nothing leaves loopback.
Exit code: 0 when nothing failed (skipped steps print why).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SMOKE = ROOT / "build" / "smoke"
CHROOT_BASE = ROOT / "build" / "chroot" / "base"
CHROOT_TEST = ROOT / "build" / "chroot" / "test"
SOURCE_PYTHON = ROOT / ".venv" / "bin" / "python"
PHASE_ENV = "LANCHAT_SMOKE_IN_NETNS"
IDLE_SECONDS = 3.0
_spec = importlib.util.spec_from_file_location("lanchat_packaging_build", ROOT / "packaging" / "build.py")
assert _spec and _spec.loader
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

results: list[tuple[str, str, str]] = []  # (PASS|FAIL|SKIP, check, detail)
figures: list[tuple[str, str]] = []


def report(status: str, check: str, detail: str = "") -> None:
    results.append((status, check, detail))
    print(f"[{status}] {check}{': ' + detail if detail else ''}", flush=True)


# --- the outer phase: build, clean root (needs the network), then the namespace ---------------

def newest_source_mtime() -> float:
    paths = [ROOT / "pyproject.toml"]
    for folder in ("lanchat", "resources", "packaging"):
        paths += [p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return max(p.stat().st_mtime for p in paths)


def deb_path() -> Path:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    return build.DIST / f"lanchat_{build.debian_version(build.project_version())}_{arch}.deb"


def build_if_needed() -> None:
    deb = deb_path()
    if deb.exists() and (build.BUNDLE / "lanchat").exists() and deb.stat().st_mtime > newest_source_mtime():
        print(f"{deb.relative_to(ROOT)} is newer than the sources: not rebuilding")
        return
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], check=True)


def prepare_clean_root(deb: Path) -> str | None:
    """The .deb installed by apt into a copy of a minbase bookworm; returns why not, or None."""
    if os.geteuid() != 0:
        return "not root: debootstrap and chroot need root"
    if not shutil.which("debootstrap") and shutil.which("apt-get"):
        build.ensure_host_packages(["debootstrap"])
    if not shutil.which("debootstrap"):
        return "debootstrap is not installed (apt-get install debootstrap)"
    if not deb.exists():
        return f"{deb.relative_to(ROOT)} was not built"
    log = SMOKE / "debootstrap.log"
    if not (CHROOT_BASE / ".complete").exists():
        shutil.rmtree(CHROOT_BASE, ignore_errors=True)
        CHROOT_BASE.parent.mkdir(parents=True, exist_ok=True)
        mirror = os.environ.get("LANCHAT_DEBIAN_MIRROR", "http://deb.debian.org/debian")
        print(f"debootstrap --variant=minbase bookworm from {mirror} (once; kept in build/chroot/base) ...",
              flush=True)
        started = time.monotonic()
        with log.open("wb") as out:
            done = subprocess.run(["debootstrap", "--variant=minbase", "bookworm", str(CHROOT_BASE), mirror],
                                  stdout=out, stderr=subprocess.STDOUT, timeout=1200, check=False)
        if done.returncode != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
            return f"debootstrap could not make a Debian root ({tail[0]}; see {log.relative_to(ROOT)})"
        (CHROOT_BASE / ".complete").touch()
        figures.append(("debootstrap of the clean root", f"{time.monotonic() - started:.0f} s"))
    shutil.rmtree(CHROOT_TEST, ignore_errors=True)
    subprocess.run(["cp", "-a", "--reflink=auto", str(CHROOT_BASE), str(CHROOT_TEST)], check=True)
    shutil.copyfile("/etc/resolv.conf", CHROOT_TEST / "etc" / "resolv.conf")
    shutil.copyfile(deb, CHROOT_TEST / "tmp" / deb.name)
    with (SMOKE / "apt-install.log").open("wb") as out:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", f"/tmp/{deb.name}"]):
            done = subprocess.run(["chroot", str(CHROOT_TEST), *cmd], stdout=out, stderr=subprocess.STDOUT,
                                  env=env, timeout=900, check=False)
            if done.returncode != 0:
                report("FAIL", "apt-get install of the .deb in a clean bookworm root",
                       f"{' '.join(cmd)} exited {done.returncode}; see build/smoke/apt-install.log")
                return "the .deb did not install"
    report("PASS", "apt-get install of the .deb in a clean bookworm root (Depends resolved)")
    return None


def in_private_netns() -> bool:
    return os.environ.get(PHASE_ENV) == "1"


def can_unshare() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return False
    return subprocess.run(["unshare", "-mn", "true"], capture_output=True).returncode == 0


# --- lanchat processes ------------------------------------------------------------------------

class Headless:
    """A `lanchat --headless` process: JSON events read by a thread, commands written to stdin."""

    def __init__(self, label: str, cmd: list[str], env: dict[str, str]) -> None:
        self.label = label
        self.log = SMOKE / f"{label}.stderr.log"
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log.open("wb"), env=env)
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.backlog: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout
        for raw in self.proc.stdout:
            try:
                self.events.put(json.loads(raw))
            except ValueError:
                self.events.put({"event": "_not_json", "line": raw.decode(errors="replace")})

    def wait_for(self, event: str, timeout: float, **fields: Any) -> dict[str, Any]:
        """The first event of this kind with these fields; raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            for item in self.backlog:
                if item.get("event") == "_not_json":
                    raise RuntimeError(f"{self.label} printed a line that is not JSON: {item['line']!r}")
                if item.get("event") == event and all(item.get(k) == v for k, v in fields.items()):
                    self.backlog.remove(item)
                    return item
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None and self.events.empty():
                raise TimeoutError(f"{self.label}: no {event} {fields or ''} in {timeout:.0f} s "
                                   f"(exit {self.proc.poll()}; stderr in {self.log.relative_to(ROOT)})")
            try:
                self.backlog.append(self.events.get(timeout=min(left, 0.2)))
            except queue.Empty:
                pass

    def command(self, **cmd: Any) -> None:
        assert self.proc.stdin
        self.proc.stdin.write((json.dumps(cmd) + "\n").encode())
        self.proc.stdin.flush()

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc/PID/status")

    def quit(self) -> tuple[int | None, float]:
        """(exit code, seconds from quit to exit); killed after 5 s."""
        started = time.monotonic()
        if self.proc.poll() is None:
            try:
                self.command(cmd="quit", id="q")
                self.proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
                return None, time.monotonic() - started
        return self.proc.returncode, time.monotonic() - started


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lanchat_env(home: Path) -> dict[str, str]:
    """A private HOME and XDG folders, offscreen Qt."""
    runtime = home / "runtime"
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "DISPLAY", "WAYLAND"))}
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"))
    return env


def safe_options(presence_port: int, profile: Path, name: str) -> list[str]:
    return ["--only-targets", "--target", "127.255.255.255", "--port", "0",
            "--presence-port", str(presence_port), "--profile", str(profile), "--name", name]


def timed(cmd: list[str], env: dict[str, str], label: str, timeout: float = 60) -> tuple[int, float, str]:
    """(exit code, seconds, last stderr line)."""
    started = time.monotonic()
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, time.monotonic() - started, f"still running after {timeout:.0f} s"
    seconds = time.monotonic() - started
    (SMOKE / f"{label}.stderr.log").write_bytes(done.stderr)
    last = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
    return done.returncode, seconds, last[0]


# --- the checks, inside the namespace -----------------------------------------------------

def check_version(cmd: list[str], env: dict[str, str], where: str) -> None:
    done = subprocess.run([*cmd, "--version"], env=env, capture_output=True, text=True, timeout=30)
    wanted = f"lanchat {build.project_version()}"
    if done.returncode == 0 and done.stdout.strip() == wanted:
        report("PASS", f"{where} --version", wanted)
    else:
        report("FAIL", f"{where} --version", f"exit {done.returncode}, {done.stdout.strip()!r}")


def source_smoke_test_works(work: Path) -> tuple[bool, str]:
    """Whether `python -m lanchat --smoke-test` works from source (else the app lacks it yet)."""
    profile = work / "source-smoke"
    code, _, last = timed([str(SOURCE_PYTHON), "-m", "lanchat", "--smoke-test",
                           *safe_options(free_udp_port(), profile, "source-smoke")],
                          lanchat_env(work / "home-source-smoke"), "source-smoke-test")
    return code == 0, last


def check_smoke_test(cmd: list[str], env: dict[str, str], profile: Path, work: Path, where: str,
                     figure: str) -> None:
    """`--smoke-test`, timed; `work` is a host folder for the from-source comparison."""
    label = profile.name
    code, seconds, last = timed([*cmd, "--smoke-test", *safe_options(free_udp_port(), profile, label)], env, label)
    if code == 0:
        report("PASS", f"{where} --smoke-test", f"{seconds:.2f} s")
        figures.append((figure, f"{seconds:.2f} s"))
        return
    works, source_last = source_smoke_test_works(work)
    if works:
        report("FAIL", f"{where} --smoke-test", f"exit {code} ({last}) while it passes from source")
    else:
        report("SKIP", f"{where} --smoke-test",
               f"fails from source too, so the app does not have it yet ({source_last})")
        figures.append((figure, "n/a (--smoke-test does not work in the app yet)"))


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    """A virtual X server on a display number it picks itself; yields DISPLAY."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp",
                               "-screen", "0", "1280x800x24"], pass_fds=(write_end,),
                              stdout=subprocess.DEVNULL, stderr=(SMOKE / "xvfb.log").open("wb"))
    os.close(write_end)
    try:
        with os.fdopen(read_end) as numbers:
            display = numbers.readline().strip()  # written once the server accepts clients
        if not display:
            raise RuntimeError("Xvfb did not start (build/smoke/xvfb.log)")
        yield f":{display}"
    finally:
        server.terminate()
        server.wait()


def check_on_x_server(cmd: list[str], env: dict[str, str], profile: Path, work: Path, where: str) -> None:
    """--smoke-test through Qt's xcb plugin: the libraries a real desktop session loads."""
    if not shutil.which("Xvfb"):
        report("SKIP", f"{where} --smoke-test on an X server", "Xvfb is not installed (apt-get install xvfb)")
        return
    try:
        with xvfb() as display:
            check_smoke_test(cmd, dict(env, DISPLAY=display, QT_QPA_PLATFORM="xcb"), profile, work,
                             f"{where} (X server, xcb)", f"{where} start to window on an X server (Xvfb)")
    except RuntimeError as exc:
        report("SKIP", f"{where} --smoke-test on an X server", str(exc))


def check_exchange(frozen: list[str], work: Path) -> None:
    """Frozen headless <-> source headless on loopback: a message each way, delivered."""
    port = free_udp_port()
    a = Headless("frozen-headless", [*frozen, "--headless", *safe_options(port, work / "a", "frozen")],
                 lanchat_env(work / "home-a"))
    b = Headless("source-headless", [str(SOURCE_PYTHON), "-m", "lanchat", "--headless",
                                     *safe_options(port, work / "b", "source")], lanchat_env(work / "home-b"))
    try:
        ready_a, ready_b = a.wait_for("ready", 30), b.wait_for("ready", 30)
        a.wait_for("peer", 30, id=ready_b["id"])
        b.wait_for("peer", 30, id=ready_a["id"])
        for sender, receiver, ready_to, text in ((a, b, ready_b, "hello from the frozen build ✓"),
                                                 (b, a, ready_a, "hello back from source")):
            started = time.monotonic()
            sender.command(cmd="send", id="1", to=ready_to["id"], text=text)
            result = sender.wait_for("result", 15, id="1")
            if not result.get("ok"):
                raise RuntimeError(f"{sender.label} send failed: {result}")
            got = receiver.wait_for("message", 15, text=text)
            sender.wait_for("delivered", 15, mid=result["mid"])
            if got["from"] != (ready_a if sender is a else ready_b)["id"]:
                raise RuntimeError(f"message from {got['from']}, not the sender")
            figures.append((f"message {sender.label} -> {receiver.label}",
                            f"delivered in {1000 * (time.monotonic() - started):.0f} ms"))
        report("PASS", "frozen --headless <-> source --headless", "a message each way, both delivered")
    except (TimeoutError, RuntimeError, KeyError) as exc:
        report("FAIL", "frozen --headless <-> source --headless", str(exc))
    for peer in (a, b):
        code, seconds = peer.quit()
        status = "PASS" if code == 0 and seconds < 2 else "FAIL"
        report(status, f"{peer.label} quits", f"exit {code} in {seconds:.2f} s")


def check_idle_rss(frozen: list[str], work: Path, where: str) -> None:
    peer = Headless("idle-headless", [*frozen, "--headless", *safe_options(free_udp_port(), work / "idle", "idle")],
                    lanchat_env(work / "home-idle"))
    try:
        peer.wait_for("ready", 30)
        time.sleep(IDLE_SECONDS)  # a measurement over idle time, not a wait for a condition
        rss = peer.peak_rss_mib()
        report("PASS", f"{where} --headless idle", f"peak RSS {rss:.0f} MiB after {IDLE_SECONDS:.0f} s")
        figures.append((f"peak RSS, {where} --headless idle {IDLE_SECONDS:.0f} s (VmHWM)", f"{rss:.0f} MiB"))
    except (TimeoutError, RuntimeError) as exc:
        report("FAIL", f"{where} --headless idle", str(exc))
    peer.quit()


def check_installed(work: Path) -> None:
    """The .deb's /usr/bin/lanchat inside the clean root (mount namespace: /proc for the chroot only)."""
    subprocess.run(["mount", "-t", "proc", "proc", str(CHROOT_TEST / "proc")], check=True)
    try:
        inner = Path("/tmp/lanchat-smoke")  # inside the clean root
        host_inner = CHROOT_TEST / inner.relative_to("/")
        chroot = ["chroot", str(CHROOT_TEST), "/usr/bin/lanchat"]
        wanted = ("usr/share/applications/lanchat.desktop", "usr/share/metainfo/io.github.lanchat.metainfo.xml",
                  "usr/share/icons/hicolor/48x48/apps/lanchat.png", "usr/share/icons/hicolor/scalable/apps/lanchat.svg")
        missing = [p for p in wanted if not (CHROOT_TEST / p).exists()]
        report("FAIL" if missing else "PASS", "installed desktop entry, metainfo and icons",
               f"missing {missing}" if missing else "")
        lanchat_env(host_inner)  # makes its runtime folder, 0700
        env = {k: v.replace(str(host_inner), str(inner)) for k, v in lanchat_env(host_inner).items()}
        check_version(chroot, env, "installed /usr/bin/lanchat")
        check_smoke_test(chroot, env, inner / "installed-smoke", work, "installed /usr/bin/lanchat",
                         "installed start to window (--smoke-test)")
        check_on_x_server(chroot, env, inner / "installed-smoke-x", work, "installed /usr/bin/lanchat")
        started = time.monotonic()
        peer = Headless("installed-headless",
                        [*chroot, "--headless", *safe_options(free_udp_port(), inner / "h", "installed")], env)
        try:
            peer.wait_for("ready", 30)
            figures.append(("installed --headless start to ready", f"{time.monotonic() - started:.2f} s"))
            report("PASS", "installed /usr/bin/lanchat --headless", "ready")
        except (TimeoutError, RuntimeError) as exc:
            report("FAIL", "installed /usr/bin/lanchat --headless", str(exc))
        code, seconds = peer.quit()
        report("PASS" if code == 0 else "FAIL", "installed --headless quits", f"exit {code} in {seconds:.2f} s")
    finally:
        subprocess.run(["umount", str(CHROOT_TEST / "proc")], check=False)


def inner_phase(chroot_skip: str | None) -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
    frozen = [str(build.BUNDLE / "lanchat")]
    with tempfile.TemporaryDirectory(prefix="lanchat-smoke-") as tmp:
        work = Path(tmp)
        check_version(frozen, lanchat_env(work / "home"), "dist/lanchat/lanchat")
        check_smoke_test(frozen, lanchat_env(work / "home-smoke"), work / "bundle-smoke", work,
                         "dist/lanchat/lanchat", "bundle start to window (--smoke-test)")
        check_on_x_server(frozen, lanchat_env(work / "home-x"), work / "bundle-smoke-x", work, "dist/lanchat/lanchat")
        check_exchange(frozen, work)
        check_idle_rss(frozen, work, "dist/lanchat")
        if chroot_skip:
            report("SKIP", "installed .deb in a clean root", chroot_skip)
        else:
            check_installed(work)


def print_summary() -> int:
    info_file = build.DIST / "build-info.json"
    info = json.loads(info_file.read_text()) if info_file.exists() else {}
    sizes = [(f"size of {name}", f"{mib:.1f} MiB") for name, mib in info.get("artefacts", {}).items()]
    build_time = [("build time (packaging/build.py)", f"{info['build_seconds']:.0f} s")] if info else []
    print(f"\nlanchat {build.project_version()} release figures")
    for name, value in [*sizes, *build_time, *figures]:
        print(f"  {name:<58} {value}")
    counts = {s: sum(1 for r in results if r[0] == s) for s in ("PASS", "FAIL", "SKIP")}
    for status, check, detail in results:
        if status != "PASS":
            print(f"  {status}: {check}: {detail}")
    print(f"package-test: {counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
    return 1 if counts["FAIL"] else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-if-needed", action="store_true", help="run packaging/build.py when stale")
    parser.add_argument("--no-chroot", action="store_true", help="skip the clean-root install")
    parser.add_argument("--chroot-skip", help=argparse.SUPPRESS)  # set by the outer phase
    args = parser.parse_args(argv)
    SMOKE.mkdir(parents=True, exist_ok=True)
    carried = SMOKE / "outer-results.json"
    if in_private_netns():
        if carried.exists():
            saved = json.loads(carried.read_text())
            results[:0] = [tuple(r) for r in saved["results"]]
            figures[:0] = [tuple(f) for f in saved["figures"]]
            carried.unlink()
        inner_phase(args.chroot_skip or None)
        return print_summary()
    if args.build_if_needed:
        build_if_needed()
    if not shutil.which("Xvfb") and os.geteuid() == 0 and shutil.which("apt-get"):
        build.ensure_host_packages(["xvfb"])  # for the window through Qt's xcb plugin
    if not (build.BUNDLE / "lanchat").exists():
        sys.exit("dist/lanchat/lanchat is missing: run `make package` first")
    skip = "--no-chroot was given" if args.no_chroot else prepare_clean_root(deb_path())
    if can_unshare():
        # The namespace must come after debootstrap and apt, which need the network.
        carried.write_text(json.dumps({"results": results, "figures": figures}))
        env = dict(os.environ, **{PHASE_ENV: "1"})
        cmd = ["unshare", "-mn", sys.executable, __file__, "--chroot-skip", skip or ""]
        code = subprocess.run(cmd, env=env, check=False).returncode
        return 1 if code or any(r[0] == "FAIL" for r in results) else 0
    print("note: cannot create a private network namespace (needs root and unshare); "
          "every lanchat process keeps to loopback targets instead")
    os.environ[PHASE_ENV] = "1"
    if skip is None and os.geteuid() != 0:
        skip = "not root"
    inner_phase(skip)
    return print_summary()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
