"""`duban forms` and `duban collect` on the command line: files written, the preview, the
question before recording (--yes for scripts), problems on stderr by file and cell in Chinese,
exit 1 when a form is refused, and `forms --missing`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.i18n import set_language
from tests.core.forms.support import _env, fill, make_may_repo, rows_of
from tests.support import git


def run(root: Path, *args: str, input: str | None = None):
    try:
        return CliRunner().invoke(cli, ["--repo", str(root), *args], input=input, catch_exceptions=False)
    finally:
        set_language("en")


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_may_repo(tmp_path / "office")
    _env(monkeypatch, "2019-06-01")
    return root


def test_forms_then_collect_with_a_question(office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    result = run(
        office, "--lang", "zh", "forms", "--period", "2019-06", "-o", str(out), "--unit", "财政局", "--unit", "jrb"
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["财政局.xlsx", "金融办.xlsx"]
    assert "2019年6月" in result.stderr and "2019-06-25" in result.stderr
    rows = rows_of(out / "财政局.xlsx")
    back = fill(
        out / "财政局.xlsx",
        tmp_path / "back" / "财政局.xlsx",
        {"B3": "6月24日", f"G{rows[0][0]}": "５０%", f"J{rows[0][0]}": "方案已起草"},
    )
    _env(monkeypatch, "2019-06-25")
    head = git(office, "rev-parse", "HEAD")
    said_no = run(office, "--lang", "zh", "collect", str(back.parent), input="n\n")
    assert said_no.exit_code == 0 and "新增" in said_no.stdout and "方案已起草" in said_no.stdout
    assert "收录以上 1 条报送?" in said_no.stderr and git(office, "rev-parse", "HEAD") == head
    said_yes = run(office, "collect", str(back), input="y\n")
    assert said_yes.exit_code == 0 and "进度 50%" in said_yes.stdout
    assert "Form: 财政局.xlsx" in git(office, "log", "-1", "--format=%B")
    again = run(office, "collect", str(back), "--yes")
    assert again.exit_code == 0 and "collected before" in again.stderr


def test_a_refused_form_is_named_by_file_and_cell_in_chinese(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run(office, "forms", "--period", "2019-06", "-o", str(out), "--unit", "财政局")
    row = rows_of(out / "财政局.xlsx")[0][0]
    back = fill(out / "财政局.xlsx", tmp_path / "back" / "财政局.xlsx", {"B3": "2019-06-24", f"G{row}": "120"})
    _env(monkeypatch, "2019-06-25")
    result = run(office, "--lang", "zh", "collect", str(back), "--yes")
    assert result.exit_code == 1
    assert f"财政局.xlsx!G{row}: 完成进度 120 超出 0–100" in result.stderr
    assert "退回;其中内容均未收录" in result.stderr


def test_missing_lists_units_that_have_not_returned(office: Path) -> None:
    result = run(office, "--lang", "zh", "forms", "--missing", "--period", "2019-06")
    assert result.exit_code == 0
    assert "财政局" in result.stdout and "未报" in result.stdout
    assert "完全未报送" in result.stderr
