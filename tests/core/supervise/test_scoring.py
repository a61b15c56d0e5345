"""Scores from the plan's rules, each rule date by date, a what-if, the escalation ladder, and the
rules' schema. The history: the sample Changning tasks 1 and 2 (deadlines the 25th).

    03-25 t1 25% 金融办      04-10 t2 blocked       04-25 t1 50% 金融办
    03-26 t2 20% 商务委      05-24 t2 45% 金融办, in_progress again
    05-27 t1 delayed         06-20 t2 100% 金融办

By the lights: t1 is grey, green, green, green, yellow at the deadlines 02-25 … 06-25 (and
yellow at 07-25); t2 is grey, yellow (no report by 03-25), red (blocked), green, green.
Lateness, lead by lead (docs/reading.md rule 5): 金融办 has no report of its own on t1 in the
windows ending 02-25, 05-25 and 06-25, and on t2 in those ending 02-25, 03-25 and 04-25 (the
03-26 report is 商务委's, a supporting unit of t2, which answers no lead's duty); t1's other
four leads never report on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from duban.errors import DubanError
from duban.store.repository import Repository
from duban.supervise.scoring import Rule, default_as_of, is_collective, score, what_if
from tests.office_fixtures import scripted_repo
from tests.support import PROJECT

SCRIPT = [
    ("2019-03-25", "progress", "2019-changning/1", 25, "金融办"),
    ("2019-03-26", "progress", "2019-changning/2", 20, "商务委"),
    ("2019-04-10", "set", "2019-changning/2", "status=blocked"),
    ("2019-04-25", "progress", "2019-changning/1", 50, "金融办"),
    ("2019-05-24", "progress", "2019-changning/2", 45, "金融办"),
    ("2019-05-24", "set", "2019-changning/2", "status=in_progress"),
    ("2019-05-27", "set", "2019-changning/1", "status=delayed"),
    ("2019-06-20", "progress", "2019-changning/2", 100, "金融办"),
]
T1_LEADS = ("金融办", "商务委", "临空办", "财政局", "税务局")


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return scripted_repo(tmp_path, SCRIPT)


def points(result, unit: str) -> list[tuple[str, str, str]]:
    found = result.of(unit)
    return sorted((p.task.id, p.day.isoformat(), f"{p.points:+g}") for p in found.points) if found else []


def test_late_report_deadline_by_deadline(repo: Repository) -> None:
    result = score(repo, "2019-changning", dt.date(2019, 6, 30), rules=(Rule("late_report", -1, "lead"),))
    assert [d.isoformat() for d in result.days] == [
        "2019-02-25",
        "2019-03-25",
        "2019-04-25",
        "2019-05-25",
        "2019-06-25",
    ]
    assert points(result, "金融办") == [
        ("1", "2019-02-25", "-1"),
        ("1", "2019-05-25", "-1"),
        ("1", "2019-06-25", "-1"),
        ("2", "2019-02-25", "-1"),
        ("2", "2019-03-25", "-1"),
        ("2", "2019-04-25", "-1"),
    ]
    assert result.of("金融办").score == 94
    # 商务委 co-leads task 1 and never reported on it: late at every deadline, by itself. Its
    # report on task 2, which it supports, is no lead's report and earns it nothing either.
    assert points(result, "商务委") == [
        ("1", day, "-1") for day in ("2019-02-25", "2019-03-25", "2019-04-25", "2019-05-25", "2019-06-25")
    ]
    assert result.of("发改委").score == 100 and result.of("发改委").points == []
    # The on-time rate counts both tasks: t1 met 2 of 5 deadlines, t2 2 of 5.
    assert (result.of("金融办").met, result.of("金融办").due, result.of("金融办").on_time_rate) == (4, 10, 40.0)
    assert (result.of("商务委").met, result.of("商务委").due) == (0, 5)


def test_late_report_as_of_an_earlier_month(repo: Repository) -> None:
    result = score(repo, "2019-changning", dt.date(2019, 4, 30), rules=(Rule("late_report", -1, "lead"),))
    assert points(result, "金融办") == [
        ("1", "2019-02-25", "-1"),
        ("2", "2019-02-25", "-1"),
        ("2", "2019-03-25", "-1"),
        ("2", "2019-04-25", "-1"),
    ]


def test_red_at_deadline_by_role(repo: Repository) -> None:
    rules = (Rule("red_at_deadline", -2, "lead"), Rule("red_at_deadline", -1, "support"))
    result = score(repo, "2019-changning", dt.date(2019, 6, 30), rules=rules)
    # Task 2 was blocked at the April deadline only.
    assert points(result, "金融办") == [("2", "2019-04-25", "-2")]
    assert points(result, "商务委") == [("2", "2019-04-25", "-1")]
    assert points(result, "科委") == [("2", "2019-04-25", "-1")]
    # 科委 leads nothing: its 配合 point is listed, but it is not ranked among the leads (D15).
    assert result.of("科委").rank is None and result.of("科委").score == 99
    assert result.of("临空办").score == 99  # supports task 2, co-leads task 1 (never red)
    # 各街(镇) supports task 2 but names no one unit: never scored or ranked.
    assert result.of("各街(镇)") is None


@pytest.mark.slow
def test_yellow_at_deadline(repo: Repository) -> None:
    result = score(repo, "2019-changning", dt.date(2019, 6, 30), rules=(Rule("yellow_at_deadline", -1, "lead"),))
    assert points(result, "金融办") == [("1", "2019-06-25", "-1"), ("2", "2019-03-25", "-1")]
    for unit in T1_LEADS[1:]:
        assert points(result, unit) == [("1", "2019-06-25", "-1")]


@pytest.mark.slow
def test_done_early(repo: Repository) -> None:
    rules = (Rule("done_early", 1, "lead"),)
    assert points(score(repo, "2019-changning", dt.date(2019, 6, 30), rules=rules), "金融办") == [
        ("2", "2019-06-20", "+1")
    ]
    assert points(score(repo, "2019-changning", dt.date(2019, 6, 15), rules=rules), "金融办") == []


@pytest.mark.slow
def test_plan_rules_ranking_and_what_if(tmp_path: Path) -> None:
    words = (
        "scoring:\n  start: 100\n  rules:\n    - {rule: 迟报, points: -1, role: 牵头}\n"
        "    - {rule: red_at_deadline, points: -2, role: lead}\n"
    )
    repo = scripted_repo(tmp_path, SCRIPT, words)
    result = score(repo, "2019-changning", dt.date(2019, 6, 30))
    assert result.rules == (Rule("late_report", -1, "lead"), Rule("red_at_deadline", -2, "lead"))
    assert result.of("金融办").score == 100 - 6 - 2
    ranked = [u for u in result.units if u.rank is not None]
    assert [u.score for u in ranked] == sorted(u.score for u in ranked)  # worst first
    assert result.units[0].unit == "金融办" and result.units[0].rank == len(ranked)
    assert {u.rank for u in ranked if u.score == max(v.score for v in ranked)} == {1}
    # A unit that only supports owes no report of its own and was given no point: it is listed
    # last, unranked, with no on-time rate (it ranked first at 100 with a rate of 0%).
    support_only = [u for u in result.units if u.leads == 0]
    assert support_only and result.units[-len(support_only) :] == support_only
    assert all(u.rank is None and u.on_time_rate is None and u.shown_rank == "—" for u in support_only)
    # What if a red light cost 5 points? Only the unit with a red light moves.
    start, rules = what_if(result.rules, result.start, "red_at_deadline:lead=-5")
    changed = score(repo, "2019-changning", dt.date(2019, 6, 30), rules=rules, start=start)
    assert changed.of("金融办").score == 100 - 6 - 5
    assert changed.of("商务委").score == result.of("商务委").score == 95
    start, rules = what_if(result.rules, result.start, "start=90，迟报=0")
    assert start == 90 and rules == (Rule("red_at_deadline", -2, "lead"),)
    with pytest.raises(DubanError, match="unknown rule"):
        what_if(result.rules, 100, "late=-1")
    with pytest.raises(DubanError, match="must be a number"):
        what_if(result.rules, 100, "late_report=much")


@pytest.mark.slow
def test_escalation_ladder(repo: Repository) -> None:
    in_april = score(repo, "2019-changning", dt.date(2019, 4, 30))
    # Task 2: yellow at 03-25, red at 04-25: past both steps, so the last one, 约谈.
    assert [(e.task.id, e.action, e.units, [d.isoformat() for d in e.days]) for e in in_april.escalations] == [
        ("2", "约谈", ("金融办",), ["2019-04-25"])
    ]
    assert score(repo, "2019-changning", dt.date(2019, 6, 30)).escalations == []
    in_july = score(repo, "2019-changning", dt.date(2019, 7, 31))
    assert [(e.task.id, e.action, e.units) for e in in_july.escalations] == [("1", "发督办专函", T1_LEADS)]


def test_collective_names_and_default_date(repo: Repository) -> None:
    plan = repo.plan("2019-changning")
    assert is_collective(plan, "各街(镇)") and is_collective(plan, "区节能减排工作领导小组成员单位")
    assert is_collective(plan, "相关部门") and not is_collective(plan, "金融办")
    assert default_as_of(plan, dt.date(2026, 12, 1)) == dt.date(2019, 12, 25)
    assert default_as_of(plan, dt.date(2019, 6, 30)) == dt.date(2019, 6, 30)


@pytest.mark.parametrize(
    ("words", "bad"),
    [
        ("scoring:\n  rules:\n    - {rule: lateness, points: -1}\n", "lateness"),
        ("scoring:\n  rules:\n    - {rule: late_report, points: many}\n", "many"),
        ("circular:\n  requirements:\n    - 请{落后单位}整改\n", "落后单位"),
    ],
)
def test_plan_rules_are_checked_by_the_schema(tmp_path: Path, words: str, bad: str) -> None:
    from duban.validate.validation import validate

    root = scripted_repo(tmp_path, [], words).root
    plan = root / "plans/2019-changning/plan.yaml"
    problems = [p for p in validate(root=root).problems if p.path.endswith("plan.yaml")]
    line = next(n for n, text in enumerate(plan.read_text(encoding="utf-8").splitlines(), start=1) if bad in text)
    assert [p.line for p in problems] == [line], problems
    with pytest.raises(DubanError):  # and no command reads the plan
        Repository(root).plan("2019-changning")


def test_the_escalation_ladder_names_no_collective() -> None:
    """拟约谈 各相关涉改部门: a collective name stands for several units and is no one to summon."""

    repo = Repository(PROJECT)
    plan = repo.plan("2019-changning")
    task = repo.resolve("2019-changning/52")
    assert task.lead and all(is_collective(plan, unit) for unit in task.lead)  # led by a collective alone
    steps = score(repo, "2019-changning", dt.date(2019, 6, 30)).escalations
    assert steps and all(not is_collective(plan, unit) for step in steps for unit in step.units)
    assert "2019-changning/52" not in {step.task.ref for step in steps}


# ---- collectives (docs/reading.md rule 8) ---------------------------------------------------------

COLLECTIVES = [
    "各街镇",
    "各县(市、区)政府",
    "各相关涉改部门",
    "相关责任单位",
    "有关部门",
    "其他城区运行管理相关部门",
    "其它有关单位",
    "发改委等",
    "财政局、税务局等",
    "财政局等3家单位",
    "发改委等相关部门",
    "区26家签约单位",
    "区二十六家签约单位",
    "５个街道",
    "三所高校",
    "区住房租赁工作组各成员单位",
    "市政府安全生产委员会成员单位",
    "领导小组成员部门",
    "市直相关部门",
    "区直有关部门",
    "县直各部门",
    "市直各单位",
    "区政府各委办局",
    "市政府有关部门",
    "市属国有企业",
    "区属企业",
    "市直部门",
    "县(市、区)政府",
    "乡（镇、街道）",
    "街镇",
    "镇",
    "委办局",
    "驻区单位",
    "全区各街道",
    "长宁区各街道",
]
UNITS = [
    "金融办",
    "市委市政府机关事务管理局",
    "老镇及旧房改造指挥部",
    "区节能减排工作领导小组",
    "市直机关工委",
    "市第一人民医院",
    "第三十五中学",
    "公安部第三研究所",
    "区府办(合作交流办)",
    "国资委(相关国企)",
    "市高等教育局",
    "中国平煤神马集团",
    "郏县政府",
    "新华区政府",
    "平顶山东站",
    "上城交警大队",
    "市个体劳动者协会",
    "虹桥街道",
    "新泾镇",
    "驻京办事处",
    "区人民政府",
    "区各界联合会秘书处",
]


@pytest.mark.parametrize("name", COLLECTIVES)
def test_a_name_that_reads_as_several_units_is_a_collective(name: str) -> None:
    from duban.units import reads_as_collective

    assert reads_as_collective(name)


@pytest.mark.parametrize("name", UNITS)
def test_a_units_own_name_is_not_a_collective(name: str) -> None:
    from duban.units import reads_as_collective

    assert not reads_as_collective(name)


def test_kind_collective_in_plan_yaml(tmp_path: Path) -> None:
    """plan.yaml can say a name is a collective (kind: collective, or group as before) where the
    name does not read as one; a name that reads as one is a collective whatever its kind."""
    from duban.units import is_collective
    from duban.validate.validation import validate
    from tests.support import copy_sample

    root = copy_sample(tmp_path / "repo")
    path = root / "plans/2019-changning/plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert "units:\n" in text
    path.write_text(
        text.replace(
            "units:\n",
            "units:\n  - name: 区重点企业\n    kind: collective\n  - name: 区26家签约单位\n    kind: department\n",
            1,
        ),
        encoding="utf-8",
    )
    assert [p for p in validate(root=root).problems if p.path.endswith("plan.yaml")] == []
    plan = Repository(root).plan("2019-changning")
    assert is_collective(plan, "区重点企业") and is_collective(plan, "区26家签约单位")
    assert is_collective(plan, "各街(镇)") and not is_collective(plan, "金融办")
    assert not is_collective(plan, "国资委(相关国企)")  # an alias of 国资委: the unit's own name counts


@pytest.mark.slow
def test_pseudo_units_are_not_scored(tmp_path: Path) -> None:
    """D6: 区26家签约单位 (the 26 signatories of task 44, a supporting "unit") was ranked 23rd."""
    from tests.office_fixtures import make_clerk_repo

    repo = Repository(make_clerk_repo(tmp_path / "clerk"))
    result = score(repo, "2019-changning", dt.date(2019, 6, 30))
    assert result.of("区26家签约单位") is None and result.of("安监局") is not None
    assert all(not u.unit.startswith(("各", "相关")) for u in result.units)
