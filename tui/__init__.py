"""duban's terminal UI (installed as duban.tui). Not built yet: see issue 6."""
