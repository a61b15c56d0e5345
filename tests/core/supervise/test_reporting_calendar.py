"""The reporting calendar end to end, on the bundled Pingdingshan plan (issued 2013-03-02,
reports 于每月5日前) in a real git repository built with `duban progress`: no deadline three
days after the issue date (documents audit D7), reports due 5 June in May's circular and in the
ledger's 5月进展 (D11); plan.yaml's own rhythm in Chinese; bad words refused in one line.

    units on time: 市科技局 (6, 7), 市商务局 (12, 46), 市旅游局 (11), a report each in the
                   windows of 5 April, 5 May and 5 June, on the 3rd: "3月份工作…", "4月份…", "5月份…"
    市水利局 (16, 19, 41): task 16 on 4 June only
    市教育局 (86): 7 June, after the deadline of 5 June: June's report
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.store.repository import Repository
from duban.supervise.circular.building import build
from duban.supervise.export.formats import export
from duban.supervise.scoring import score
from duban.supervise.selection import select
from tests.office_fixtures import at, bundled_plan_repo
from tests.support import GIT_ENV

PLAN = "2013-pingdingshan"
ON_TIME = {"市科技局": ("6", "7"), "市商务局": ("12", "46"), "市旅游局": ("11",)}
ROUNDS = [
    ("2013-04-03", 10, "3月份工作按计划推进"),
    ("2013-05-03", 20, "4月份工作按计划推进"),
    ("2013-06-03", 32, "5月份工作按计划推进"),
]
OTHERS = [
    ("2013-06-04", "16", 30, "市水利局", "5月份完成水利投资3亿元"),
    ("2013-06-07", "86", 40, "市教育局", "6月上旬完成招生方案"),
]


def run(root: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["--repo", str(root), *args], env=env, catch_exceptions=False)


def make_repo(root: Path) -> Path:
    """The bundled plan committed on its issue date, then every report by `duban progress`,
    each committed on its day."""
    bundled_plan_repo(root, PLAN, "2013-03-02", PLAN)
    script = [
        (day, task, percent, unit, note)
        for day, percent, note in ROUNDS
        for unit, tasks in ON_TIME.items()
        for task in tasks
    ] + OTHERS
    for day, task, percent, unit, note in sorted(script):
        result = run(
            root,
            "progress",
            f"{PLAN}/{task}",
            "--percent",
            str(percent),
            "--by",
            unit,
            "--date",
            day,
            "--note",
            note,
            env={**GIT_ENV, **at(day)},
        )
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def pingdingshan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_repo(tmp_path_factory.mktemp("calendar") / "repo")


@pytest.fixture
def repo(pingdingshan_template: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "pingdingshan"
    shutil.copytree(pingdingshan_template, copy, symlinks=True)
    yield copy


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.slow
def test_every_lead_that_met_april_to_june_is_on_time(repo: Path) -> None:
    """D7: 5 March counted as a deadline, so no unit could exceed 75 % and every lead got 迟报 -1."""
    result = score(Repository(repo), PLAN, day("2013-06-30"))
    assert result.days == [day("2013-04-05"), day("2013-05-05"), day("2013-06-05")]
    for unit, tasks in ON_TIME.items():
        found = result.of(unit)
        assert found is not None and (found.met, found.due) == (3 * len(tasks), 3 * len(tasks)), unit
        assert found.on_time_rate == 100.0 and not [p for p in found.points if p.rule == "late_report"]
    water = result.of("市水利局")
    assert water is not None and (water.met, water.due) == (1, 9)  # task 16 answered 5 June only
    # The command line says the same for May, whose circular is read at the 5 June deadline
    # (June's is read at 5 July, which judges June's reports too: docs/reading.md C11).
    shown = json.loads(run(repo, "score", "--plan", PLAN, "--month", "2013-05", "--format", "json").stdout)
    rates = {u["unit"]: u["on_time_rate"] for u in shown["units"]}
    assert all(rates[unit] == 100.0 for unit in ON_TIME)
    late = {p["date"] for u in shown["units"] for p in u["points"] if p["rule"] == "late_report"}
    assert late and "2013-03-05" not in late and min(late) == "2013-04-05"


def test_nothing_is_late_before_the_first_deadline(repo: Path) -> None:
    march = select(Repository(repo), [PLAN], "2013-03-31")
    assert not any(march.light_of(t).late for t in march.tasks)
    april = select(Repository(repo), [PLAN], "2013-04-05")
    water = next(t for t in april.tasks if t.id == "16")
    assert april.light_of(water).late_reason == "no report between 2013-03-03 and the deadline 2013-04-05"
    assert not april.light_of(next(t for t in april.tasks if t.id == "6")).late


@pytest.mark.slow
def test_reports_due_5_june_are_in_the_may_circular(repo: Path) -> None:
    """D11: the 6月份 circular judged the deadline of 5 June, whose reports are May's."""
    may = build(Repository(repo), "2013-05", PLAN)
    assert may.deadline == day("2013-06-05") and may.as_of == day("2013-06-05")
    assert may.next_deadline == day("2013-07-05")
    assert may.reported_between == (day("2013-05-06"), day("2013-06-05"))
    assert may.issue == 3  # March, the first period reported on (by 5 April), is 第1期
    assert [t.id for t in may.late["市教育局"]] == ["86"] and not set(ON_TIME) & set(may.late)
    assert [t.id for t in may.late["市水利局"]] == ["19", "41"]  # 16 was reported on 4 June
    assert {"市科技局", "市商务局", "市旅游局", "市水利局"} <= set(may.reported_units)
    assert "市教育局" not in may.reported_units
    [table] = [b for b in may.blocks if b.kind == "table" and "本月进展" in b.headers]
    row = next(r for r in table.rows if r[0] == "6")
    assert row[-1] == "5月份工作按计划推进"
    body = "\n".join(b.text for b in may.blocks)
    assert "5月份推进情况" in body and "截至2013年6月5日报送截止日" in body
    june = build(Repository(repo), "2013-06", PLAN)
    assert june.deadline == day("2013-07-05") and june.issue == 4
    assert "市教育局" in june.reported_units and "市科技局" not in june.reported_units
    april = build(Repository(repo), "2013-04", PLAN)
    assert april.deadline == day("2013-05-05") and april.reported_between == (day("2013-04-06"), day("2013-05-05"))


