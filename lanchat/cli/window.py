"""`lanchat`: the window's start-up. One window per profile; its control socket serves `lanchat send`."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import socket
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from lanchat.app import Options, Runtime, StartupError
from lanchat.cli.commands import Commands
from lanchat.cli.events import EventStream, event_line
from lanchat.cli.signals import SignalWaker
from lanchat.control_socket import SOCKET_NAME, ControlServer, is_running
from lanchat.core.private_files import private_file, private_folder
from lanchat.core.settings import Settings, os_user_name
from lanchat.core.transfers.policy import AcceptMode
from lanchat.transports.addresses import Target
from lanchat.ui.errors import install_excepthook
from lanchat.ui.first_run import FirstRunDialog
from lanchat.ui.theme import apply_theme
from lanchat.ui.translations import install_translators
from lanchat.ui.window import MainWindow

log = logging.getLogger("lanchat.window")

LOG_FILE = "lanchat.log"


def configure_logging(profile: Path) -> None:
    """INFO and up to stderr, and to `<profile>/lanchat.log` (where crash reports go too)."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    try:
        log_file = private_file(private_folder(profile) / LOG_FILE)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    except OSError as e:
        print(f"lanchat: cannot write the log file in {profile}: {e.strerror}", file=sys.stderr)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s", handlers=handlers,
        force=True,
    )


def with_settings(options: Options, args_given: set[str], settings: Settings) -> Options:
    """Saved settings for what the command line did not say (the command line wins for this run)."""
    changes: dict[str, object] = {}
    if "port" not in args_given and settings.port is not None:
        changes["port"] = settings.port
    if "presence_port" not in args_given and settings.presence_port is not None:
        changes["presence_port"] = settings.presence_port
    extra: list[Target] = []
    for text in [*settings.targets, *settings.peers]:
        try:
            extra.append(Target.parse(text))
        except ValueError:
            log.info("ignoring the saved presence target %r", text)
    if extra and not options.only_targets:
        changes["targets"] = tuple(dict.fromkeys((*options.targets, *extra)))
    if "accept" not in args_given and options.accept is None:
        changes["accept"] = AcceptMode(settings.accept)
    if "protocols" not in args_given:
        changes["protocols"] = settings.protocols
    return dataclasses.replace(options, **changes) if changes else options  # type: ignore[arg-type]


def ask_first_name(settings: Settings, options: Options) -> bool:
    """On the first start (no saved name, no --name) ask for one; False when the person cancels."""
    if settings.name or options.name:
        return True
    dialog = FirstRunDialog(os_user_name())
    if dialog.exec() != FirstRunDialog.DialogCode.Accepted or not dialog.name():
        return False
    settings.name = dialog.name()
    return True


def startup_failed(message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "lanchat", message)
    box.setWindowTitle(QCoreApplication.translate("startup", "lanchat cannot start"))
    box.setInformativeText(QCoreApplication.translate(
        "startup", "Close other copies of lanchat or programs that use the same ports, then try again."))
    box.exec()


def ask_running_to_raise(profile: Path, timeout: float = 3.0) -> bool:
    """If a lanchat runs with `profile`, ask it to show its window; True when it answered."""
    path = profile / SOCKET_NAME
    if not is_running(path):
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(path))
            sock.sendall(b'{"cmd":"raise","id":"raise"}\n')
            with sock.makefile("rb") as lines:
                for line in lines:
                    try:
                        event = json.loads(line)
                    except ValueError:
                        continue
                    if event.get("event") == "result" and event.get("id") == "raise":
                        return bool(event.get("ok"))
    except OSError as e:
        log.info("the running lanchat did not answer: %s", e)
    return False


class DesktopControl(QObject):
    """Carries out control-socket commands for the window and broadcasts its events."""

    raise_requested = Signal()
    quit_requested = Signal()

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self.runtime = runtime
        self.commands = Commands(runtime)
        self.commands.raise_requested.connect(self.raise_requested)
        self.commands.quit_requested.connect(self.quit_requested)
        self.server = ControlServer(runtime.options.profile / SOCKET_NAME)
        self.server.command_received.connect(self.on_command)
        self.events = EventStream(runtime, self.server.broadcast)

    def start(self) -> None:
        """Raises OSError when another lanchat holds the profile's socket."""
        self.server.bind()
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    @Slot(int, object)
    def on_command(self, client: int, command: object) -> None:
        self.server.send(client, event_line(self.commands.execute(command)))


def run_window(options: Options, args_given: set[str], smoke: bool = False) -> int:
    """The desktop window: one per profile; a second start raises the running one.

    `smoke` builds the window, starts and stops every worker, and exits 0 (the packaging check).
    """
    configure_logging(options.profile)
    app = QApplication.instance() or QApplication(["lanchat"])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("lanchat")
    app.setDesktopFileName("lanchat")  # Wayland app id / X11 class: the icon of lanchat.desktop
    app.setQuitOnLastWindowClosed(False)
    if not smoke and ask_running_to_raise(options.profile):
        log.info("lanchat already runs with %s; raised its window", options.profile)
        return 0
    try:
        settings = Settings(options.profile)
    except OSError as e:
        log.error("cannot use the profile %s: %s", options.profile, e.strerror)
        if not smoke:
            startup_failed(f"Cannot use the profile folder {options.profile}: {e.strerror}.")
        return 1
    install_translators(app, settings.language)
    apply_theme(app)
    options = with_settings(options, args_given, settings)
    if not smoke and not ask_first_name(settings, options):
        return 0
    waker = SignalWaker(app)
    runtime = Runtime(options)
    try:
        runtime.start()
    except StartupError as e:
        log.error("cannot start: %s", e)
        if not smoke:
            startup_failed(str(e))
        runtime.stop()
        return 1
    reporter = install_excepthook()
    window = MainWindow(runtime)
    control = DesktopControl(runtime)
    try:
        control.start()
    except OSError as e:
        log.warning("no control socket: %s", e)
    control.raise_requested.connect(window.raise_window)
    control.quit_requested.connect(window.quit)
    window.quit_requested.connect(app.quit)
    restart = Restart(app)
    window.restart_requested.connect(restart.request)
    window.start()
    try:
        if smoke:
            QTimer.singleShot(300, app.quit)
        elif settings.start_minimised and window.dialogs.tray.is_visible():
            window.hide()
        elif settings.start_minimised:
            window.showMinimized()
        else:
            window.show()
        app.exec()
    finally:
        control.stop()
        runtime.stop()
        waker.close()
        del waker, reporter
    if restart.requested:
        restart.exec_again()  # does not return
    return 0


class Restart(QObject):
    """Settings that apply at start changed: stop this lanchat cleanly, then start it again in its place."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__()
        self._app = app
        self.requested = False

    @Slot()
    def request(self) -> None:
        self.requested = True
        self._app.exit(0)

    @staticmethod
    def exec_again() -> None:
        """Replace this process by a new lanchat with the same arguments (the profile is free by now)."""
        log.info("restarting")
        logging.shutdown()
        os.execv(sys.executable, [sys.executable, "-m", "lanchat", *sys.argv[1:]])
