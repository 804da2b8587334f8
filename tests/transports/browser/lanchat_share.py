"""`lanchat share ...` as cli/main.py runs it (its options, then lanchat.cli.share.main), for tests."""

import sys

from lanchat.cli.headless import Headless
from lanchat.cli.main import _add_peer_options, options_from_args
from lanchat.cli.share import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], _add_peer_options, options_from_args, Headless))
