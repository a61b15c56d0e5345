"""Bad data is refused or normalised at the door, on every input path, and validate refuses
whatever a writer would refuse (the audits' H2, M5 and M9)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from duban.errors import DubanError
from duban.progress import flat
from duban.record.hand_edits import apply_edit
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.record.writer import InvalidEdit
from duban.store import yamlio
from duban.store.repository import Repository
from duban.supervise.export.formats import export
from duban.supervise.selection import select
from duban.validate.validation import validate
from tests.support import PROJECT, git

PLAN = "2019-changning"
TASK = f"plans/{PLAN}/tasks/2.yaml"


def test_words_shift_enter_becomes_a_line_break_and_the_ledger_still_exports(git_repo: Path, tmp_path: Path) -> None:
    repo = Repository(git_repo)
    record_progress(repo, f"{PLAN}/2", 10, by="金融办", date="2019-03-25", note="第一段\x0b第二段\u2028第三段\t(附表)")
    doc = yamlio.load_fast((git_repo / TASK).read_text(encoding="utf-8"), TASK)
    assert flat(doc["progress"])[-1]["note"] == "第一段\n第二段\n第三段 (附表)"
    assert validate(root=git_repo).errors == 0
    out = tmp_path / "ledger.xlsx"
    selection = select(repo, [PLAN])
    export(selection, selection.tasks, "xlsx", out)
    cells = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
    assert any(isinstance(v, str) and "第一段\n第二段" in v for v in cells)


def test_set_refuses_escape_sequences_and_flattens_one_line_fields(git_repo: Path) -> None:
    repo = Repository(git_repo)
    before = (git_repo / TASK).read_bytes()
    with pytest.raises(DubanError, match="title holds the control character U\\+001B"):
        set_fields(repo, f"{PLAN}/2", ["title=正常标题\x1b]0;伪造\x07"])
    with pytest.raises(DubanError, match="U\\+202E"):
        set_fields(repo, f"{PLAN}/2", ["text=完成\u202e%05"])
    assert (git_repo / TASK).read_bytes() == before
    set_fields(repo, f"{PLAN}/2", ["title=招留增\x0b工作", "milestones.Q2=第一行\x0b第二行"])
    doc = yamlio.load_fast((git_repo / TASK).read_text(encoding="utf-8"), TASK)
    assert doc["title"] == "招留增 工作" and doc["milestones"]["Q2"] == "第一行\n第二行"


def test_an_edit_with_a_tab_inside_a_value_is_refused_like_validate_refuses_it(git_repo: Path) -> None:
    """libyaml reads a tab inside a plain value, ruamel (which writes) does not: such a file
    used to pass validate and then block every later write."""
    text = (git_repo / TASK).read_text(encoding="utf-8").replace("text: 招留增工作", "text: 招留增工作\t（见附表）", 1)
    with pytest.raises(InvalidEdit) as caught:
        apply_edit(Repository(git_repo), f"{PLAN}/2", text)
    assert [p.rule for p in caught.value.problems] == ["control-character"]
    (git_repo / TASK).write_text(text, encoding="utf-8")
    report = validate(root=git_repo)
    assert [p.rule for p in report.problems] == ["control-character"] and report.problems[0].line == 4


def test_a_write_never_rewrites_another_field(git_repo: Path) -> None:
    """ruamel (YAML 1.2) reads a plain 000_521e3 as a number and writes it back as 5210000e-1."""
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8").replace("document: 002_6636f39aa932eafa.txt", "document: 000_521e3"),
        encoding="utf-8",
    )
    git(git_repo, "commit", "-qam", "hand edit")
    report = validate(root=git_repo)
    assert [p.rule for p in report.problems] == ["ambiguous-scalar"]
    before = path.read_bytes()
    with pytest.raises(DubanError) as refused:  # in validate's words, at its place (N7: one rule)
        record_progress(Repository(git_repo), f"{PLAN}/2", 10, by="金融办", date="2019-03-25")
    assert refused.value.message == report.problems[0].message
    assert (refused.value.line, refused.value.col) == (report.problems[0].line, report.problems[0].col)
    assert path.read_bytes() == before
    # Quoted, as the message says, it validates and takes the report, unchanged.
    path.write_text(path.read_text(encoding="utf-8").replace("000_521e3", '"000_521e3"'), encoding="utf-8")
    git(git_repo, "commit", "-qam", "quoted")
    assert validate(root=git_repo).problems == []
    record_progress(Repository(git_repo), f"{PLAN}/2", 10, by="金融办", date="2019-03-25")
    assert yamlio.load_fast(path.read_text(encoding="utf-8"), TASK)["source"]["document"] == "000_521e3"


def test_imported_documents_are_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from duban.cli.main import cli

    source = (PROJECT / f"plans/{PLAN}/source/002_6636f39aa932eafa.txt").read_text(encoding="utf-8-sig")
    source = source.replace("招留增工作:招的方面", "招留增\x0b工作\u202e:招的方面\x1b[8m", 1)
    document = tmp_path / "notice.txt"
    document.write_text(source, encoding="utf-8")
    office = tmp_path / "office"
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", str(office)]).exit_code == 0
    monkeypatch.chdir(office)
    result = CliRunner().invoke(cli, ["import", str(document), "--plan", "2019-x"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    texts = [p.read_text(encoding="utf-8") for p in (office / "plans/2019-x/tasks").glob("*.yaml")]
    assert not any(c in t for t in texts for c in ("\x0b", "\u202e", "\x1b"))
    assert any("招留增\n工作:招的方面[8m" in yamlio.load_fast(t, "t")["text"] for t in texts)
    assert validate(root=office).errors == 0


def test_a_date_like_text_that_is_no_date_is_refused_by_validate_as_it_would_block_writes(git_repo: Path) -> None:
    """The validate fuzzer's other class (M5): `note: 2019-02-30` passed validate, and ruamel,
    which writes, fails on it, so every later progress on the task failed."""
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "source:",
            "progress:\n  - date: 2019-03-25\n    percent: 10\n    note: 2019-02-30\n    by: 金融办\nsource:",
            1,
        ),
        encoding="utf-8",
    )
    report = validate(root=git_repo)
    assert [(p.rule, p.line) for p in report.problems] == [("ambiguous-scalar", 28)]  # the note line
    path.write_text(
        path.read_text(encoding="utf-8").replace("note: 2019-02-30", 'note: "2019-02-30"'), encoding="utf-8"
    )
    assert validate(root=git_repo).problems == []
    git(git_repo, "commit", "-qam", "quoted")
    record_progress(Repository(git_repo), f"{PLAN}/2", 20, by="金融办", date="2019-04-25")
