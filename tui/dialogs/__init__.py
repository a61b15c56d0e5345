"""Modal dialogs of duban's TUI."""
