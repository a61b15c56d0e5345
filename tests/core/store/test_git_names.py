"""File names read from git's logs as they are: git quotes a name with a double quote, a
backslash or a control character even with core.quotepath=off ("a\\"b.yaml"), so duban reads
the names of `log --name-only` with -z (issue 32). Real repositories in temp dirs."""

from __future__ import annotations

from pathlib import Path

from duban.store.gitstore import Git
from tests.support import git

NAMES = [
    'plans/p/tasks/a"b.yaml',
    "plans/p/tasks/通知.yaml",
    "plans/p/tasks/tab\there.yaml",
    "plans/p/tasks/back\\slash.yaml",
]


def repository(root: Path) -> Path:
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for index, name in enumerate(NAMES):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"id: {index}\n", encoding="utf-8")
        git(root, "add", "--", name)
        git(root, "commit", "-q", "-m", f"第{index}个", "-m", "Task: p/1")
    return root


def test_log_gives_each_commit_its_file_names_as_they_are(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    commits = Git(root).log()
    assert [c.paths for c in reversed(commits)] == [[name] for name in NAMES]
    assert [c.subject for c in reversed(commits)] == [f"第{i}个" for i in range(len(NAMES))]
    assert all(c.trailers == {"Task": "p/1"} for c in commits)


def test_a_path_log_kept_and_extended_gives_the_names_as_they_are(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    kept = tmp_path / "log.cache"
    first = Git(root).path_log(["plans"], kept)
    assert [c.paths for c in reversed(first)] == [[name] for name in NAMES]
    (root / NAMES[0]).write_text("id: 9\n", encoding="utf-8")
    git(root, "commit", "-q", "-am", "又一个")
    again = Git(root).path_log(["plans"], kept)  # the kept text, and the one commit since
    assert [c.paths for c in again] == [[NAMES[0]]] + [c.paths for c in first]
