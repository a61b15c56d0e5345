"""The monthly round, driven by random clerks: a unit (a lead, a supporting unit, a co-lead),
random rows with random empty fields, typed key by key (with a clerk's corrections:
Backspace, Ctrl+U, Home) at random speeds on an app whose fields lag behind the keys. Whatever
the speed, the history afterwards holds exactly the reports typed, each on its own task, by
the round's unit, its empty percent being the unit's own last figure (issue 24). DUBAN_DEEP=1
runs many more examples."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.record.report_checks import has_numeric_target, own_last_report
from duban.store.repository import Repository
from duban.tui import make_app
from tests.support import git
from tests.tui.round_support import AS_OF, PLAN, burst, copy_repo, keys_of, slow_fields
from tests.tui.support import settle, text_of
from tests.tui.waiting import finished

DEEP = bool(os.environ.get("DUBAN_DEEP"))
ROWS = 6  # rows typed in each round (of the 10 to 22 the unit has)
# 金融办 leads task 1 with four others and task 2 alone; 发改委 leads task 3 and supports 1 and 2;
# 商务委 co-leads task 1 and leads 4 and 5.
UNITS = ["金融办", "发改委", "商务委"]

row_specs = st.tuples(
    st.one_of(st.none(), st.integers(0, 100)),  # percent (None: left empty)
    st.one_of(st.none(), st.integers(0, 9)),  # figure, where the task has a target
    st.one_of(st.none(), st.text("进展配合abc123", min_size=1, max_size=6)),  # note
)
# How a clerk corrects what a field gets as it is typed: a stray digit taken back, a start
# typed over after Ctrl+U, the first character put in last after Home. Each of these keys is
# a binding of the field, handled in its turn among the characters (duban.tui.typeahead).
FIXES = ("", "backspace", "ctrl+u", "home")


def typed(text: str, fix: str) -> list[str]:
    """The keys that leave `text` in an empty field, corrected the way `fix` says."""
    if fix == "backspace":
        return keys_of(text, "9", ["backspace"])
    if fix == "ctrl+u":
        return keys_of("错字", ["ctrl+u"], text)
    if fix == "home" and text:
        return keys_of(text[1:], ["home"], text[0])
    return keys_of(text)


def expected_reports(
    repo: Path, unit: str, rows: list[tuple]
) -> list[tuple[str, float, float | None, str | None]] | None:
    """What the round must record for the typed rows, in row order; None when a row must be
    refused (an empty percent for a unit with no report of its own), so nothing is recorded."""
    store = Repository(repo)
    plan = store.plan(PLAN)
    wanted = []
    for task, lead, (percent, value, note) in rows:
        if percent is None and value is None and note is None:
            continue
        current = store.resolve(task.ref)
        if percent is None:
            own = own_last_report(current, unit, lead, plan.units.own_name)
            if own is None:
                return None
            percent = own.percent
            if value is None:
                value = own.value
        wanted.append((task.id, float(percent), None if value is None else float(value), note))
    return wanted


async def drive(repo: Path, unit: str, data, gap: float) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        round_ = app.screen
        rows, keys = [], []
        for state in round_.states[:ROWS]:
            percent, value, note = data.draw(row_specs, label=f"row {state.task.id}")
            fix_percent, fix_note = data.draw(
                st.tuples(st.sampled_from(FIXES), st.sampled_from(FIXES)), label=f"corrections on row {state.task.id}"
            )
            numeric = has_numeric_target(state.task)
            value = value if numeric else None
            rows.append((state.task, state.lead, (percent, value, note)))
            keys += typed("" if percent is None else str(percent), fix_percent) + ["enter"]
            if numeric:
                keys += keys_of("" if value is None else str(value), ["enter"])
            keys += typed(note or "", fix_note) + ["enter"]
        wanted = expected_reports(repo, unit, rows)
        await burst(app, [*keys, "ctrl+s"], gap)
        await finished(app, pilot)
        status = text_of(round_.query_one("#round-status"))
        if "Ctrl+S again" in status:  # a falling percent, an empty note: asked once
            await burst(app, ["ctrl+s"])
            await finished(app, pilot)
            status = text_of(round_.query_one("#round-status"))
    commits = git(repo, "rev-list", "--reverse", f"{head}..HEAD").split()
    if wanted is None:
        assert commits == [] and "nothing was recorded" in status, status
        return
    assert len(commits) == len(wanted), status
    store = Repository(repo)
    got = []
    for sha, (task_id, *_rest) in zip(commits, wanted):
        body = git(repo, "show", "-s", "--format=%B", sha)
        assert f"Task: {PLAN}/{task_id}\n" in body and f"Reported-by: {unit}\n" in body
        new = [r for r in store.resolve(f"{PLAN}/{task_id}").progress if r.date.isoformat() == AS_OF and r.by == unit]
        assert len(new) == 1
        got.append((task_id, float(new[0].percent), None if new[0].value is None else float(new[0].value), new[0].note))
    assert got == wanted


@settings(
    max_examples=60 if DEEP else 5,
    deadline=None,
    database=None,
    derandomize=not DEEP,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    unit=st.sampled_from(UNITS),
    gap=st.sampled_from([0.0, 0.001, 0.005]),
    lag=st.sampled_from([0.0, 0.002, 0.008]),
    data=st.data(),
)
def test_the_history_holds_exactly_the_rows_typed(template: Path, unit: str, gap: float, lag: float, data) -> None:
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        repo = copy_repo(template, Path(folder) / "repo", unit)
        make_app(repo, PLAN, "en", AS_OF)  # the language's modules loaded before the fields are slowed
        if lag:
            slow_fields(patch, lag)
        asyncio.run(drive(repo, unit, data, gap))
