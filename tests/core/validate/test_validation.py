"""duban validate's checker: the sample plans pass; each invalid example gives its exact problems."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from duban.problems import Severity
from duban.validate.validation import validate
from tests.support import DATA

INVALID = DATA / "invalid"
EXPECTED: dict[str, list[str]] = json.loads((INVALID / "expected.json").read_text(encoding="utf-8"))


def test_every_invalid_example_has_expectations() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in INVALID.glob("*.yaml"))


def test_sample_repository_is_valid(sample_repo: Path) -> None:
    report = validate(root=sample_repo)
    assert report.problems == []
    assert report.files_checked == 9


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_example(name: str, sample_repo: Path) -> None:
    target = Path("plans/2019-changning/tasks") / name
    shutil.copy(INVALID / name, sample_repo / target)
    report = validate([target])
    assert [p.format() for p in report.problems] == [f"{target}:{line}" for line in EXPECTED[name]]
    # Whole-repository validation finds the same problems in the same words.
    everything = validate(root=sample_repo)
    assert [p.format() for p in everything.problems] == [f"{target}:{line}" for line in EXPECTED[name]]


def test_warnings_alone_are_not_errors(sample_repo: Path) -> None:
    shutil.copy(INVALID / "percent-falls.yaml", sample_repo / "plans/2019-changning/tasks")
    report = validate(root=sample_repo)
    assert report.errors == 0 and report.warnings == 1
    assert report.problems[0].severity is Severity.WARNING


def _write_task(root: Path, task_id: str, extra: str = "") -> Path:
    path = root / "plans/2008-baoshan/tasks" / f"{task_id}.yaml"
    path.write_text(
        f"id: {task_id}\ntitle: t\ntext: t。\narea: 促进经济又好又快发展\n"
        f"lead:\n  - 经委\nstatus: not_started\n{extra}"
        "source:\n  document: 000_521e3fe8008ddb33.txt\n",
        encoding="utf-8",
    )
    return path


def test_parent_cycle_is_found_from_either_file(sample_repo: Path) -> None:
    _write_task(sample_repo, "90", "parent: 91\n")
    _write_task(sample_repo, "91", "parent: 92\n")
    _write_task(sample_repo, "92", "parent: 90\n")
    one = validate([Path("plans/2008-baoshan/tasks/91.yaml")])
    assert [p.format() for p in one.problems] == [
        "plans/2008-baoshan/tasks/91.yaml:8:9: error: parent cycle: 91 -> 92 -> 90 -> 91 [parent-cycle]"
    ]
    assert sum(p.rule == "parent-cycle" for p in validate(root=sample_repo).problems) == 3


def test_sub_item_parent_is_resolved_across_files(sample_repo: Path) -> None:
    report = validate([Path("plans/2008-baoshan/tasks/1-4.yaml")])
    assert report.problems == [] and report.files_checked == 2  # the task and its plan.yaml


def test_plan_folder_without_plan_yaml(sample_repo: Path) -> None:
    folder = sample_repo / "plans/2020-nowhere/tasks"
    folder.mkdir(parents=True)
    shutil.copy(sample_repo / "plans/2008-baoshan/tasks/1.yaml", folder)
    messages = [p.format() for p in validate(root=sample_repo).problems]
    assert "plans/2020-nowhere: error: plan folder has no plan.yaml [missing-plan]" in messages


def test_plan_problems_are_located(sample_repo: Path) -> None:
    plan = sample_repo / "plans/2019-changning/plan.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("id: 2019-changning", "id: 2019-changnin").replace("day_of_month: 25", "day_of_month: 32")
    text = text.replace("  - name: 商务委\n", "  - name: 金融办\n")
    plan.write_text(text, encoding="utf-8")
    messages = [p.format() for p in validate([plan.relative_to(sample_repo)]).problems]
    assert messages == [
        "plans/2019-changning/plan.yaml:16:17: error: 32 is greater than the maximum of 31 [schema.maximum]"
    ]
    plan.write_text(text.replace("day_of_month: 32", "day_of_month: 25"), encoding="utf-8")
    messages = [p.format() for p in validate([plan.relative_to(sample_repo)]).problems]
    assert messages == [
        "plans/2019-changning/plan.yaml:2:5: error: plan id '2019-changnin' differs from its folder '2019-changning' "
        "[plan-id-matches-folder]",
        "plans/2019-changning/plan.yaml:24:11: error: unit '金融办' is registered more than once [unique-unit]",
    ]


def test_a_brace_that_is_no_placeholder_is_named_with_the_ones_there_are(sample_repo: Path) -> None:
    """It was reported with the schema's regular expression: 格式不符(^([^{}]|\\{(月份|…)\\})*$)."""
    plan = sample_repo / "plans/2019-changning/plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8") + 'circular:\n  requirements:\n    - "请{滞后单位}于{下月}前整改"\n',
        encoding="utf-8",
    )
    [problem] = validate([plan.relative_to(sample_repo)]).problems
    assert problem.message.startswith("{下月} is not a placeholder; write one of {月份}、{截至日期}")
    assert "^(" not in problem.message


def test_task_checks_are_skipped_but_plan_reported_when_plan_is_broken(sample_repo: Path) -> None:
    (sample_repo / "plans/2008-baoshan/plan.yaml").write_text("id: [\n", encoding="utf-8")
    report = validate([Path("plans/2008-baoshan/tasks/1.yaml")])
    assert [p.rule for p in report.problems] == ["yaml-syntax"]
    assert report.problems[0].path == "plans/2008-baoshan/plan.yaml"


def test_paths_outside_plans_are_reported(sample_repo: Path) -> None:
    (sample_repo / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    report = validate([Path("notes.yaml"), Path("missing.yaml")])
    assert [p.rule for p in report.problems] == ["missing-file", "not-a-plan-file"]


def test_unit_aliases_and_whitespace_resolve(sample_repo: Path) -> None:
    path = sample_repo / "plans/2019-changning/tasks/2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("  - 科委\n", "  - 科  委\n  - 市场 监管局\n")
        .replace("  - 市场监管局\n", ""),
        encoding="utf-8",
    )
    assert validate(root=sample_repo).problems == []


def test_a_report_dated_after_today_is_an_error(sample_repo: Path) -> None:
    """A hand-edited report dated in the future (progress refuses one at the door)."""
    import datetime as dt

    today = dt.date.today()
    plan = sample_repo / "plans/2019-changning/plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        .replace("year: 2019", f"year: {today.year}")
        .replace("issued: 2019-01-31", f"issued: {today.year}-01-01"),
        encoding="utf-8",
    )
    task = sample_repo / "plans/2019-changning/tasks/2.yaml"
    later = today + dt.timedelta(days=1)
    task.write_text(
        task.read_text(encoding="utf-8").replace(
            "source:", f"progress:\n  - date: {later.isoformat()}\n    percent: 10\n    by: 金融办\nsource:", 1
        ),
        encoding="utf-8",
    )
    problems = [p for p in validate(root=sample_repo).problems if p.rule == "future-report"]
    assert [p.message for p in problems] == [f"report dated {later.isoformat()}, after today ({today.isoformat()})"]
