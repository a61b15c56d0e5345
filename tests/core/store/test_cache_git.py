"""git's look at the index (duban/store/gitindex.py) never vouches for a file that changed.

Each test first lets the second in which the files were written pass (git compares ctimes to
the second, and duban trusts an entry only when its ctime is in an earlier second than the
clock read before duban checked it), takes a warm run that git vouches for every file of, and
then changes something the way a user or git would. These tests use the real clock, with no
timed assertion: a wait is only there to leave a second behind.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from duban.store.repository import Repository
from duban.validate.validation import validate
from tests.core.store.support import _counting_reads, _same_size_edit
from tests.support import git

PLAN = "2019-changning"
TASKS = f"plans/{PLAN}/tasks"
TASK = f"{TASKS}/2.yaml"
TITLE = "title: 招留增工作"


def titles(repo: Path) -> dict[str, str]:
    return {t.ref: t.title for t in Repository(repo).load_tasks(PLAN).tasks}


def git_vouched(repo: Path) -> int:
    """How many of the plan's files a fresh load took on git's word (no stat call)."""
    repository = Repository(repo)
    repository.load_tasks(PLAN)
    return repository.parse_cache().file_states(repo / TASKS).git_vouched


def _second_after_the_files(repo: Path) -> None:
    """Wait until the clock's second is later than every ctime under plans/ and the index's."""
    newest = max(os.lstat(path).st_ctime_ns for path in [repo / ".git/index", *(repo / "plans").rglob("*")])
    while time.time_ns() // 10**9 <= newest // 10**9:
        time.sleep(0.05)


def _vouched_for(repo: Path, files: int | None = None) -> None:
    """Settle, then take the run that checks the index's entries and the run that trusts them
    (for every file of the plan, or for `files` of them)."""
    git(repo, "status", "--porcelain")  # what a user's own git does: refresh the index's stat fields
    _second_after_the_files(repo)
    titles(repo)
    assert git_vouched(repo) == (files if files is not None else len(list((repo / TASKS).glob("*.yaml")))) > 0


def test_a_warm_run_takes_unchanged_files_on_gits_word(git_repo: Path, monkeypatch) -> None:
    assert validate(root=git_repo).problems == []  # every plan's files read once
    _vouched_for(git_repo)
    read = _counting_reads(monkeypatch)
    before = titles(git_repo)
    assert validate(root=git_repo).problems == []
    assert titles(git_repo) == before
    assert [name for name in read if name != "plan.yaml"] == []


def test_same_size_edit_with_the_mtime_put_back_is_seen(git_repo: Path) -> None:
    _vouched_for(git_repo)
    assert validate(root=git_repo).problems == []
    _same_size_edit(git_repo / TASK, TITLE, "title: 招商安商稳")  # in the second of the check, too
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"
    _same_size_edit(git_repo / TASK, "area: 经济发展", "area: 经济建设")
    assert [p.rule for p in validate(root=git_repo).problems] == ["unknown-area"]


@pytest.mark.parametrize(
    "setting", [("core.trustctime", "false"), ("core.checkStat", "minimal"), ("core.ignoreStat", "true")]
)
def test_settings_that_make_git_skip_ctimes_are_overridden(git_repo: Path, setting: tuple[str, str]) -> None:
    """With these, plain `git diff-files` misses a same-size edit that puts the mtime back."""
    git(git_repo, "config", *setting)
    _vouched_for(git_repo)
    _same_size_edit(git_repo / TASK, TITLE, "title: 招商安商稳")
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"


def test_an_entry_recorded_in_the_second_of_the_check_is_not_trusted(git_repo: Path) -> None:
    """Within one second: a file is written with an old mtime (`cp -p`, `touch -d`), staged,
    read by duban, and edited again with the size and mtime kept. git, comparing seconds, and
    not counting the entry as racy (its mtime is older than the index), finds nothing changed.
    duban trusts only an entry whose ctime is in a second before the clock's, so it looks at
    the file itself."""
    path = git_repo / TASK
    hour_ago = time.time_ns() - 3600 * 10**9
    for _attempt in range(5):
        while time.time() % 1 > 0.2:  # start early in a second, so that all of it fits in one
            time.sleep(0.02)
        path.write_text(path.read_text(encoding="utf-8").replace("title: 招", "title: 㐀", 1), encoding="utf-8")
        os.utime(path, ns=(hour_ago, hour_ago))
        git(git_repo, "add", TASK)
        titles(git_repo)
        titles(git_repo)  # a run that would vouch for the entry, were the rule broken
        second = path.stat().st_ctime_ns // 10**9
        _same_size_edit(path, "title: 㐀", "title: 㐁")
        if path.stat().st_ctime_ns // 10**9 == second and time.time_ns() // 10**9 == second:
            assert git(git_repo, "diff-files", "--name-only", "--", TASK) == ""  # git itself misses it
            assert titles(git_repo)[f"{PLAN}/2"].startswith("㐁")
            return
    pytest.fail("no attempt fitted in one second (a very busy machine)")


def test_a_file_changed_while_duban_reads_it_is_seen_next_time(git_repo: Path, monkeypatch) -> None:
    from duban.store import files, repository

    _second_after_the_files(git_repo)
    path = git_repo / TASK
    edited = []

    def read_then_edit(name: str) -> bytes:
        data = files.read_bytes(name)
        if name == str(path) and not edited:
            edited.append(name)
            _same_size_edit(path, TITLE, "title: 招商安商稳")
        return data

    monkeypatch.setattr(repository, "read_bytes", read_then_edit)
    assert titles(git_repo)[f"{PLAN}/2"] == "招留增工作"  # what was there when it was read
    assert edited
    monkeypatch.undo()
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"


def _retitle_and_commit(repo: Path, title: str, *args: str) -> None:
    path = repo / TASK
    path.write_text(path.read_text(encoding="utf-8").replace(TITLE, f"title: {title}"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", f"retitle {title}", *args)


def test_checkout_is_seen(git_repo: Path) -> None:
    git(git_repo, "switch", "-q", "-c", "other")
    _retitle_and_commit(git_repo, "招商留商")
    git(git_repo, "switch", "-q", "main")
    _vouched_for(git_repo)
    git(git_repo, "switch", "-q", "other")  # the file and its index entry change together
    assert titles(git_repo)[f"{PLAN}/2"] == "招商留商"
    git(git_repo, "checkout", "-q", "main", "--", TASK)
    assert titles(git_repo)[f"{PLAN}/2"] == "招留增工作"


def test_rebase_is_seen(git_repo: Path) -> None:
    git(git_repo, "switch", "-q", "-c", "other")
    _retitle_and_commit(git_repo, "招商留商")
    git(git_repo, "switch", "-q", "main")
    other = git_repo / f"{TASKS}/1.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(git_repo, "commit", "-q", "-am", "on main")
    git(git_repo, "switch", "-q", "other")
    _vouched_for(git_repo)
    git(git_repo, "rebase", "-q", "main")
    assert titles(git_repo)[f"{PLAN}/2"] == "招商留商"
    assert other.read_text(encoding="utf-8").endswith("\n\n")
    assert validate(root=git_repo).problems == []


def test_amend_and_reset_are_seen(git_repo: Path) -> None:
    _retitle_and_commit(git_repo, "招商")
    _vouched_for(git_repo)
    path = git_repo / TASK
    path.write_text(path.read_text(encoding="utf-8").replace("title: 招商", "title: 招引"), encoding="utf-8")
    git(git_repo, "commit", "-q", "--amend", "-am", "retitle, amended")
    assert titles(git_repo)[f"{PLAN}/2"] == "招引"
    git(git_repo, "reset", "-q", "--hard", "HEAD~1")
    assert titles(git_repo)[f"{PLAN}/2"] == "招留增工作"
    _vouched_for(git_repo)
    git(git_repo, "reset", "-q", "--hard", "HEAD@{1}")  # back to the amended commit
    assert titles(git_repo)[f"{PLAN}/2"] == "招引"


def test_stash_and_its_pop_are_seen(git_repo: Path) -> None:
    path = git_repo / TASK
    path.write_text(path.read_text(encoding="utf-8").replace(TITLE, "title: 暂存"), encoding="utf-8")
    _vouched_for(git_repo, files=1)  # git finds 2.yaml changed
    assert titles(git_repo)[f"{PLAN}/2"] == "暂存"
    git(git_repo, "stash", "-q")
    assert titles(git_repo)[f"{PLAN}/2"] == "招留增工作"
    _vouched_for(git_repo)
    git(git_repo, "stash", "pop", "-q")
    assert titles(git_repo)[f"{PLAN}/2"] == "暂存"


def test_staged_then_changed_again_and_added_are_seen(git_repo: Path) -> None:
    _vouched_for(git_repo)
    path = git_repo / TASK
    path.write_text(path.read_text(encoding="utf-8").replace(TITLE, "title: 招商"), encoding="utf-8")
    git(git_repo, "add", TASK)  # staged: the entry records the new file
    assert titles(git_repo)[f"{PLAN}/2"] == "招商"
    _vouched_for(git_repo)
    _same_size_edit(path, "title: 招商", "title: 引资")  # changed again, not staged
    assert titles(git_repo)[f"{PLAN}/2"] == "引资"
    git(git_repo, "add", TASK)
    assert titles(git_repo)[f"{PLAN}/2"] == "引资"
    _same_size_edit(path, "title: 引资", "title: 稳商")
    git(git_repo, "add", TASK)  # the entry and the file change together
    assert titles(git_repo)[f"{PLAN}/2"] == "稳商"


def test_untracked_ignored_and_deleted_files_are_seen(git_repo: Path) -> None:
    (git_repo / ".gitignore").write_text(f"{TASKS}/4.yaml\n", encoding="utf-8")
    source = (git_repo / TASK).read_text(encoding="utf-8")
    untracked, ignored = git_repo / f"{TASKS}/3.yaml", git_repo / f"{TASKS}/4.yaml"
    untracked.write_text(source.replace("id: 2", "id: 3"), encoding="utf-8")
    ignored.write_text(source.replace("id: 2", "id: 4"), encoding="utf-8")
    assert f"{TASKS}/4.yaml" not in git(git_repo, "status", "--porcelain", "--untracked-files=all")
    _second_after_the_files(git_repo)
    titles(git_repo)
    assert git_vouched(git_repo) == 2  # the tracked two; git knows nothing of the others
    _same_size_edit(untracked, TITLE, "title: 招商安商稳")
    _same_size_edit(ignored, TITLE, "title: 招商引资稳")
    found = titles(git_repo)
    assert (found[f"{PLAN}/3"], found[f"{PLAN}/4"]) == ("招商安商稳", "招商引资稳")
    (git_repo / TASK).unlink()
    ignored.unlink()
    assert set(titles(git_repo)) == {f"{PLAN}/1", f"{PLAN}/3"}


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_entries_git_is_told_not_to_look_at_are_not_trusted(git_repo: Path, flag: str) -> None:
    git(git_repo, "update-index", flag, TASK)
    _second_after_the_files(git_repo)
    titles(git_repo)
    assert git_vouched(git_repo) == 1  # 1.yaml only
    _same_size_edit(git_repo / TASK, TITLE, "title: 招商安商稳")
    assert "2.yaml" not in git(git_repo, "diff-files", "--name-only")  # git does not look
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"


def test_line_ending_conversion_and_clean_filters_are_not_trusted_as_content(git_repo: Path) -> None:
    """git compares a racily recorded file's content through its filters: a clean filter that
    gives every version the same blob makes git call a changed file clean. duban relies on
    stat fields git compares without filters, never on such a comparison."""
    git(git_repo, "config", "core.autocrlf", "true")
    git(git_repo, "config", "filter.same.clean", "head -c 0")
    git(git_repo, "config", "filter.same.smudge", "cat")
    (git_repo / ".gitattributes").write_text("plans/*/tasks/2.yaml filter=same\n", encoding="utf-8")
    path = git_repo / TASK
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "filtered")
    _vouched_for(git_repo)
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(TITLE.encode(), "title: 招商安商稳".encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"
    assert validate(root=git_repo).problems == []


def test_an_index_git_does_not_describe_alike_is_not_used(git_repo: Path) -> None:
    """Index version 4 (feature.manyFiles) writes paths this reader does not parse: every
    file is looked at by duban itself, and edits are seen."""
    _vouched_for(git_repo)
    git(git_repo, "update-index", "--index-version", "4")
    assert git_vouched(git_repo) == 0
    _same_size_edit(git_repo / TASK, TITLE, "title: 招商安商稳")
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"


def test_without_git_the_files_are_looked_at_one_by_one(git_repo: Path, monkeypatch) -> None:
    _vouched_for(git_repo)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert git_vouched(git_repo) == 0
    _same_size_edit(git_repo / TASK, TITLE, "title: 招商安商稳")
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"


def _unscanned(repo: Path) -> bool:
    """Whether a fresh load took the plan's folder as kept, without scanning it."""
    repository = Repository(repo)
    repository.load_tasks(PLAN)
    return repository.parse_cache().file_states(repo / TASKS).unscanned


