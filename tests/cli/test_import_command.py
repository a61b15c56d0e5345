"""`duban import` end to end: writing, refusing to overwrite, dry runs, reports, bad documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from tests.support import PROJECT

SEED = PROJECT / "plans/2013-pingdingshan/source/004_1282b74f73776eb6.txt"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_import_writes_a_valid_plan_with_its_source(sample_repo: Path) -> None:
    result = run("import", str(SEED), "--plan", "2013-pingdingshan")
    assert result.exit_code == 0, result.stderr
    folder = sample_repo / "plans/2013-pingdingshan"
    assert len(list((folder / "tasks").glob("*.yaml"))) == 96
    assert (folder / "source" / SEED.name).read_bytes() == SEED.read_bytes()
    assert "outline layout" in result.stderr and "validation: 0 errors" in result.stderr
    listed = json.loads(run("list", "--plan", "2013-pingdingshan", "--format", "json").stdout)
    assert listed[77]["ref"] == "2013-pingdingshan/78"


@pytest.mark.slow
def test_existing_plan_is_not_overwritten_without_replace(sample_repo: Path) -> None:
    assert run("import", str(SEED), "--plan", "2013-pingdingshan").exit_code == 0
    marker = sample_repo / "plans/2013-pingdingshan/tasks/1.yaml"
    marker.write_text(marker.read_text(encoding="utf-8") + "# local note\n", encoding="utf-8")
    again = run("import", str(SEED), "--plan", "2013-pingdingshan")
    assert again.exit_code == 1
    assert "already exists (pass --replace" in again.stderr
    assert marker.read_text(encoding="utf-8").endswith("# local note\n")
    replaced = run("import", str(SEED), "--plan", "2013-pingdingshan", "--replace")
    assert replaced.exit_code == 0
    assert not marker.read_text(encoding="utf-8").endswith("# local note\n")
    assert not [p for p in (sample_repo / "plans").iterdir() if p.name.startswith(".")]


def test_dry_run_writes_nothing_but_the_report(sample_repo: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    result = run("import", str(SEED), "--plan", "2013-pingdingshan", "--dry-run", "--report", str(report))
    assert result.exit_code == 0
    assert not (sample_repo / "plans/2013-pingdingshan").exists()
    text = report.read_text(encoding="utf-8")
    assert "- line 3: notice preamble: 各县(市、区)人民政府,市人民政府各部门:" in text
    assert "line 329: plan: reporting" in text


def test_unreadable_documents_get_one_line(sample_repo: Path, tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("您好。\n此致敬礼\n", encoding="utf-8")
    result = run("import", str(letter), "--plan", "2020-x")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no known layout found" in result.stderr
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\xff\xfe")
    result = run("import", str(binary), "--plan", "2020-x")
    assert result.exit_code == 1 and "binary file" in result.stderr
    bad_id = run("import", str(SEED), "--plan", "../evil")
    assert bad_id.exit_code == 1 and "plan id '../evil' is not valid" in bad_id.stderr


def test_explain_prints_every_line_with_its_rule_and_writes_nothing(sample_repo: Path, tmp_path: Path) -> None:
    doc = tmp_path / "notice.txt"
    doc.write_text("分享到:微信\n一、总体\n1.推进甲。(牵头单位:市甲局;配合单位:市乙局)\n2.推进乙。\n", encoding="utf-8")
    result = run("import", str(doc), "--plan", "2024-x", "--explain")
    assert result.exit_code == 0, result.stderr
    assert "web page chrome" in result.stdout and "-> task 2024-x/1" in result.stdout
    assert "1 tasks name no unit (2)" in result.stdout and "1 tasks name no unit (2)" in result.stderr
    assert not (sample_repo / "plans/2024-x").exists()


def test_year_is_asked_for_by_name_and_taken_from_the_option(sample_repo: Path, tmp_path: Path) -> None:
    doc = tmp_path / "notice.txt"
    doc.write_text("一、总体\n1.推进甲。(牵头单位:市甲局)\n", encoding="utf-8")
    refused = run("import", str(doc), "--plan", "somewhere")
    assert refused.exit_code == 1 and "--year" in refused.stderr and refused.stderr.count("\n") == 1
    done = run("import", str(doc), "--plan", "somewhere", "--year", "2021")
    assert done.exit_code == 0, done.stderr
    assert "year: 2021" in (sample_repo / "plans/somewhere/plan.yaml").read_text(encoding="utf-8")


def test_import_outside_a_repository_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    """A newcomer's first import in an empty folder read the whole document, printed its
    summary and notes, and only then failed; now one line, before any reading, naming init."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DUBAN_REPO", raising=False)
    result = run("import", str(SEED), "--plan", "2013-pingdingshan")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "duban init" in result.stderr and not (tmp_path / "plans").exists()
    dry = run("import", str(SEED), "--plan", "2013-pingdingshan", "--dry-run")
    assert dry.exit_code == 0 and "tasks" in dry.stderr  # a dry run needs no repository
