"""The frozen program's entry point: the `lanchat` console script of pyproject.toml."""

import sys

from lanchat.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
