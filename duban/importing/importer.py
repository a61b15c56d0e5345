"""`import_document`: detect the layout, parse, fill plan fields, and account for every line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duban.errors import DubanError
from duban.i18n import N_, _
from duban.importing import metadata
from duban.importing.documents import read_document
from duban.importing.outline import looks_like_outline, parse_outline
from duban.importing.result import ImportResult
from duban.importing.script import fold
from duban.importing.source import Document
from duban.importing.vocabulary import extra_words

if TYPE_CHECKING:
    from duban.importing.recipe import Recipe

Parser = Callable[..., ImportResult]
Detector = Callable[[Document], int]


def _layouts() -> dict[str, tuple[Detector, Parser, str]]:
    # Deferred: loads duban.importing.cells and 2 more (3 duban modules in all) only when this runs
    from duban.importing.cells import looks_like_cell_table, parse_cell_table
    from duban.importing.narrative import looks_like_narrative, parse_narrative
    from duban.importing.tables import looks_like_pipe_table, parse_pipe_table

    return {
        "outline": (
            looks_like_outline,
            parse_outline,
            N_("numbered items (1、 or 1.) with 牵头单位/责任单位 in parentheses or on their own lines"),
        ),
        "pipe-table": (
            looks_like_pipe_table,
            parse_pipe_table,
            N_("tables written as `序号 | 任务名称 | 指标要求 | 牵头部门 | ...` rows"),
        ),
        "cell-table": (
            looks_like_cell_table,
            parse_cell_table,
            N_("a table flattened to one cell per paragraph, with quarterly columns"),
        ),
        "narrative": (
            looks_like_narrative,
            parse_narrative,
            N_("a work report in prose with the year's main expected targets (主要预期目标)"),
        ),
    }


def _known_layouts() -> str:
    """Each layout's name (what --layout takes) and what it reads, in the interface's language."""
    return _("; ").join(f"{name}: {_(about)}" for name, (_detect, _parse, about) in _layouts().items())


LAYOUT_NAMES = ("auto", "general", "outline", "pipe-table", "cell-table", "narrative")


def detect_layout(document: Document) -> str:
    scores = {name: detect(document) for name, (detect, _parse, _about) in _layouts().items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] <= 0:
        raise DubanError(
            _("{name}: no known layout found in this document").format(name=document.name),
            hint=_("duban reads {layouts}").format(layouts=_known_layouts()),
        )
    return best


AGREEMENT = 0.9
FITTED_MINIMUM = 20


def _agree(fitted: ImportResult, general: ImportResult) -> bool:
    """Whether two readings give (nearly) every task the same units, persons, due date and
    milestone dates."""

    def units(task: dict[str, Any]) -> tuple[Any, ...]:
        return (
            frozenset(task.get("lead", ())),
            frozenset(task.get("support", ())),
            tuple(task.get("leaders", ())),
            task.get("due"),
            tuple(sorted(task.get("milestones", {}))),
        )

    others = {t["source"]["lines"][0]: units(t) for t in general.tasks}
    same = sum(1 for t in fitted.tasks if others.get(t["source"]["lines"][0]) == units(t))
    return same >= AGREEMENT * len(fitted.tasks)


def _quality(result: ImportResult) -> tuple[int, int]:
    """Tasks that name units, then tasks: how well a layout read the document."""
    return (sum(1 for t in result.tasks if t.get("lead") or t.get("support")), len(result.tasks))


def _auto(
    document: Document, plan_id: str, year: int | None, prefer: str | None = None, recipe: Recipe | None = None
) -> ImportResult:
    """The general reading, unless one of the fitted layouts recognises the document and
    reads it at least as well (the bundled plans were built with those)."""
    # Deferred: loads duban.importing.clauses and 2 more (9 duban modules in all) only when this runs
    from duban.importing.clauses import CONVENTION_FIRST_LEADS
    from duban.importing.genre import parse_genre
    from duban.importing.readings import record

    general = parse_genre(document, plan_id, year, prefer, recipe)
    general.readings = [(f"general: {name}", text) for name, text in general.readings]
    chosen_name = general.readings[0][0] if general.readings else "general"
    best: ImportResult | None = None
    best_name = ""
    fitted_all: list[tuple[str, ImportResult]] = []
    for name, (detect, parse, _about) in _layouts().items():
        if prefer is not None or recipe is not None or detect(document) <= 0:
            continue
        try:
            fitted = parse(document, plan_id)
        except (ValueError, KeyError, IndexError, StopIteration):
            continue  # a fitted layout that does not fit after all: the general reading stands
        if fitted.tasks:
            fitted_all.append((f"fitted: {name}", fitted))
        if fitted.tasks and (best is None or _quality(fitted) > _quality(best)):
            best, best_name = fitted, f"fitted: {name}"
    # On a tie the fitted layout stands only for a long document (the bundled plans) where it
    # gives nearly every task what the general rules give it, so it keeps its own wording;
    # where they differ, the general rules, which know every label and convention, decide.
    # A document that states who leads (列第一位者为牵头单位) is read by the rules that know it.
    if best is None:
        record(
            general,
            chosen_name,
            [],
            _("a recipe corrects the reading: the general rules apply it")
            if recipe
            else _("the general rules: no fitted layout recognises the document"),
        )
        return general
    # Deferred: loads duban.importing.roles (2 duban modules in all) only when this runs
    from duban.importing.roles import responsible_as_lead

    for _name, fitted in fitted_all:
        responsible_as_lead(fitted)
    convention = bool(CONVENTION_FIRST_LEADS.search(fold("\n".join(line.text for line in document.lines))))
    if not convention and (
        _quality(best) > _quality(general)
        or (_quality(best) == _quality(general) and len(best.tasks) >= FITTED_MINIMUM and _agree(best, general))
    ):
        record(
            best,
            best_name,
            [(n, r) for n, r in fitted_all if r is not best],
            _("a fitted layout reads at least as many tasks with units as the general rules"),
        )
        best.readings += general.readings
        return best
    record(
        general,
        chosen_name,
        fitted_all,
        _("the general rules read more tasks with units")
        if not convention
        else _("the document states who leads (列第一位者为牵头单位): the general rules know it"),
    )
    return general


_NUMBER_YEAR = re.compile(r"[\u4e00-\u9fff]{1,8}\s*[〔\[(【]\s*((?:19|20)\d{2})\s*[〕\])】]\s*\d+\s*号")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_YEAR = re.compile(r"((?:19|20)\d{2})-\d{1,2}-\d{1,2}")


def document_year(document: Document) -> int | None:
    """The year the document states: its number (〔2019〕), a title line's year (2021年…),
    or a date it was published."""
    meta = metadata.read_metadata(document.lines)
    if meta.fields.get("year"):
        return int(meta.fields["year"])
    lines = [fold(line.text) for line in document.lines if line.text][:40]
    for pattern in (_NUMBER_YEAR, _TITLE_YEAR, _DATE_YEAR):
        for text in lines:
            if pattern is _TITLE_YEAR and len(text) > 80:
                continue
            if match := pattern.search(text):
                return int(match.group(1))
    return None


def import_document(
    path: Path | None,
    plan_id: str,
    layout: str = "auto",
    document: Document | None = None,
    year: int | None = None,
    recipe: Recipe | None = None,
) -> ImportResult:
    """Read a document as a plan; a recipe (recipe.py) corrects how it is read."""
    if recipe is None:
        return _import(path, plan_id, layout, document, year)

    if recipe.layout is not None and layout == "auto":
        layout = recipe.layout
    prefer = recipe.reading or ("tables" if recipe.shapes_tables else None)
    with extra_words(recipe.roles):
        result = _import(path, plan_id, layout, document, year or recipe.year, prefer, recipe)
    result.recipe = recipe
    return result


def _import(
    path: Path | None,
    plan_id: str,
    layout: str = "auto",
    document: Document | None = None,
    year: int | None = None,
    prefer: str | None = None,
    recipe: Recipe | None = None,
) -> ImportResult:
    if document is None:
        assert path is not None
        document = read_document(path)
    if layout not in LAYOUT_NAMES:
        raise DubanError(
            _("unknown layout {layout!r}").format(layout=layout),
            hint=_("one of {options}").format(options=", ".join(LAYOUT_NAMES)),
        )
    stated = year or document_year(document) or _plan_id_year(plan_id)
    if layout == "auto":
        result = _auto(document, plan_id, stated, prefer, recipe)
    elif layout == "general":
        # Deferred: loads duban.importing.genre (8 duban modules in all) only when this runs
        from duban.importing.genre import parse_genre

        result = parse_genre(document, plan_id, stated, prefer, recipe)
    else:
        # Deferred: loads duban.importing.roles (2 duban modules in all) only when this runs
        from duban.importing.roles import responsible_as_lead

        result = _layouts()[layout][1](document, plan_id)
        responsible_as_lead(result)
    chosen = result.layout
    if not result.tasks:
        if layout == "auto":
            raise DubanError(
                _("{name}: no known layout found in this document").format(name=document.name),
                hint=_("duban reads numbered items with their units, tables, and {layouts}").format(
                    layouts=_known_layouts()
                ),
            )
        raise DubanError(
            _("{name}: found no tasks in the {layout} layout").format(name=document.name, layout=chosen),
            hint=_("try another --layout, or check the document's numbering"),
        )
    _fill_plan(result, plan_id, year, document_year(document))
    _account_for_lines(result)
    _note_unsure(result)
    return result


def _note_unsure(result: ImportResult) -> None:
    """Tasks that name no unit, said first among the notes, so the summary shows them."""
    by_id = {str(t["id"]): t for t in result.tasks}
    alone = [
        str(t["id"])
        for t in result.tasks
        if not t.get("lead")
        and not t.get("support")
        and not (t.get("parent") is not None and str(t["parent"]) in by_id)
    ]
    result.unsure = alone
    if alone:
        shown = ", ".join(alone[:8]) + (", …" if len(alone) > 8 else "")
        result.notes.insert(
            0,
            _(
                "{count} tasks name no unit ({ids}): the document gives none; add them by hand or check the layout"
            ).format(count=len(alone), ids=shown),
        )


def _plan_id_year(plan_id: str) -> int | None:
    head = plan_id.split("-", 1)[0]
    return int(head) if head.isdigit() and len(head) == 4 else None


def _fill_plan(result: ImportResult, plan_id: str, year: int | None = None, stated: int | None = None) -> None:
    outside = [line for line in result.document.lines if not result.used.get(line.number, "").startswith("task")]
    meta = metadata.read_metadata(outside)
    found = {**meta.fields, **result.facts}
    for number, name in meta.used.items():
        earlier = result.used.get(number)
        result.used[number] = f"plan: {name}" + (f"; {earlier}" if earlier else "")
        result.skipped.pop(number, None)
    plan: dict[str, object] = {"id": plan_id}
    plan["title"] = found.get("title") or found.get("document_number") or result.document.name
    for key in ("issuer", "document_number", "index_number", "issued"):
        if key in found:
            plan[key] = found[key]
    # --year first, then what the notice states, then the plan id, then any year a title names
    plan["year"] = (
        year
        or found.get("year")
        or _plan_id_year(plan_id)
        or stated
        or _year_from_plan_id(plan_id, result.document.name)
    )
    plan["source"] = {"document": result.document.name, "lines": [1, len(result.document.lines)]}
    if result.roles:
        plan["roles"] = {role: result.roles[role] for role in ("lead", "support") if role in result.roles}
    if "reporting" in found:
        plan["reporting"] = found["reporting"]
    if "target_types" in found:
        plan["target_types"] = dict(sorted(found["target_types"].items()))
    plan["areas"] = result.areas
    plan["units"] = result.units.registry()
    result.plan = plan


def _year_from_plan_id(plan_id: str, name: str) -> int:
    year = _plan_id_year(plan_id)
    if year is not None:
        return year
    raise DubanError(
        _(
            "{name}: cannot tell the plan's year: the document does not state it and the plan id "
            "{plan!r} does not start with one"
        ).format(name=name, plan=plan_id),
        hint=_("give it with --year 2024, or start the plan id with the year, e.g. 2024-{plan}").format(plan=plan_id),
    )


def _account_for_lines(result: ImportResult) -> None:
    """Every non-blank line not used is skipped, with a reason from where it stands."""
    task_lines = [n for n, where in result.used.items() if where.startswith("task")]
    first_task, last_task = min(task_lines), max(task_lines)
    for line in result.document.lines:
        if not line.text or line.number in result.used or line.number in result.skipped:
            continue
        if line.number < first_task:
            reason = "notice preamble"
        elif line.number > last_task:
            reason = "closing remarks"
        else:
            reason = "not part of a task (no rule matched)"
        result.skipped[line.number] = reason
