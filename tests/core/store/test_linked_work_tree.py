"""A plan repository checked out as a linked work tree (`git worktree add`), whose `.git` is a
file naming its git folder: duban finds that folder as it finds `.git` itself (issue 27:
`root / ".git"` was assumed, so import wrote without the lock every other writer takes, the
cache was never kept and the TUI never saw a new commit)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.store.plan_mark import head_mark
from duban.store.repository import Repository
from tests.office_fixtures import bundled_plan_repo
from tests.support import PROJECT, git

CN = "2019-changning"


def _git_dir(root: Path) -> Path:
    return Path(git(root, "rev-parse", "--absolute-git-dir").strip())


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    main = bundled_plan_repo(tmp_path / "office", CN, "2019-01-31", CN)
    git(main, "worktree", "add", "-q", "-b", "clerk", str(tmp_path / "clerk"))
    return tmp_path / "clerk"


def test_the_git_folder_of_a_linked_work_tree_is_found(linked: Path) -> None:
    from duban.store.layout import git_folder

    assert (linked / ".git").is_file() and git_folder(linked) == _git_dir(linked)


def test_the_cache_is_kept_in_a_linked_work_tree(linked: Path) -> None:
    result = CliRunner().invoke(cli, ["--repo", str(linked), "list", "--plan", CN])
    assert result.exit_code == 0, result.output
    folder = Repository(linked).parse_cache().folder
    assert folder is not None and folder.parent == _git_dir(linked)
    assert any(folder.glob("*.marshal"))


def test_the_tuis_watch_sees_a_commit_made_in_a_linked_work_tree(linked: Path) -> None:
    before = head_mark(_git_dir(linked))
    assert before == git(linked, "rev-parse", "HEAD").strip()
    git(linked, "commit", "-q", "--allow-empty", "-m", "a report from elsewhere")
    assert head_mark(_git_dir(linked)) == git(linked, "rev-parse", "HEAD").strip() != before


def test_import_in_a_linked_work_tree_takes_the_writers_lock(linked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from duban.store import locking

    taken: list[Path] = []
    real = locking.repository_lock

    @contextlib.contextmanager
    def watched(git_dir: Path, *args: object, **kwargs: object) -> Iterator[None]:
        taken.append(Path(git_dir))
        with real(git_dir, *args, **kwargs):  # type: ignore[arg-type]
            yield

    monkeypatch.setattr(locking, "repository_lock", watched)
    seed = PROJECT / "plans" / CN / "source" / "002_6636f39aa932eafa.txt"
    result = CliRunner().invoke(cli, ["--repo", str(linked), "import", str(seed), "--plan", "2019-again"])
    assert result.exit_code in (0, 1), result.output
    assert (linked / "plans" / "2019-again" / "tasks").is_dir()
    assert taken == [_git_dir(linked)]
    subprocess.run(["git", "status", "--porcelain"], cwd=linked, check=True)
