"""A typed accessor for duban's app, so screens and widgets need no `type: ignore`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from duban.tui.app import DubanApp


def duban_app(node: DOMNode) -> DubanApp:
    """The DubanApp that `node` belongs to."""
    # Deferred: loads duban.tui.app (14 duban modules in all; rich, textual) only when this runs
    from duban.tui.app import DubanApp

    app = node.app
    assert isinstance(app, DubanApp), app
    return app
