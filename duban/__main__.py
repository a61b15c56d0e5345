"""`python -m duban` runs the command-line interface."""

from __future__ import annotations

from duban.cli.early import run

if __name__ == "__main__":
    run()
