"""Reusable widgets of duban's TUI: the task table, the task card."""
