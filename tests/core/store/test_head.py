"""HEAD's commit read from git's files where they say it plainly (layout.head_from_files),
else from git: in every layout the answer is `git rev-parse --verify -q HEAD`'s."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from duban.store.gitstore import Git
from duban.store.layout import git_folder, head_from_files
from tests.support import git


def _rev_parse(root: Path) -> str | None:
    found = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else None


def _commit(root: Path, name: str) -> None:
    (root / name).write_text(name, encoding="utf-8")
    git(root, "add", name)
    git(root, "commit", "-q", "-m", name)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    return root


def test_no_commit_yet_is_none_in_the_files_and_from_git(repo: Path) -> None:
    assert head_from_files(repo / ".git") is None
    assert Git(repo).head() is None and not Git(repo).has_commits()


def test_a_loose_branch_is_read_from_its_file(repo: Path) -> None:
    _commit(repo, "a")
    assert head_from_files(repo / ".git") == _rev_parse(repo)
    _commit(repo, "b")  # a new commit: the file says the new one
    assert Git(repo).head() == head_from_files(repo / ".git") == _rev_parse(repo)


def test_a_packed_branch_is_asked_of_git(repo: Path) -> None:
    _commit(repo, "a")
    git(repo, "pack-refs", "--all")
    assert not (repo / ".git" / "refs" / "heads" / "main").exists()
    assert head_from_files(repo / ".git") is None
    assert Git(repo).head() == _rev_parse(repo) is not None


def test_a_detached_head_is_its_own_id(repo: Path) -> None:
    _commit(repo, "a")
    first = _rev_parse(repo)
    _commit(repo, "b")
    git(repo, "checkout", "-q", "--detach", str(first))
    assert Git(repo).head() == head_from_files(repo / ".git") == first


def test_a_linked_work_tree_reads_the_shared_branch(repo: Path, tmp_path: Path) -> None:
    _commit(repo, "a")
    git(repo, "worktree", "add", "-q", "-b", "clerk", str(tmp_path / "clerk"))
    clerk = tmp_path / "clerk"
    _commit(clerk, "c")
    folder = git_folder(clerk)
    assert folder is not None and head_from_files(folder) == _rev_parse(clerk) != _rev_parse(repo)
    assert Git(clerk).head() == _rev_parse(clerk)


@pytest.mark.parametrize(
    "written", ["ref: refs/heads/../../config", "ref: refs/tags/v1", "ref: refs/heads/main\x00", "not a ref", ""]
)
def test_anything_else_is_asked_of_git(repo: Path, written: str) -> None:
    _commit(repo, "a")
    git(repo, "tag", "v1")
    real = (repo / ".git" / "HEAD").read_text(encoding="utf-8")
    (repo / ".git" / "HEAD").write_text(written, encoding="utf-8")
    try:
        assert head_from_files(repo / ".git") is None
    finally:
        (repo / ".git" / "HEAD").write_text(real, encoding="utf-8")
