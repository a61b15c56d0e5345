"""The reference model on small worked examples, each checked by hand against
docs/reading.md: a model that is wrong here would make every comparison wrong."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from tests.reference.model import Calendar, Plan, Reading, Report, Setting, Task, half_up, period_name

D = dt.date.fromisoformat
PLAN = Plan(
    2019,
    D("2019-01-31"),
    Calendar(25),
    (
        Task("1", ("发改委", "商务委"), ("财政局",), milestones=("Q1",)),
        Task("2", ("人社局",), due=D("2019-12-31")),
        Task("2-1", (), parent="2"),
        Task("3", ("各街镇",), ("科委",)),
        Task("4", ("科委",), target=200),
    ),
    groups=frozenset({"各街镇"}),
)


def report(
    task: str, unit: str, date: str, percent: float, typed: str | None = None, order: int = 0, **extra: object
) -> Report:
    return Report(task, unit, D(date), percent, D(typed or date), order, **extra)  # type: ignore[arg-type]


def test_the_calendar_and_the_words() -> None:
    reading = Reading(PLAN, [])
    assert reading.deadlines(D("2019-04-30")) == [D("2019-02-25"), D("2019-03-25"), D("2019-04-25")]
    assert reading.previous(D("2019-02-25")) == D("2019-01-31")
    assert reading.leads(PLAN.tasks[2]) == ("人社局",)
    assert [
        n
        for n in ("各街镇", "区26家签约单位", "相关部门", "市直相关部门", "其他单位", "教育局等", "发改委", "人社局")
        if reading.is_collective(n)
    ] == ["各街镇", "区26家签约单位", "相关部门", "市直相关部门", "其他单位", "教育局等"]
    assert reading.units() == ["人社局", "发改委", "商务委", "科委"]
    assert half_up(Fraction(3947, 100)) == 39 and half_up(Fraction(25, 2)) == 13


def test_the_reporting_calendar_of_the_two_bundled_plans() -> None:
    # Pingdingshan (issued 2013-03-02, 于每月5日前): 5 March covers February, before the start,
    # and falls 3 days after it; the deadlines are 5 April (March) … 5 January 2014 (December).
    pingdingshan = Reading(Plan(2013, D("2013-03-02"), Calendar(5), ()), [])
    days = [d.day for d in pingdingshan.owed]
    assert days[0] == D("2013-04-05") and days[-1] == D("2014-01-05") and len(days) == 10
    may = pingdingshan.month(2013, 5)
    assert [d.day for d in may[0]] == [D("2013-06-05")] and may[1:] == (
        D("2013-06-05"),
        D("2013-05-06"),
        D("2013-06-05"),
    )
    assert [period_name(d) for d in pingdingshan.owed[:2]] == ["3月进展", "4月进展"]
    assert pingdingshan.owed[0].filed_from == D("2013-03-01")  # the earlier of 3 March and 1 March
    changning = Reading(Plan(2019, D("2019-01-31"), Calendar(25), ()), [])
    assert [d.day for d in changning.owed][0] == D("2019-02-25") and changning.month(2019, 6)[1:] == (
        D("2019-06-30"),
        D("2019-06-01"),
        D("2019-06-30"),
    )
    # A report of 28 December answers 25 January (C6); May's circular compares with April's.
    assert changning.answers(D("2019-12-28")).day == D("2020-01-25")  # type: ignore[union-attr]


def test_rhythms_covers_grace_first_and_dates() -> None:
    two = Reading(Plan(2019, D("2019-01-01"), Calendar(25, 2), ()), [])
    assert [period_name(d) for d in two.owed[:2]] == ["1-2月进展", "3-4月进展"]
    assert two.month(2019, 1)[1] == D("2019-02-25")  # January's circular is read at its period's deadline
    quarters = Reading(Plan(2019, D("2019-01-20"), Calendar(10, 3, "current"), ()), [])
    assert [d.day for d in quarters.owed][:2] == [D("2019-03-10"), D("2019-06-10")]
    assert period_name(quarters.owed[0]) == "第一季度进展"
    graced = Reading(Plan(2019, D("2019-01-15"), Calendar(25), ()), [])
    assert graced.owed[0].day == D("2019-02-25")  # 25 January is 10 days after the start
    # Its window and its filed range open the day after the start: January's reports are February's.
    assert graced.owed[0].after == D("2019-01-15") and graced.owed[0].filed_from == D("2019-01-16")
    assert Reading(Plan(2019, D("2019-01-15"), Calendar(25, grace=0), ()), []).owed[0].day == D("2019-01-25")
    assert Reading(Plan(2019, D("2019-01-15"), Calendar(25, first=D("2019-03-01")), ()), []).owed[0].day == D(
        "2019-03-25"
    )
    listed = Reading(
        Plan(2019, D("2019-01-15"), Calendar(dates=(D("2019-03-20"), D("2019-04-05"), D("2019-06-30"))), ()), []
    )
    # 20 March covers January-March; 5 April covers March, already reported: it gets April;
    # 30 June covers May and June.
    assert [period_name(d) for d in listed.owed] == ["第一季度进展", "4月进展", "5-6月进展"]
    assert listed.answers(D("2019-07-01")) is None


def test_lowest_of_the_leads_and_support_never_completes() -> None:
    reading = Reading(
        PLAN,
        [
            report("1", "发改委", "2019-06-10", 60),
            report("1", "商务委", "2019-06-12", 30, order=1),
            report("1", "财政局", "2019-06-20", 100, order=2),
        ],
    )
    percent, deciding = reading.percent(PLAN.tasks[0], D("2019-06-30"))
    assert percent == 30 and deciding is not None and deciding.unit == "商务委"
    assert not reading.done(PLAN.tasks[0], D("2019-06-30"))
    assert reading.status(PLAN.tasks[0], D("2019-06-30")) == "in_progress"
    # Before 商务委 reported, only 发改委 counts: 60.
    assert reading.percent(PLAN.tasks[0], D("2019-06-11"))[0] == 60


def test_a_figure_counts_against_the_numeric_target() -> None:
    reading = Reading(PLAN, [report("4", "科委", "2019-03-10", 90, value=50)])
    assert reading.percent(PLAN.tasks[4], D("2019-03-31"))[0] == 25


def test_a_late_typed_blocked_report_belongs_to_its_date() -> None:
    reading = Reading(PLAN, [report("2", "人社局", "2019-06-24", 40, typed="2019-07-03", status="blocked")])
    assert reading.status(PLAN.tasks[1], D("2019-06-30")) == "blocked"
    assert reading.light(PLAN.tasks[1], D("2019-06-30")) == "red"
    assert reading.late_leads(PLAN.tasks[1], D("2019-06-30")) == []  # answers 25 June: no seal
    assert reading.entered_late(reading.reports[0])


def test_a_seal_holds_only_what_was_typed_before_it() -> None:
    sealed = D("2019-06-25")
    typed_after = report("2", "人社局", "2019-06-24", 40, typed="2019-06-26")
    reading = Reading(PLAN, [typed_after], seals=frozenset({sealed}))
    assert reading.late_leads(PLAN.tasks[1], D("2019-06-30")) == ["人社局"]
    held = Report(**{**typed_after.__dict__, "sealed": frozenset({sealed})})
    assert Reading(PLAN, [held], seals=frozenset({sealed})).late_leads(PLAN.tasks[1], D("2019-06-30")) == []


def test_on_time_rate_score_and_rank() -> None:
    # 人社局 leads 2 and 2-1 and answers February and March on task 2 only; 科委 answers
    # February on task 4; 发改委 and 商务委 answer nothing on task 1.
    reading = Reading(
        PLAN,
        [
            report("2", "人社局", "2019-02-20", 10),
            report("2", "人社局", "2019-03-20", 20, order=1),
            report("4", "科委", "2019-02-10", 10, order=2),
        ],
    )
    day = D("2019-03-31")
    assert reading.on_time("人社局", day) == (2, 4) and reading.on_time("发改委", day) == (0, 2)
    # No light is red at 25 February or 25 March (expected 7.5 % and 15.9 %): lateness only.
    assert (
        reading.score("人社局", day) == 98 and reading.score("发改委", day) == 98 and reading.score("科委", day) == 99
    )
    assert reading.ranks(day) == {"科委": 1, "人社局": 2, "发改委": 2, "商务委": 2}
    assert "各街镇" not in reading.circular((2019, 3))["late"]  # rule 8: a collective is never named


def test_a_milestone_is_judged_after_the_following_deadline() -> None:
    plan = Plan(2019, D("2019-03-01"), Calendar(25), (Task("1", ("发改委",), milestones=("Q1",)),))
    reading = Reading(plan, [report("1", "发改委", "2019-03-20", 5)])
    assert reading.light(plan.tasks[0], D("2019-04-25")) == "yellow"  # 18.0 % expected, 5 % done
    assert reading.light(plan.tasks[0], D("2019-04-26")) == "red"  # Q1 (25 %) missed by 25 April


def test_the_office_sets_and_cancelled_stays() -> None:
    reading = Reading(
        PLAN, [report("2", "人社局", "2019-05-10", 30, order=1)], [Setting("2", "cancelled", D("2019-05-01"), 0)]
    )
    assert reading.status(PLAN.tasks[1], D("2019-05-31")) == "cancelled"
    assert reading.light(PLAN.tasks[1], D("2019-05-31")) == "grey"
    assert not reading.owes(PLAN.tasks[1], D("2019-06-25"))
    done = Reading(PLAN, [], [Setting("2", "done", D("2019-05-01"), 0)])
    day = D("2019-05-31")
    assert done.first_done(PLAN.tasks[1], day) == D("2019-05-01")
    # 人社局: 8 deadlines owed on 2 and 2-1 (2 was not done by 25 April), none answered; red
    # at 25 April on both (expected 25.1 %) and at 25 May on 2-1; 2 done before 31 December.
    assert done.on_time("人社局", day) == (0, 8)
    assert done.score("人社局", day) == 100 - 8 - 2 * 3 + 1


def test_escalation_ladder() -> None:
    reading = Reading(PLAN, [])
    # Task 1 is yellow at 25 March and red at 25 April and 25 May: 约谈, the last step it reaches.
    assert [reading.light(PLAN.tasks[0], d) for d in reading.deadlines(D("2019-05-31"))] == [
        "grey",
        "yellow",
        "red",
        "red",
    ]
    assert reading.escalation(PLAN.tasks[0], D("2019-05-31")) == "约谈"
    assert reading.escalation(PLAN.tasks[0], D("2019-03-31")) is None
    assert reading.circular((2019, 5))["escalations"]["1"] == ("约谈", ("发改委", "商务委"))
    assert "3" not in reading.circular((2019, 5))["escalations"]  # only a collective leads it
