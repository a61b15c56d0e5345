"""The task card as Rich Text for the detail pane and the card dialog: the lines of
duban.card.task_card (the same card as `duban show`), with the light in its colour."""
from __future__ import annotations

from rich.text import Text

from duban.card import task_card
from duban.i18n import _
from duban.model import Task
from duban.repository import Repository
from duban.selection import Selection
from duban.tui.widgets.task_table import LIGHT_STYLE, light_word


def current_quarter(selection: Selection) -> str:
    return f"Q{(selection.as_of.month - 1) // 3 + 1}"


def card_text(task: Task, selection: Selection, repo: Repository, width: int) -> Text:
    light = selection.light_of(task)
    mark = light_word(light.colour) + ("  " + _("late") if light.late else "")
    light_lines = [mark, *(f"  · {reason}" for reason in light.reasons)]
    if light.late and light.late_reason:
        light_lines.append(f"  · {_('late report')}: {light.late_reason}")
    lines = task_card(task, selection.lead(task), selection.plan(task), repo.display(task.path), width,
                      light=light_lines, current_quarter=current_quarter(selection))
    text = Text(no_wrap=False)
    for index, line in enumerate(lines):
        style = ""
        if index == 0:
            style = "bold"
        elif line.startswith(("●", "○")):
            style = LIGHT_STYLE[light.colour]
        elif line.startswith("  · ") or line.startswith("    "):
            style = "dim" if line.startswith("  · ") else ""
        elif line.startswith("▶"):
            style = "bold"
        text.append(line + "\n", style=style)
    if not task.progress:
        text.append(_("no reports yet") + "\n", style="dim")
    return text