def test_a_file_added_beside_files_git_vouches_for_is_seen(git_repo: Path) -> None:
    """git's look says nothing of new files: the folder's own stat fields do (a file added,
    removed or renamed changes the folder's mtime and ctime)."""
    (git_repo / ".gitignore").write_text(f"{TASKS}/4.yaml\n", encoding="utf-8")
    _vouched_for(git_repo)
    assert _unscanned(git_repo)
    source = (git_repo / TASK).read_text(encoding="utf-8")
    (git_repo / f"{TASKS}/3.yaml").write_text(source.replace("id: 2", "id: 3"), encoding="utf-8")
    assert f"{PLAN}/3" in titles(git_repo)
    _vouched_for(git_repo, files=2)  # the untracked file is looked at every time
    (git_repo / f"{TASKS}/4.yaml").write_text(source.replace("id: 2", "id: 4"), encoding="utf-8")  # ignored
    assert f"{PLAN}/4" in titles(git_repo)
    assert [p.rule for p in validate(root=git_repo).problems] == []
    (git_repo / f"{TASKS}/5.yaml").write_text("id: [", encoding="utf-8")
    assert {p.path for p in validate(root=git_repo).problems} == {f"{TASKS}/5.yaml"}


def test_a_rename_or_a_removal_in_a_folder_git_vouches_for_is_seen(git_repo: Path) -> None:
    _vouched_for(git_repo)
    assert _unscanned(git_repo) and validate(root=git_repo).problems == []
    os.rename(git_repo / f"{TASKS}/1.yaml", git_repo / f"{TASKS}/7.yaml")
    assert sorted(t.path.name for t in Repository(git_repo).load_tasks(PLAN).tasks) == ["2.yaml", "7.yaml"]
    os.rename(git_repo / f"{TASKS}/7.yaml", git_repo / f"{TASKS}/1.yaml")
    _vouched_for(git_repo)
    (git_repo / TASK).unlink()
    assert set(titles(git_repo)) == {f"{PLAN}/1"}


