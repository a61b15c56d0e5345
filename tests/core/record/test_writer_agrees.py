"""The writer and `validate` agree on what can be written (reliability audit round 3, N7, N15,
N19, N22): a file validate passes takes a report, one it refuses is refused by the writer in
the same words, at the same place; a write keeps the file's line endings and BOM and never
goes through a symlink. Each test failed before its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.errors import DubanError
from duban.record.recording import record_progress
from duban.store.repository import Repository
from duban.validate.validation import validate
from tests.support import git

PLAN = "2019-changning"
TASK = f"plans/{PLAN}/tasks/2.yaml"


def _commit_changed(repo: Path, old: str, new: str) -> None:
    path = repo / TASK
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(repo, "commit", "-qam", "a unit's hand edit")


def _report(repo: Path) -> None:
    record_progress(Repository(repo), f"{PLAN}/2", 5, by="金融办", date="2019-03-01", note="x")


# N7: validate passed files that every write then refused (a tab as a separator, a U+FEFF or a line
# separator at a line's start); N22: a value the writer cannot read was refused without its position.


@pytest.mark.slow
@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("source:\n", "source: \t\n", (25, 9)),  # a tab after a key's colon
        ("category: 稳增长", "category:\t稳增长", (6, 10)),  # a tab as the separator itself
        ("\n  - 商务委\n", "\n\ufeff - 商务委\n", (10, 1)),  # U+FEFF in place of an indent
        ("\n  - 商务委\n", "\n  - 商务委\n\u2028", (11, 1)),  # a line separator after an item
        ("\n  - 商务委\n", "\n\x85  - 商务委\n", (10, 1)),  # NEL, another line break to one reader
        ("status: not_started", "status: not_started\t", (24, 20)),  # a tab after a value
        ("text: 招留增", "text: ._ #招留增", (4, 7)),  # N22: not a number to the writer
    ],
)
def test_what_validate_refuses_the_writer_refuses_in_the_same_words(
    git_repo: Path, old: str, new: str, where: tuple[int, int]
) -> None:
    _commit_changed(git_repo, old, new)
    errors = [p for p in validate([git_repo / TASK]).problems if p.is_error]
    assert errors, "validate passed a file the writer cannot write"
    assert (errors[0].line, errors[0].col) == where
    with pytest.raises(DubanError) as refused:
        _report(git_repo)
    assert refused.value.message == errors[0].message
    assert (refused.value.line, refused.value.col) == where


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("status: not_started", "status: not_started # 注释\twith a tab"),  # a tab in a comment: both read it alike
        ("category: 稳增长", "category: 稳增长 # 1_000 and ._ in a comment"),
    ],
)
def test_what_both_readers_read_alike_validates_and_takes_a_report(git_repo: Path, old: str, new: str) -> None:
    _commit_changed(git_repo, old, new)
    assert [p for p in validate([git_repo / TASK]).problems if p.is_error] == []
    _report(git_repo)  # no error


# N15: a symlink inside tasks/ to another task: a write replaced the link with a copy and committed
# a file that fails validation.


def test_a_write_through_a_symlinked_task_file_is_refused(git_repo: Path) -> None:
    link = git_repo / f"plans/{PLAN}/tasks/2b.yaml"
    link.symlink_to("2.yaml")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "a link to task 2")
    head = git(git_repo, "rev-parse", "HEAD")
    with pytest.raises(DubanError, match="symbolic link"):
        record_progress(Repository(git_repo), f"{PLAN}/2b", 5, by="金融办", date="2019-03-01", note="via the link")
    assert link.is_symlink() and git(git_repo, "rev-parse", "HEAD") == head
    assert git(git_repo, "status", "--porcelain") == ""


def test_a_symlinked_task_file_is_checked_under_its_own_name(git_repo: Path) -> None:
    from duban.validate.validation import check_task_text

    link = git_repo / f"plans/{PLAN}/tasks/2b.yaml"
    link.symlink_to("2.yaml")
    found = check_task_text(link, (git_repo / TASK).read_text(encoding="utf-8"))
    assert [p.rule for p in found if p.is_error] == ["id-matches-file"]


# N19: a write to a CRLF or BOM task file rewrote every line.


@pytest.mark.parametrize(("bom", "newline"), [(True, b"\r\n"), (False, b"\r\n"), (True, b"\n")])
def test_a_write_keeps_the_files_line_endings_and_bom(git_repo: Path, bom: bool, newline: bytes) -> None:
    path = git_repo / TASK
    lf = path.read_bytes()
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + lf.replace(b"\n", newline))
    git(git_repo, "commit", "-qam", "saved on a Windows PC")
    _report(git_repo)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == bom
    body = data.removeprefix(b"\xef\xbb\xbf")
    assert body.count(newline) == body.count(b"\n")  # every line ends as before
    added, removed, _name = git(git_repo, "diff", "--numstat", "HEAD~1", "HEAD").split("\t")
    assert int(removed) <= 1, f"{removed} lines rewritten for one report"  # the status line
    assert int(added) == _lines_a_report_adds(git_repo)


def _lines_a_report_adds(repo: Path) -> int:
    """The lines the same report adds to the file as it was committed first, with LF."""
    twin = repo.parent / "twin"
    git(repo.parent, "clone", "-q", str(repo), str(twin))
    first = git(twin, "rev-list", "--max-parents=0", "HEAD").strip()
    git(twin, "reset", "-q", "--hard", first)
    _report(twin)
    return int(git(twin, "diff", "--numstat", "HEAD~1", "HEAD").split("\t")[0])


def test_a_file_with_mostly_crlf_lines_is_written_all_in_crlf(git_repo: Path) -> None:
    path = git_repo / TASK
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(b"\r\n".join(lines[:-2]) + b"\n" + lines[-2] + b"\n")  # the last line ends in LF alone
    git(git_repo, "commit", "-qam", "mixed")
    _report(git_repo)
    body = path.read_bytes()
    assert body.count(b"\n") == body.count(b"\r\n")


def test_migrate_keeps_each_files_line_endings_and_bom(git_repo: Path) -> None:
    from duban.record.migrating import migrate

    path = git_repo / TASK
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    git(git_repo, "commit", "-qam", "saved on a Windows PC")
    migration = migrate(Repository(git_repo))
    assert path in migration.changed  # it gains a key per unit
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n")
    added, removed, _name = git(git_repo, "diff", "--numstat", "HEAD~1", "HEAD", "--", TASK).split("\t")
    assert int(removed) == 0 and int(added) > 0
