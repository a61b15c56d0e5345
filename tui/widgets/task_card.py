"""The task card for the detail pane and the card dialog: the lines of duban.supervise.card.task_card
(the same card as `duban show`, wrapped by the Chinese line-breaking rules at the width the
widget has), with the light in its colour."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Static

from duban.i18n import _
from duban.model import Task
from duban.store.repository import Repository
from duban.supervise.card import task_card
from duban.supervise.selection import Selection
from duban.text.glyphs import glyph
from duban.tui.widgets.task_table import LIGHT_STYLE, light_word, visible


def current_quarter(selection: Selection) -> str:
    return f"Q{(selection.as_of.month - 1) // 3 + 1}"


def card_text(task: Task, selection: Selection, repo: Repository, width: int) -> Text:
    light = selection.light_of(task)
    mark = light_word(light.colour) + ("  " + _("late") if light.late else "")
    reason_mark = f"  {glyph('middle')} "
    light_lines = [mark, *(reason_mark + reason for reason in light.reasons)]
    if light.late and light.late_reason:
        light_lines.append(f"{reason_mark}{_('late report')}: {light.late_reason}")
    lines = task_card(
        task,
        selection.lead(task),
        selection.plan(task),
        repo.display(task.path),
        width,
        light=light_lines,
        current_quarter=current_quarter(selection),
        until=selection.as_of,
    )
    if not task.progress:
        lines.append(_("no reports yet"))
    text = Text(no_wrap=True, overflow="crop")  # the card is wrapped already, by the Chinese rules
    for index, line in enumerate(lines):
        style = ""
        if index == 0:
            style = "bold"
        elif line.startswith(light_word(light.colour)):
            style = LIGHT_STYLE[light.colour]
        elif line.startswith(reason_mark):
            style = "dim"
        elif line.startswith(glyph("current")):
            style = "bold"
        text.append(visible(line) + ("\n" if index + 1 < len(lines) else ""), style=style)
    return text


class TaskCard(Static):
    """A task's card, laid out again whenever the widget's width changes."""

    def __init__(self, placeholder: str = "", *, id: str | None = None) -> None:
        super().__init__(placeholder, markup=False, id=id)
        self.shown: tuple[Task, Selection, Repository] | None = None
        self.placeholder = placeholder

    def show_task(self, task: Task | None, selection: Selection | None, repo: Repository) -> None:
        self.shown = (task, selection, repo) if task is not None and selection is not None else None
        self._render_card()

    def _render_card(self) -> None:
        if self.shown is None:
            self.update(self.placeholder)
            return
        width = self.size.width or (self.parent.size.width - 3 if isinstance(self.parent, Widget) else 40)
        self.update(card_text(*self.shown, max(width, 16)))

    def on_resize(self, event: Resize) -> None:
        self._render_card()