def test_a_folder_changed_within_the_clock_tick_is_scanned_again(git_repo: Path, monkeypatch) -> None:
    """A coarse clock: the folder's ctime is not older than the clock read before it was
    scanned, so a file added in the same tick could leave its stat fields equal. No listing
    is kept for it."""
    from duban.store.cache import file_states

    folder = git_repo / TASKS
    _vouched_for(git_repo)
    monkeypatch.setattr(file_states, "file_system_clock", lambda _cache_folder: folder.stat().st_ctime_ns)
    (folder / "3.yaml").write_text(
        (git_repo / TASK).read_text(encoding="utf-8").replace("id: 2", "id: 3"), encoding="utf-8"
    )
    assert f"{PLAN}/3" in titles(git_repo)
    assert Repository(git_repo).parse_cache().file_states(folder).listing is None
    (folder / "3.yaml").unlink()
    assert f"{PLAN}/3" not in titles(git_repo)


def test_a_look_another_thread_took_is_not_used(git_repo: Path) -> None:
    """The TUI loads in worker threads on one Repository: a worker that writes a file and
    loads again while another worker is inside its one_look block takes a look of its own."""
    import threading

    _vouched_for(git_repo)
    repository = Repository(git_repo)
    found: list[str] = []

    def edit_and_load() -> None:
        _same_size_edit(git_repo / TASK, TITLE, "title: 招商安商稳")
        with repository.one_look():
            found.extend(t.title for t in repository.load_tasks(PLAN).tasks if t.id == "2")

    with repository.one_look():
        assert repository.load_tasks(PLAN).tasks  # this thread's look, taken before the edit
        worker = threading.Thread(target=edit_and_load)
        worker.start()
        worker.join()
    assert found == ["招商安商稳"]


