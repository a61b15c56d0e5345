"""duban's documents against the reference model (tests/reference/model.py), on random plans
and months recorded in real git repositories through duban's own recording path.

Each case is a small plan (2-8 tasks: co-leads, supporting units, collectives, sub-items,
milestones, due dates, sometimes a numeric target), a reporting calendar (mostly the 25th of
each month; any day, two-month and quarterly rhythms, covers, grace, first and lists of
dates) and a few months of events: reports typed on time, typed late with an earlier date,
dated after the deadline, never typed, by supporting units only, with statuses; the office's
`set`, seals and withdrawals; commit clocks that run behind or ahead. The repository starts
as a copy of one `duban init`, the plan is written as YAML in one commit, then every event
goes through duban's own functions (record_progress, set_fields, withdraw_report, seal) with
the commit clock set to its day. Then every figure of the month's circular (counts now and
before, late and lagging units, completions, reports, entries after the deadline, scores,
ranks, on-time rates, escalations, 附件1's 序时进度 and 本月进展), each task's light, percent and
late flag, `duban explain --format json` for one task, the lead rows of `report`, the
ledger's 完成进度, light, status and period columns, and (in one case in four) its score
sheet are compared with the model's.

300 cases in the normal run (fixed seed, no database), which stops at the first disagreement;
DUBAN_DEEP=1 runs 5,000 random ones and reports every kind of disagreement, each shrunk.
DUBAN_REFERENCE_EXAMPLES=N sets the number for either. test_smallest_cases keeps the smallest
disagreements found so far, each named by its rule.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from tests.reference import model
from tests.reference.support import (
    COLLECTIVES,
    COUNTS,
    PLAN_ID,
    SMALLEST,
    Case,
    build,
    cases,
    model_figures,
    reference,
)

DEEP = bool(os.environ.get("DUBAN_DEEP"))
EXAMPLES = int(os.environ.get("DUBAN_REFERENCE_EXAMPLES") or (5000 if DEEP else 300))
# The normal run shrinks and reports the first disagreement only; DUBAN_DEEP reports every
# kind it finds, each shrunk (one kind per figure: see Mismatch).
PROFILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not DEEP,
    report_multiple_bugs=DEEP,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


# ---- a case: the plan and the month's events, in the order they were typed ----------------


month_end = model.month_end


# ---- the model's inputs -----------------------------------------------------------------------


# ---- the real repository ------------------------------------------------------------------------


# ---- duban's figures ------------------------------------------------------------------------------

NOTE = re.compile(r"第\d+次报送")


def notes_in(cell: object) -> object:
    """Which report a document's cell shows for the task, by its note: one note, None, or all
    it holds. A supporting unit's part, shown under its name (商务委（配合）30%…), is its own."""
    lead = [part for part in re.split("[；;]", str(cell or "")) if "配合）" not in part and "配合)" not in part]
    found = NOTE.findall("；".join(lead))
    return found[0] if len(found) == 1 else (tuple(found) or None)


