"""The command line of docs/cli.md: the window, headless mode, `send` and `history`."""
