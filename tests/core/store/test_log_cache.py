"""`duban log --plan`'s kept git log (gitstore.path_log) gives what a fresh `git log -- PATH`
gives after every way HEAD can move: a new commit, amend, reset, rebase, a merge, a branch."""

from __future__ import annotations

from pathlib import Path

from duban.record.history import plan_log
from duban.record.recording import record_progress
from duban.store.gitstore import Git
from duban.store.repository import Repository
from tests.support import at, git

FOLDER = "plans/2019-changning/tasks"


def _fresh(repo: Path) -> list[tuple[str, str, list[str]]]:
    return [(c.sha, c.subject, c.paths) for c in Git(repo).log(paths=[FOLDER])]


def _kept(repo: Path) -> list[tuple[str, str, list[str]]]:
    return [(c.sha, c.subject, c.paths) for c in plan_log(Repository(repo), "2019-changning")]


def _log_files(repo: Path) -> list[Path]:
    return sorted((repo / ".git/duban-cache").glob("log-*.marshal"))


def test_the_kept_log_follows_head_wherever_it_goes(history_repo: Path, monkeypatch) -> None:
    repo = history_repo
    assert _kept(repo) == _fresh(repo) and len(_fresh(repo)) == 6
    assert len(_log_files(repo)) == 1
    assert _kept(repo) == _fresh(repo)  # from the kept text
    at(monkeypatch, "2019-06-25")
    record_progress(Repository(repo), "2019-changning/2", 60, note="六月", by="金融办", date="2019-06-25")
    assert _kept(repo) == _fresh(repo) and len(_fresh(repo)) == 7  # the new commit before the kept ones
    git(repo, "commit", "-q", "--amend", "-m", "改过的说明")  # HEAD is no longer a descendant
    assert _kept(repo) == _fresh(repo) and _kept(repo)[0][1] == "改过的说明"
    git(repo, "reset", "-q", "--hard", "HEAD~2")
    assert _kept(repo) == _fresh(repo) and len(_fresh(repo)) == 5
    git(repo, "switch", "-q", "-c", "side", "HEAD~1")
    path = repo / FOLDER / "1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 制定", "title: 研究"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "side change")
    assert _kept(repo) == _fresh(repo)
    git(repo, "switch", "-q", "main")
    assert _kept(repo) == _fresh(repo)
    git(repo, "merge", "-q", "--no-edit", "side")  # a merge since the kept commit: asked again
    assert _kept(repo) == _fresh(repo)
    other = repo / "plans/2008-baoshan/tasks/1.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "another plan only")
    assert _kept(repo) == _fresh(repo)
    git(repo, "rebase", "-q", "--onto", "HEAD~3", "HEAD~1")  # a rewritten line
    assert _kept(repo) == _fresh(repo)


def test_a_damaged_or_foreign_kept_log_is_not_used(history_repo: Path) -> None:
    import marshal

    expected = _kept(history_repo)
    (kept,) = _log_files(history_repo)
    tag, head, text = marshal.loads(kept.read_bytes())
    for junk in (
        b"",
        b"\x00junk",
        marshal.dumps((tag, "0" * 40, text)),
        marshal.dumps((tag, head[:7], "")),
        marshal.dumps((("another format", tag[1]), head, "")),
        marshal.dumps((tag, head)),
    ):
        kept.write_bytes(junk)
        assert _kept(history_repo) == expected == _fresh(history_repo)


def test_the_kept_first_parent_line_is_that_of_head_now(history_repo: Path, monkeypatch) -> None:
    """commit_before (list --as-of) keeps HEAD's first-parent line: a new commit, an amend or
    a reset is a new HEAD and a new line."""

    def fresh() -> list[str]:
        return git(history_repo, "log", "--first-parent", "--reverse", "--format=%H").split()

    git_object = Git(history_repo)
    assert [sha for sha, _stamp in git_object.first_parent_line()] == fresh()
    at(monkeypatch, "2019-06-25")
    record_progress(Repository(history_repo), "2019-changning/2", 60, note="六月", by="金融办", date="2019-06-25")
    assert [sha for sha, _stamp in git_object.first_parent_line()] == fresh() and len(fresh()) == 7
    assert git_object.commit_before("2019-06-25") == fresh()[-1]
    git(history_repo, "commit", "-q", "--amend", "-m", "改过")
    assert [sha for sha, _stamp in Git(history_repo).first_parent_line()] == fresh()
    git(history_repo, "reset", "-q", "--hard", "HEAD~3")
    assert [sha for sha, _stamp in git_object.first_parent_line()] == fresh() and len(fresh()) == 4
    assert Git(history_repo).commit_before("2019-12-31") == fresh()[-1]
