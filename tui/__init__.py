"""duban's terminal UI (installed as duban.tui): a Textual app over the same core as the CLI."""