def duban_figures(root: Path, case: Case, as_of: dt.date) -> dict[str, object]:
    """Every figure of the month's documents, from duban's own functions and one CLI call."""
    from duban.cli.main import cli
    from duban.store.repository import Repository
    from duban.supervise import reports
    from duban.supervise.circular.building import build as build_circular
    from duban.supervise.export.ledger import ledger as build_ledger
    from duban.supervise.export.ledger import with_scores

    c = build_circular(Repository(root), f"{case.month[0]}-{case.month[1]:02d}", PLAN_ID, issue=1)
    sel = c.selection
    tasks: dict[str, dict[str, object]] = {}
    for task in sel.tasks:
        light = sel.light_of(task)
        tasks[task.id] = {
            "light": light.colour,
            "percent": light.percent,
            "late": light.late,
            "expected": getattr(light, "expected_exact", light.expected),
        }
    # `duban explain --format json` for one task, as a clerk runs it.
    explained = CliRunner().invoke(
        cli,
        ["--repo", str(root), "explain", f"{PLAN_ID}/{case.explain}", "--as-of", as_of.isoformat(), "--format", "json"],
        catch_exceptions=False,
    )
    data = json.loads(explained.output)
    tasks[case.explain].update(
        {"explain light": data["light"], "explain percent": data["percent"], "explain late": data["late"]}
    )
    table = next(b for b in c.blocks if b.kind == "table" and "序时进度" in b.headers)
    for row in table.rows:
        cells = dict(zip(table.headers, row))
        tasks[str(cells["序号"])].update(
            {"expected printed": cells["序时进度"], "本月进展": notes_in(cells["本月进展"])}
        )
    ledger = build_ledger(sel, sel.tasks)
    if case.sheet:
        with_scores(ledger, sel, PLAN_ID)
    for row in ledger.rows:
        cells = dict(zip(ledger.headers, row))
        tasks[str(cells["序号"])].update(
            {
                "ledger percent": cells["完成进度(%)"],
                "ledger light": cells["灯"],
                "ledger status": cells["状态"],
                "ledger periods": {h: notes_in(v) for h, v in cells.items() if h.endswith("进展")},
            }
        )
    lead_rows = {
        t.group: {
            "tasks": t.tasks,
            "done": t.done,
            "green": t.green,
            "yellow": t.yellow,
            "red": t.red,
            "grey": t.grey,
            "late": t.late,
            "on_time_rate": t.on_time_rate,
        }
        for t in reports.report(sel, sel.tasks, "unit")
        if t.role == "lead"
    }
    ranked = {u.unit: u for u in c.scores.units if u.rank is not None}
    return {
        "as_of": getattr(c, "as_of", None),
        "tasks": tasks,
        "counts": {k: c.counts[k] for k in COUNTS},
        "previous": {k: c.previous[k] for k in COUNTS},
        # Collective leads may stay in these lists: the documents name their tasks by number.
        "late": {u: sorted(t.id for t in ts) for u, ts in c.late.items() if u not in COLLECTIVES},
        "lagging": {u: sorted(t.id for t in ts) for u, ts in c.lagging.items() if u not in COLLECTIVES},
        "completed": sorted(t.id for t in c.completed),
        "reported_units": sorted(c.reported_units),
        "reports": c.reports,
        "entered_late": sorted((e.ref.rpartition("/")[2], e.unit, e.report_date) for e in c.entered_late),
        "on_time": {u: (s.met, s.due) for u, s in ranked.items()},
        "score": {u: s.score for u, s in ranked.items()},
        "rank": {u: s.rank for u, s in ranked.items()},
        "ranked": sorted(ranked),
        "sheet": {str(r[1]): (r[0], r[2], r[3]) for r in ledger.scores[1] if r[0] != "—"} if ledger.scores else None,
        "escalations": {e.task.id: (e.action, tuple(e.units)) for e in c.scores.escalations},
        "lead_rows": lead_rows,
    }


# ---- the model's figures ----------------------------------------------------------------------------


# ---- the comparison --------------------------------------------------------------------------------


class Mismatch(AssertionError):
    """A figure duban and the model disagree on. One subclass per figure, so that Hypothesis
    keeps (and shrinks) a separate example for each kind of disagreement."""


_MISMATCHES: dict[str, type[Mismatch]] = {}


def mismatch(figure: str) -> type[Mismatch]:
    name = "Mismatch_" + "".join(ch if ch.isalnum() else "_" for ch in figure)
    return _MISMATCHES.setdefault(figure, type(name, (Mismatch,), {}))


def same(a: object, b: object) -> bool:
    if isinstance(a, (int, float, Fraction)) and isinstance(b, (int, float, Fraction)) and not isinstance(a, bool):
        return abs(Fraction(a) - Fraction(b)) < Fraction(1, 10**6)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


# The order mismatches are raised in: the figures others are made of first.
TASK_FIGURES = (
    "percent",
    "light",
    "late",
    "expected printed",
    "ledger percent",
    "ledger light",
    "ledger status",
    "explain percent",
    "explain light",
    "explain late",
    "本月进展",
    "ledger periods",
)
FIGURES = (
    "as_of",
    "counts",
    "previous",
    "completed",
    "late",
    "lagging",
    "reported_units",
    "reports",
    "entered_late",
    "on_time",
    "ranked",
    "score",
    "rank",
    "escalations",
    "sheet",
    "lead_rows",
)


