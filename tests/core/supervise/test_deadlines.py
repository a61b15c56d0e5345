"""The reporting calendar (duban/supervise/deadlines.py): rhythms, the period each deadline
reports on, the grace after the plan's issue date, a list of dates, month ends, and the days
a report answers; plan.yaml's words for it, in English and Chinese."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from duban.model import Area, Plan, ReportingRule, Unit, UnitRegistry
from duban.supervise import deadlines, lights
from duban.supervise.scoring import evaluation_days


def plan(issued: str | None = "2019-01-31", year: int = 2019, **reporting: Any) -> Plan:
    rule = ReportingRule.from_data(reporting) if reporting else None
    return Plan(
        id=f"{year}-x",
        title="t",
        year=year,
        folder=Path("."),
        areas=(Area("经济发展"),),
        units=UnitRegistry([Unit("发改委", "department")]),
        issued=dt.date.fromisoformat(issued) if issued else None,
        reporting=rule,
    )


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def table(found: tuple[deadlines.Deadline, ...]) -> list[tuple[str, str, str, str]]:
    """(deadline, period first, period last, window opens) of each deadline."""
    return [(d.day.isoformat(), d.first.isoformat(), d.last.isoformat(), d.opens.isoformat()) for d in found]


def test_monthly_on_the_25th_reports_on_its_own_month() -> None:
    found = deadlines.calendar(plan(day_of_month=25))
    assert table(found)[:3] == [
        ("2019-02-25", "2019-02-01", "2019-02-28", "2019-02-01"),
        ("2019-03-25", "2019-03-01", "2019-03-31", "2019-02-26"),
        ("2019-04-25", "2019-04-01", "2019-04-30", "2019-03-26"),
    ]
    assert found[-1].day == day("2019-12-25") and len(found) == 11
    assert [d.number for d in found] == list(range(1, 12))
    # The documents file a month's reports under it, the days after its deadline included.
    assert (found[4].filed_from, found[4].filed_to) == (day("2019-06-01"), day("2019-06-30"))
    assert (
        found[4].label == "6月"
        and found[4].answers(dt.date(2019, 5, 26))
        and not found[4].answers(dt.date(2019, 6, 26))
    )


def test_pingdingshan_by_the_5th_starts_in_april_and_reports_on_the_month_before() -> None:
    """Issued 2 March, reports 于每月5日前: 5 March reports on February, before the plan; 5 April
    is the first deadline, on March. The last, 5 January 2014, reports on December."""
    pingdingshan = plan("2013-03-02", 2013, day_of_month=5)
    found = deadlines.calendar(pingdingshan)
    assert table(found)[:3] == [
        ("2013-04-05", "2013-03-01", "2013-03-31", "2013-03-03"),
        ("2013-05-05", "2013-04-01", "2013-04-30", "2013-04-06"),
        ("2013-06-05", "2013-05-01", "2013-05-31", "2013-05-06"),
    ]
    assert table(found)[-1] == ("2014-01-05", "2013-12-01", "2013-12-31", "2013-12-06")
    assert len(found) == 10
    may = found[2]
    assert may.label == "5月" and (may.filed_from, may.filed_to) == (day("2013-05-06"), day("2013-06-05"))
    assert lights.reporting_deadlines(pingdingshan, day("2013-06-30")) == [
        day("2013-04-05"),
        day("2013-05-05"),
        day("2013-06-05"),
    ]
    assert lights.reporting_deadlines(pingdingshan, day("2013-04-04")) == []
    assert evaluation_days(pingdingshan, day("2013-06-30")) == [day("2013-04-05"), day("2013-05-05"), day("2013-06-05")]
    # A report of 3 March answers 5 April; one of 28 December, 5 January.
    assert lights.deadline_for(pingdingshan, day("2013-03-03")) == day("2013-04-05")
    assert lights.deadline_for(pingdingshan, day("2013-12-28")) == day("2014-01-05")
    # The May circular: the deadline of 5 June, read at 5 June, with the reports filed under May.
    assert deadlines.covering(pingdingshan, 2013, 5) == (may,)
    assert deadlines.month_as_of(pingdingshan, 2013, 5) == day("2013-06-05")
    assert deadlines.filed_range(pingdingshan, 2013, 5) == (day("2013-05-06"), day("2013-06-05"))
    assert [deadlines.period_number(pingdingshan, 2013, m) for m in (1, 2, 3, 5, 12)] == [-1, 0, 1, 3, 10]


@pytest.mark.parametrize(
    ("issued", "words", "first"),
    [
        ("2019-02-20", {}, "2019-03-25"),  # 5 days after the issue date: not owed
        ("2019-02-10", {}, "2019-02-25"),  # 15 days: owed
        ("2019-02-20", {"grace": 0}, "2019-02-25"),
        ("2019-02-20", {"grace": 40}, "2019-04-25"),
        ("2019-01-31", {"first": "2019-04-01"}, "2019-04-25"),  # the office's own start
        ("2019-02-20", {"first": "2019-02-21"}, "2019-02-25"),  # first instead of the grace
    ],
)
def test_grace_and_first(issued: str, words: dict[str, Any], first: str) -> None:
    found = deadlines.calendar(plan(issued, day_of_month=25, **words))
    assert found[0].day == day(first) and found[0].number == 1
    assert found[0].opens == day(issued) + dt.timedelta(days=1)  # reports since the start answer it


def test_a_skipped_deadlines_days_are_filed_under_the_first_period() -> None:
    found = deadlines.calendar(plan("2019-02-20", day_of_month=25))
    assert (found[0].first, found[0].filed_from, found[0].filed_to) == (
        day("2019-03-01"),
        day("2019-02-21"),
        day("2019-03-31"),
    )
    assert deadlines.period_number(plan("2019-02-20", day_of_month=25), 2019, 2) == 0  # before the first issue


def test_covers_can_be_said_either_way_and_in_chinese() -> None:
    # By the 5th, but on the month it falls in: 5 March (3 days after the issue date) is not owed.
    current = deadlines.calendar(plan("2013-03-02", 2013, day_of_month=5, covers="本期"))
    assert table(current)[0] == ("2013-04-05", "2013-04-01", "2013-04-30", "2013-03-03")
    previous = deadlines.calendar(plan(day_of_month=20, covers="上月"))
    assert table(previous)[:2] == [
        ("2019-02-20", "2019-01-01", "2019-01-31", "2019-02-01"),
        ("2019-03-20", "2019-02-01", "2019-02-28", "2019-02-21"),
    ]
    assert previous[-1].day == day("2020-01-20")
    # The early-day rule's edge: the 10th reports on the month before, the 11th on its own month.
    tenth, eleventh = (deadlines.calendar(plan("2019-01-01", day_of_month=d, grace=0))[0] for d in (10, 11))
    assert (tenth.day, tenth.first) == (day("2019-02-10"), day("2019-01-01"))  # 10 January: on December
    assert (eleventh.day, eleventh.first) == (day("2019-01-11"), day("2019-01-01"))


def test_bimonthly() -> None:
    for word in ("bimonthly", "双月", "每两月"):
        found = deadlines.calendar(plan("2019-01-01", rhythm=word, day_of_month=25))
        assert table(found) == [
            ("2019-02-25", "2019-01-01", "2019-02-28", "2019-01-02"),
            ("2019-04-25", "2019-03-01", "2019-04-30", "2019-02-26"),
            ("2019-06-25", "2019-05-01", "2019-06-30", "2019-04-26"),
            ("2019-08-25", "2019-07-01", "2019-08-31", "2019-06-26"),
            ("2019-10-25", "2019-09-01", "2019-10-31", "2019-08-26"),
            ("2019-12-25", "2019-11-01", "2019-12-31", "2019-10-26"),
        ]
        assert found[1].label == "3-4月"
    early = plan("2019-01-01", rhythm="双月", day_of_month=5)
    assert [d.day for d in deadlines.calendar(early)][:2] == [day("2019-03-05"), day("2019-05-05")]
    # Both months of a period have its deadline's circular, 第1期 and 第1期.
    assert [deadlines.period_number(early, 2019, m) for m in (1, 2, 3, 4)] == [1, 1, 2, 2]
    assert deadlines.month_as_of(early, 2019, 1) == deadlines.month_as_of(early, 2019, 2) == day("2019-03-05")


def test_quarterly() -> None:
    pingdingshan = plan("2013-03-02", 2013, rhythm="按季", day_of_month=5)
    found = deadlines.calendar(pingdingshan)
    assert table(found) == [
        ("2013-04-05", "2013-01-01", "2013-03-31", "2013-03-03"),
        ("2013-07-05", "2013-04-01", "2013-06-30", "2013-04-06"),
        ("2013-10-05", "2013-07-01", "2013-09-30", "2013-07-06"),
        ("2014-01-05", "2013-10-01", "2013-12-31", "2013-10-06"),
    ]
    assert [d.label for d in found] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    late_start = plan("2019-03-25", rhythm="每季度", day_of_month=25)
    assert [d.day for d in deadlines.calendar(late_start)] == [day("2019-06-25"), day("2019-09-25"), day("2019-12-25")]
    # A milestone of 31 March is met by a report up to the next reporting day.
    assert lights._grace(late_start, day("2019-03-31")) == day("2019-06-25")
    assert lights._grace(late_start, day("2019-12-31")) == day("2020-03-25")


def test_a_list_of_dates() -> None:
    found = deadlines.calendar(plan("2019-01-31", dates=["2019-07-05", "2019-04-05", "2019-12-20", "2020-01-05"]))
    assert table(found) == [
        ("2019-04-05", "2019-01-01", "2019-03-31", "2019-02-01"),
        ("2019-07-05", "2019-04-01", "2019-06-30", "2019-04-06"),
        ("2019-12-20", "2019-07-01", "2019-12-31", "2019-07-06"),
    ]
    # 5 January 2020 would report on December, which 20 December did: it reports on January
    # 2020, after the plan's year, so it is not owed.
    assert [d.label for d in found] == ["第一季度", "第二季度", "7-12月"]
    # A date that would report on no month of its own reports on the next one.
    crowded = deadlines.calendar(plan("2019-01-31", dates=["2019-04-25", "2019-05-05"]))
    assert table(crowded) == [
        ("2019-04-25", "2019-01-01", "2019-04-30", "2019-02-01"),
        ("2019-05-05", "2019-05-01", "2019-05-31", "2019-04-26"),
    ]
    # After the last date no deadline is owed.
    listed = plan("2019-01-31", dates=["2019-06-30"])
    assert lights.deadline_for(listed, day("2019-07-01")) is None
    assert lights._grace(listed, day("2019-09-30")) == day("2019-09-30")


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, ["2019-02-28", "2019-03-31", "2019-04-30", "2019-05-31"]),
        (2020, ["2020-02-29", "2020-03-31", "2020-04-30", "2020-05-31"]),
    ],
)
def test_day_31_is_each_months_last_day(year: int, expected: list[str]) -> None:
    found = deadlines.calendar(plan(f"{year}-01-31", year, day_of_month=31))
    assert [d.day.isoformat() for d in found][:4] == expected
    assert all(d.first.month == d.day.month for d in found)  # the 31st reports on its own month


def test_a_plan_without_a_rule_steps_through_month_ends() -> None:
    found = deadlines.periods(plan("2019-02-26"))
    assert deadlines.calendar(plan("2019-02-26")) == ()
    assert [d.day.isoformat() for d in found][:2] == ["2019-02-28", "2019-03-31"] and len(found) == 11
    assert lights.reporting_deadlines(plan("2019-02-26"), day("2019-12-31")) == []
    assert deadlines.month_as_of(plan("2019-02-26"), 2019, 6) == day("2019-06-30")


def test_the_words_are_the_tables_and_the_schemas() -> None:
    import json

    from duban import vocabulary
    from tests.support import PROJECT

    schema = json.loads((PROJECT / "schema/plan.schema.json").read_text(encoding="utf-8"))
    properties = schema["properties"]["reporting"]["properties"]
    for kind in ("rhythm", "covers"):
        spelled = [w.key for w in vocabulary.TABLE[kind]] + [c for w in vocabulary.TABLE[kind] for c in w.chinese]
        assert properties[kind]["enum"] == spelled
    assert ReportingRule.from_data({"day_of_month": 5, "rhythm": "每季度", "covers": "上期"}) == ReportingRule(
        5, rhythm="quarterly", covers="previous"
    )
    assert ReportingRule.from_data({"day_of_month": 25}) == ReportingRule(25)
