"""ListField: Textual's Select, taking its own keys in the order they were typed."""

from __future__ import annotations

from textual import events
from textual.widgets import Select

from duban.tui.typeahead import take_own_binding


class ListField(Select[str]):
    """A Down, Up, Space or Enter typed at the list opens it in its turn among the keys typed,
    not once the key has gone back up to the app, where a Tab typed behind it has moved the
    focus to another field by then (duban.tui.typeahead)."""

    async def _on_key(self, event: events.Key) -> None:
        await take_own_binding(self, event)
