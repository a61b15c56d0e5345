"""TextInput: Textual's Input, keeping what a clerk types or pastes: the ideographic space
(U+3000) a Chinese input method types between words, and every line of a paste.

Textual inserts a key only when `str.isprintable()` says its character is printable, and
Python counts every space separator but the ASCII one as not printable, so 状态：延期　牵头：规土局
arrived as 状态：延期牵头：规土局."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.widgets import Input

from duban.tui.typeahead import take_own_binding


def _named_space(key: str) -> str | None:
    """The character of a key named after a space separator (ideographic_space), as Pilot
    sends one without its character."""
    try:
        character = unicodedata.lookup(key.replace("_", " "))
    except KeyError:
        return None
    return character if unicodedata.category(character) == "Zs" else None


class TextInput(Input):
    async def _on_key(self, event: events.Key) -> None:
        if await take_own_binding(self, event):
            return  # Backspace, the arrows, Ctrl+U: here and now, in the order typed
        character = event.character or _named_space(event.key)
        if character is not None and len(character) == 1 and unicodedata.category(character) == "Zs":
            event.stop()
            event.prevent_default()
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(character)
            else:
                self.replace(character, *selection)
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual keeps a paste's first line only, so a note pasted from Word lost the rest
        # without a word. Its lines are joined with a space (one line: what the field holds).
        lines = [line.strip() for line in event.text.splitlines()]
        text = " ".join(line for line in lines if line)
        if text:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()
        event.prevent_default()  # Input's own handler would add the first line again
