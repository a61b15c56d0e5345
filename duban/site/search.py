"""The search index: every task and unit of the site, with each character's pinyin initials
(duban.text.pinyin, the table the query language and the TUI use: 长 is c or z), written as a
script (assets/search-index.js) so that a page opened from file:// can read it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from duban.i18n import _
from duban.site.figures import PlanFigures
from duban.site.pages.paths import plan_name, task_page, unit_page
from duban.text.pinyin import initial_sets


def _initials(text: str) -> str:
    """Each character's initials, `|` between characters: 长宁 -> "cz|n"."""
    return "|".join("".join(sorted(letters)) for letters in initial_sets(text))


def _fold(text: str) -> str:
    return "".join(text.lower().split())


def entries(all_figures: Sequence[PlanFigures]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for f in all_figures:
        name = plan_name(f)
        for task in f.tasks:
            lead = "、".join(f.lead(task))
            found.append(
                {
                    "k": "task",
                    "t": f"{task.id} {task.title}",
                    "s": f"{lead}（{name}）",
                    "u": task_page(task),
                    "f": _fold(f"{task.id} {task.title} {lead} {task.area}"),
                    "p": [_initials(task.title), _initials(lead)],
                }
            )
        for unit in f.units:
            registered = f.plan.units.resolve(unit)
            aliases = list(registered.aliases) if registered else []
            found.append(
                {
                    "k": "unit",
                    "t": unit,
                    "s": name,
                    "u": unit_page(f.plan.id, unit),
                    "f": _fold(" ".join([unit, *aliases])),
                    "p": [_initials(n) for n in [unit, *aliases]],
                }
            )
    return found


def script(all_figures: Sequence[PlanFigures]) -> str:
    index = {"entries": entries(all_figures), "words": {"task": _("task"), "unit": _("unit"), "found": _("{n} found")}}
    # No "</" can close a script element early: escape the slash in every text.
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.DUBAN_SEARCH={text};\n"
