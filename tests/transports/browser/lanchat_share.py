"""`lanchat share ...` exactly as the `lanchat` command runs it, for tests."""

import sys

from lanchat.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["share", *sys.argv[1:]]))
