"""Warning lights date by date: before, on and after a milestone and a reporting deadline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from duban.model import Area, Plan, Report, ReportingRule, Task, Unit, UnitRegistry
from duban.supervise.lights import evaluate, late_report, on_time_record, reporting_deadlines


def plan(**lights) -> Plan:
    return Plan(
        id="2019-x",
        title="t",
        year=2019,
        folder=Path("."),
        areas=(Area("经济发展"),),
        units=UnitRegistry([Unit("发改委", "department")]),
        issued=dt.date(2019, 1, 31),
        reporting=ReportingRule(25, "督查科"),
        lights=lights,
    )


def task(
    *reports: tuple[str, float],
    status: str = "in_progress",
    milestones: dict | None = None,
    due: str | None = None,
    task_type: str | None = None,
    indicators=(),
    values=(),
) -> Task:
    progress = tuple(
        Report(dt.date.fromisoformat(d), p, value=(values[i] if i < len(values) else None))
        for i, (d, p) in enumerate(reports)
    )
    return Task(
        "2019-x",
        "1",
        "t",
        "t",
        "经济发展",
        status,
        Path("1.yaml"),
        lead=("发改委",),
        milestones=milestones or {},
        due=dt.date.fromisoformat(due) if due else None,
        type=task_type,
        indicators=tuple(indicators),
        progress=progress,
    )


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_grey_before_anything_is_due() -> None:
    light = evaluate(task(status="not_started"), plan(), day("2019-02-10"))
    assert light.colour == "grey" and not light.late


@pytest.mark.parametrize(
    ("as_of", "colour"),
    [
        ("2019-03-31", "green"),  # on the Q1 milestone date: 20% reported, 23% expected
        ("2019-04-25", "green"),  # the reporting deadline after Q1: still within the grace
        ("2019-04-26", "red"),  # the day after: Q1 (25%) passed with only 10% reported by the deadline
    ],
)
def test_quarter_milestone_before_on_and_after(as_of: str, colour: str) -> None:
    reports = [("2019-03-20", 10)] if colour == "red" else [("2019-03-20", 20)]
    light = evaluate(task(*reports, milestones={"Q1": "完成25%"}), plan(red_behind=40), day(as_of))
    if colour == "red":
        assert light.colour == "red" and "milestone Q1 (2019-03-31, 25%) passed" in light.reasons[0]
    else:
        assert light.colour in ("green", "yellow")


def test_milestone_met_within_the_grace_is_green() -> None:
    t = task(("2019-03-20", 10), ("2019-04-24", 25), milestones={"Q1": "完成25%"})
    assert evaluate(t, plan(), day("2019-04-30")).colour == "green"


def test_behind_expected_progress_yellow_then_red() -> None:
    t = task(("2019-02-20", 10))
    assert evaluate(t, plan(), day("2019-03-10")).colour == "green"  # expected 10.8%
    assert evaluate(t, plan(), day("2019-05-10")).colour == "yellow"  # expected 27%: 17 behind
    red = evaluate(t, plan(), day("2019-07-10"))  # expected 48%: 38 behind
    assert red.colour == "red" and red.reasons[0].startswith("seriously behind")


def test_thresholds_by_target_type() -> None:
    lenient = plan(by_type={"B": {"yellow_behind": 20, "red_behind": 50}})
    assert evaluate(task(("2019-02-20", 10)), lenient, day("2019-05-10")).colour == "yellow"
    assert evaluate(task(("2019-02-20", 10), task_type="B"), lenient, day("2019-05-10")).colour == "green"


def test_due_date_passed_is_red_and_done_is_green() -> None:
    assert evaluate(task(("2019-05-01", 90), due="2019-06-30"), plan(), day("2019-07-01")).colour == "red"
    assert evaluate(task(("2019-06-20", 100), due="2019-06-30"), plan(), day("2019-07-01")).colour == "green"
    assert evaluate(task(status="cancelled"), plan(), day("2019-12-01")).colour == "grey"
    assert evaluate(task(("2019-06-20", 90), status="blocked"), plan(), day("2019-06-21")).colour == "red"
    assert evaluate(task(("2019-02-20", 12), status="delayed"), plan(), day("2019-03-01")).colour == "yellow"


def test_numeric_target_uses_the_reported_figure() -> None:
    jobs = [{"name": "新增城镇就业人数", "value": 11000, "unit": "人", "kind": "level"}]
    t = task(("2019-06-25", 10), indicators=jobs, values=(5500,))
    light = evaluate(t, plan(), day("2019-06-30"))
    assert light.percent == 50 and light.colour == "green"
    assert "reported 5500 of 11000 人 (50%)" in light.reasons[0]


def test_reporting_deadlines_and_late_flag() -> None:
    p = plan()
    assert reporting_deadlines(p, day("2019-04-30")) == [day("2019-02-25"), day("2019-03-25"), day("2019-04-25")]
    t = task(("2019-02-20", 5), ("2019-03-25", 10))
    assert late_report(t, p, day("2019-03-25")) is None  # on the deadline day: on time
    assert late_report(t, p, day("2019-04-24")) is None  # April's deadline not yet passed
    assert late_report(t, p, day("2019-04-25")) == "no report between 2019-03-26 and the deadline 2019-04-25"
    assert on_time_record(t, p, day("2019-04-30")) == (2, 3)
    assert evaluate(t, p, day("2019-04-26")).late


def test_a_missed_milestone_stops_counting_once_caught_up() -> None:
    t = task(("2019-05-10", 50), milestones={"Q1": "完成25%"})
    light = evaluate(t, plan(), day("2019-06-30"))
    assert light.colour == "green", light.reasons


def test_growth_target_compares_the_reported_rate() -> None:
    growth = [{"name": "地区生产总值", "value": 8, "unit": "%", "kind": "growth"}]
    t = task(("2019-06-25", 0), indicators=growth, values=(2,))
    light = evaluate(t, plan(), day("2019-06-30"))
    assert light.percent == 25 and light.colour == "yellow"
