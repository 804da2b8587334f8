"""`python -m lanchat`: the command line of docs/cli.md."""

import sys

from lanchat.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