def test_a_list_after_a_commit_keeps_the_entries_it_compared_again(git_repo: Path, monkeypatch) -> None:
    """A commit rewrites git's index: the next `list` compares the checked entries with it
    again, and keeps the result, so the run after it does not parse the index again (before,
    every `list` after a `progress` parsed it: 0.26 s at 100,000 files)."""
    from duban.store import gitindex
    from duban.supervise.selection import select_where

    _vouched_for(git_repo)
    (git_repo / "notes.txt").write_text("an unrelated file\n", encoding="utf-8")
    git(git_repo, "add", "notes.txt")
    git(git_repo, "commit", "-q", "-m", "an unrelated commit")  # the index's checksum changes
    expected = [task.ref for task in select_where(Repository(git_repo), (), None, "lead:金融办")[1]]
    parsed = []
    real = gitindex.index_entries
    monkeypatch.setattr(gitindex, "index_entries", lambda *args: parsed.append(args) or real(*args))
    assert [task.ref for task in select_where(Repository(git_repo), (), None, "lead:金融办")[1]] == expected
    assert parsed == []  # the entries compared after the commit were kept
    assert Repository(git_repo).task_index(PLAN) is not None  # and still vouch for every file
    _same_size_edit(git_repo / TASK, TITLE, "title: 招商安商稳")  # and an edit after it is seen
    assert titles(git_repo)[f"{PLAN}/2"] == "招商安商稳"
