"""`python -m duban` runs the command-line interface."""
from __future__ import annotations

from duban.cli.main import main

if __name__ == "__main__":
    main()