def shown(value: object) -> object:
    if isinstance(value, Fraction):
        return float(value) if value.denominator != 1 else int(value)
    if isinstance(value, dict):
        return {k: shown(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(shown(v) for v in value)
    return value


def differences(want: dict[str, object], got: dict[str, object]) -> list[tuple[str, object, object]]:
    found = []
    for figure in TASK_FIGURES:
        for task_id, figures in want["tasks"].items():  # type: ignore[attr-defined]
            if figure.startswith("explain") and figure not in got["tasks"].get(task_id, {}):  # type: ignore[attr-defined]
                continue  # explain was asked about one task only
            theirs = got["tasks"].get(task_id, {}).get(figure)  # type: ignore[attr-defined]
            if not same(figures[figure], theirs):
                found.append((f"task {figure}", f"{task_id}: {shown(figures[figure])}", f"{task_id}: {theirs}"))
    # explain's expected is a number: any rounding of the exact value to a tenth is accepted.
    for task_id, figures in want["tasks"].items():  # type: ignore[attr-defined]
        theirs = got["tasks"].get(task_id, {}).get("expected")  # type: ignore[attr-defined]
        if theirs is None or abs(Fraction(theirs) - figures["expected"]) > Fraction(51, 1000):
            found.append(("task expected", f"{task_id}: {float(figures['expected']):.3f}", f"{task_id}: {theirs}"))
    for figure in FIGURES:
        if figure == "lead_rows":  # every unit leading a task has a row; rule 8: collectives none
            for unit, row in want[figure].items():  # type: ignore[attr-defined]
                theirs = got[figure].get(unit)  # type: ignore[attr-defined]
                for column, value in row.items():
                    if not same(value, (theirs or {}).get(column)):
                        found.append(
                            (f"report lead {column}", f"{unit}: {value}", f"{unit}: {(theirs or {}).get(column)}")
                        )
            if set(got[figure]) - set(want[figure]):  # type: ignore[arg-type]
                found.append(("report rows", sorted(want[figure]), sorted(got[figure])))  # type: ignore[arg-type]
        elif figure == "sheet" and got[figure] is None:
            continue  # not made for this case
        elif not same(want[figure], got[figure]):
            found.append((figure, shown(want[figure]), got[figure]))
    return found


def compare(case: Case, template: Path) -> list[tuple[str, object, object]]:
    """The case built in a temporary repository, and every figure duban and the model disagree on."""
    saved = dict(os.environ)
    try:
        with tempfile.TemporaryDirectory(prefix="duban-reference-") as folder:
            root = Path(folder) / "office"
            reading = reference(case, build(case, template, root))
            got = duban_figures(root, case, reading.month(*case.month)[1])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return differences(model_figures(reading, case), got)


# ---- the smallest cases found so far on which duban and the model disagree -----------------------
# Each names the rule of docs/reading.md (or docs/guide/) that decides it; "reading" marks a rule
# the model had to read one way where it could be read two (the model's comments say which).


@pytest.mark.slow
@pytest.mark.parametrize("case", list(SMALLEST.values()), ids=list(SMALLEST))
def test_smallest_cases(case: Case, template: Path) -> None:
    """The smallest disagreements found by the random cases below, kept so that each is seen
    on every run, named by its rule, until duban and the model agree on it."""
    found = compare(case, template)
    assert not found, f"{case!r}" + "\n".join(f"  {f}: model {m!r}, duban {t!r}" for f, m, t in found)


@pytest.mark.slow  # 100 random plans built, reported and rendered
@PROFILE
@given(case=cases())
def test_documents_agree_with_the_reference_model(case: Case, template: Path) -> None:
    found = compare(case, template)
    if found:
        text = "\n".join(f"  {figure}: model {mine!r}, duban {theirs!r}" for figure, mine, theirs in found)
        raise mismatch(found[0][0])(f"{len(found)} figures differ:\n{text}")
