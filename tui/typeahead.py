"""Keys land where they were typed, however far the app lags behind the typist.

Textual's app passes each key to the widget that has the focus when the app takes the key
from the terminal, and each widget handles what it was passed in its own time. A focus move
that a widget's own message causes (Input.Submitted, a binding that is not a priority one)
comes after the app has passed on the keys typed behind it: on a loaded machine a note got
the next row's percent (audit T2). So the forms and the round move the focus in priority
bindings, which the app runs before it takes the next key; and before they read the fields
(to save, to turn a page) they wait until every field has handled the keys it was given.

A key its widget handles by a binding (Backspace, Delete, the arrows, Home, End and Ctrl+U in
a field; the arrows in the table) would go back up to the app, which matches bindings only
then, along the focus of that moment: behind a Tab typed ahead, a Backspace meant for a
percent took a digit off the next row's percent, and in the field itself it came after the
characters typed behind it. So duban's fields and the table run their own bindings as they
take each key (take_own_binding), in the order the keys were typed.

Closing works as opening does: the app takes no key while a priority binding's action runs.
Ctrl+S on a form waits, in its action, until the commit is made and the form is gone
(TaskForm.action_save_typed), so the keys typed meanwhile reach the screen under it in their
turn; before, they went to the form on its way out and were lost. The reload after the TUI's
own commit leaves the table uncovered (TaskScreen.after_own_commit): Textual passes a key for
a loading widget to its screen, where a Down or Ctrl+End has no binding.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterable

from textual import events
from textual.binding import Binding, BindingsMap
from textual.message_pump import MessagePump
from textual.widget import Widget

# Long enough for any field to handle its keys on a machine at full load; a field that never
# answers (being removed) does not hold the app up for longer.
HANDLED_TIMEOUT = 5.0


async def handled(widgets: Iterable[MessagePump], timeout: float | None = HANDLED_TIMEOUT) -> None:
    """Return once each widget has handled every message it was sent before this call (the
    keys the app passed it): a callback queued behind them runs when they are done. After
    `timeout` seconds it returns all the same (None: no limit)."""
    loop = asyncio.get_running_loop()
    waits: list[asyncio.Future[None]] = []
    for widget in widgets:
        if not (widget.is_dom_root or widget.is_attached) or not widget.is_running:
            continue  # (the app is the root: attached to nothing)
        done: asyncio.Future[None] = loop.create_future()

        def finish(future: asyncio.Future[None] = done) -> None:
            if not future.done():
                future.set_result(None)

        if widget.call_later(finish):
            waits.append(done)
    if waits:
        await asyncio.wait(waits, timeout=timeout)


@functools.cache
def own_bindings(kind: type[Widget]) -> dict[str, list[Binding]]:
    """The bindings a widget of `kind` has of its own, by key: each class's BINDINGS, a subclass's
    over its bases', as Textual merges them (from its public BindingsMap)."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(kind.__mro__):
        keys.update(BindingsMap(base.__dict__.get("BINDINGS", [])).key_to_bindings)
    return keys


async def take_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run `widget`'s own binding for the key now, in its turn among the keys it was given,
    and keep the key from going on up; False when it has none (or its action is off)."""
    for binding in own_bindings(type(widget)).get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False