def test_the_first_circular_reports_on_march(repo: Path) -> None:
    from duban.errors import DubanError

    march = build(Repository(repo), "2013-03", PLAN)
    assert (march.issue, march.deadline, march.as_of) == (1, day("2013-04-05"), day("2013-04-05"))
    assert march.reported_between == (day("2013-03-01"), day("2013-04-05"))
    with pytest.raises(DubanError, match="before the circulars of 2013-pingdingshan begin"):
        build(Repository(repo), "2013-02", PLAN)


def test_the_ledgers_month_columns_follow_the_period_reported_on(repo: Path) -> None:
    """D11: 6月进展 held "32%　5月份工作按计划推进" and 3月进展 was empty."""
    june = select(Repository(repo), [PLAN], "2013-06-30")
    ledger, _text = export(june, june.tasks, "md", None)
    columns = [h for h in ledger.headers if h.endswith("月进展")]
    assert columns == ["3月进展", "4月进展", "5月进展", "6月进展"]
    rows = {str(r[0]): dict(zip(ledger.headers, r)) for r in ledger.rows}
    assert [rows["6"][c] for c in columns] == [
        "10%　3月份工作按计划推进",
        "20%　4月份工作按计划推进",
        "32%　5月份工作按计划推进",
        "",
    ]
    assert rows["86"]["5月进展"] == "" and rows["86"]["6月进展"] == "40%　6月上旬完成招生方案"
    assert rows["16"]["5月进展"] == "30%　5月份完成水利投资3亿元"


def test_a_seal_is_refused_for_a_day_that_is_no_deadline(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in at("2013-07-01").items():
        monkeypatch.setenv(key, value)
    refused = run(repo, "seal", "--plan", PLAN, "--deadline", "2013-03-05")
    assert refused.exit_code == 1 and "2013-03-05 is not a reporting deadline" in refused.stderr
    assert "2013-04-05, 2013-05-05" in refused.stderr


QUARTERLY = """\
reporting:
  rhythm: 按季
  day_of_month: 5
  covers: 上期
  grace: 10
  to: 市督查局
"""


def _with_reporting(repo: Path, words: str) -> Path:
    plan = repo / "plans" / PLAN / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index("reporting:\n")
    end = text.index("areas:\n", start)
    plan.write_text(text[:start] + words + text[end:], encoding="utf-8")
    return plan


@pytest.mark.slow
def test_a_quarterly_rhythm_in_chinese(repo: Path) -> None:
    _with_reporting(repo, QUARTERLY)
    result = score(Repository(repo), PLAN, day("2013-12-31"))
    assert result.days == [day("2013-04-05"), day("2013-07-05"), day("2013-10-05")]
    july = select(Repository(repo), [PLAN], "2013-07-31")
    ledger, _text = export(july, july.tasks, "md", None)
    assert [h for h in ledger.headers if h.endswith("进展")] == ["第一季度进展", "第二季度进展", "第三季度进展"]
    rows = {str(r[0]): dict(zip(ledger.headers, r)) for r in ledger.rows}
    assert rows["6"]["第一季度进展"] == "10%　3月份工作按计划推进"  # dated 3 April: the report due 5 April
    assert rows["6"]["第二季度进展"] == "32%　5月份工作按计划推进"
    assert build(Repository(repo), "2013-05", PLAN).deadline == day("2013-07-05")


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (
            "reporting:\n  day_of_month: 5\n  dates: [2013-04-05]\n",
            "plan.yaml:15:17: 'day_of_month' does not go with 'dates': keep one of them",
        ),
        ("reporting:\n  rhythm: 每周\n  day_of_month: 5\n", "plan.yaml:15:11: '每周' is not one of: monthly"),
        ("reporting:\n  day_of_month: 5\n  first: 2013-04\n", "plan.yaml:16:10: '2013-04' is not a date"),
        ("reporting:\n  rhythm: quarterly\n", "plan.yaml:15:3: missing field 'day_of_month'"),
    ],
)
def test_bad_reporting_words_are_one_line_with_where(repo: Path, words: str, message: str) -> None:
    _with_reporting(repo, words)
    result = CliRunner().invoke(cli, ["--repo", str(repo), "list", f"plan:{PLAN}"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()
    assert message in line, line


def test_validate_names_a_date_outside_the_plans_years(repo: Path) -> None:
    _with_reporting(repo, "reporting:\n  dates: [2013-04-05, 2031-01-05]\n")
    result = CliRunner().invoke(cli, ["--repo", str(repo), "validate"])
    assert (
        "plan.yaml:15:23: error: date 2031-01-05 is outside the plan's range 2012-01-01..2014-12-31"
        in result.stdout + result.stderr
    )
