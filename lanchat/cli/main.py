"""Parsing the command line of docs/cli.md and starting the window, headless mode, `send` or `history`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

from lanchat import __version__
from lanchat.app import Options
from lanchat.core.contacts import JOINABLE_NETWORKS, Network
from lanchat.core.ids import network_of
from lanchat.core.profile import default_profile_dir
from lanchat.core.transfers.policy import AcceptMode
from lanchat.transports.addresses import Target
from lanchat.transports.lanchat.transport import DEFAULT_PORT


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("a port is 0..65535")
    return value


def _positive_port(text: str) -> int:
    value = _port(text)
    if value == 0:
        raise argparse.ArgumentTypeError("a presence port is 1..65535")
    return value


def _protocols(text: str) -> frozenset[Network]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    known = {network.value: network for network in JOINABLE_NETWORKS}
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"networks are lanchat, ipmsg and localsend, not {', '.join(unknown)!r}")
    return frozenset(known[name] for name in names)


def _name(text: str) -> str:
    name = text.strip()
    if not 1 <= len(name) <= 64:
        raise argparse.ArgumentTypeError(f"a name is 1 to 64 characters; this one has {len(name)}")
    return name


def _timeout(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("the timeout must be more than 0 seconds")
    return value


def _add_peer_options(parser: argparse.ArgumentParser) -> None:
    """The options docs/cli.md gives the window, headless mode and send alike."""
    parser.add_argument("--profile", metavar="DIR", help="identity, history, settings, partial files")
    parser.add_argument("--name", metavar="NAME", type=_name, help="display name, 1 to 64 characters (saved)")
    parser.add_argument(
        "--port", metavar="N", type=_port, help="TCP port (default 48484; 0 = any free port)"
    )
    parser.add_argument(
        "--presence-port", metavar="N", type=_positive_port, help="UDP presence port (default 48484)"
    )
    parser.add_argument(
        "--target", metavar="ADDR[:PORT]", action="append", default=[],
        help="extra presence target, e.g. 127.255.255.255 (repeatable)",
    )
    parser.add_argument(
        "--peer", metavar="HOST[:PORT]", action="append", default=[],
        help="a manual peer: unicast presence target (repeatable)",
    )
    parser.add_argument(
        "--only-targets", action="store_true",
        help="presence to --target/--peer alone; accept only loopback and those addresses",
    )
    parser.add_argument("--download-dir", metavar="DIR", help="where received files go")
    parser.add_argument(
        "--accept", choices=["auto", "ask", "never"], help="what to do with incoming offers (default ask)"
    )
    parser.add_argument(
        "--protocols", metavar="LIST", type=_protocols,
        help="networks to join, a comma list of lanchat, ipmsg, localsend "
             "(window: saved setting, else all; headless and send: lanchat)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lanchat",
        description="lanchat: chat, pictures and files with people on your network.",
        epilog="Commands: 'lanchat send --help', 'lanchat history --help', 'lanchat share --help'.",
    )
    parser.add_argument("--version", action="version", version=f"lanchat {__version__}")
    parser.add_argument("--headless", action="store_true", help="no window: JSON events on stdout")
    parser.add_argument(
        "--smoke-test", action="store_true", help="build the window, start and stop every worker, exit"
    )
    _add_peer_options(parser)
    return parser


def build_send_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lanchat send", description="Deliver once and exit.")
    _add_peer_options(parser)
    parser.add_argument("--to", required=True, metavar="NAME|ID", help="the contact's name or id")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", metavar="T", help="a message")
    what.add_argument("--file", metavar="F", action="append", help="a file (repeatable)")
    what.add_argument("--dir", metavar="D", help="a folder")
    parser.add_argument("--pin", metavar="PIN", help="for a LocalSend device that asks for a PIN")
    parser.add_argument(
        "--timeout", metavar="S", type=_timeout, default=30.0,
        help="seconds to wait for the contact and the delivery (default 30)",
    )
    return parser


def build_history_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lanchat history", description="Print the chat history.")
    parser.add_argument("--profile", metavar="DIR")
    parser.add_argument("--with", dest="with_", metavar="NAME|ID", help="one contact's chat only")
    parser.add_argument("--format", choices=["json", "html", "txt"], required=True)
    return parser


def options_from_args(args: argparse.Namespace) -> Options:
    """The runtime's options from parsed arguments.

    Raises:
        ValueError: a target that cannot be parsed.
    """
    return Options(
        profile=Path(args.profile).expanduser() if args.profile else default_profile_dir(),
        name=args.name,
        port=DEFAULT_PORT if args.port is None else args.port,
        presence_port=args.presence_port or DEFAULT_PORT,
        targets=tuple(Target.parse(t) for t in [*args.target, *args.peer]),
        only_targets=args.only_targets,
        download_dir=Path(args.download_dir).expanduser() if args.download_dir else None,
        accept=AcceptMode(args.accept) if args.accept else None,
        protocols=args.protocols or frozenset({Network.LANCHAT}),
    )


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["history"]:
        args = build_history_parser().parse_args(args_list[1:])
        from lanchat.cli.history import run_history

        return run_history(Path(args.profile) if args.profile else None, args.with_, args.format)
    if args_list[:1] == ["share"]:
        from lanchat.cli.headless import run_headless
        from lanchat.cli.share import main as share_main

        # Headless mode is handed in: share.py importing it would close a cycle (headless → commands → share).
        return share_main(args_list[1:], _add_peer_options, options_from_args, run_headless)
    sending = args_list[:1] == ["send"]
    args = build_send_parser().parse_args(args_list[1:]) if sending else build_parser().parse_args(args_list)
    try:
        options = options_from_args(args)
    except ValueError as e:
        print(f"lanchat: {e}", file=sys.stderr)
        return 2
    if sending:
        from lanchat.cli.send import Request, run_send

        if network_of(args.to.strip()) is not Network.LANCHAT:  # `--to ipmsg:...` joins that network
            options = dataclasses.replace(options, protocols=options.protocols | {network_of(args.to.strip())})
        if args.pin:  # a PIN is for LocalSend alone
            options = dataclasses.replace(options, protocols=options.protocols | {Network.LOCALSEND})

        paths = [Path(p).expanduser() for p in (args.file or [])]
        paths += [Path(args.dir).expanduser()] if args.dir else []
        return run_send(options, Request(args.to, args.text, paths, args.timeout, args.pin))
    if args.headless:
        from lanchat.cli.headless import run_headless

        return run_headless(options)
    from lanchat.cli.window import run_window

    given = {k for k in ("port", "presence_port", "accept", "protocols") if getattr(args, k, None) is not None}
    return run_window(options, given, smoke=args.smoke_test)


if __name__ == "__main__":
    sys.exit(main())
