"""The TUI's screens and dialogs, one module each, each with its own .tcss."""
