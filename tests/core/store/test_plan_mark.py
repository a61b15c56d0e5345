"""A plan's mark (duban.store.plan_mark) changes with what a long-lived reader must see again:
a commit, a file written in place, a new task, plan.yaml; and not with a `git status`. Real
repositories, a linked work tree among them."""

from __future__ import annotations

import os
from pathlib import Path

from duban.store.plan_mark import plan_mark
from tests.support import git

PLAN = "p"


def repository(root: Path) -> Path:
    tasks = root / "plans" / PLAN / "tasks"
    tasks.mkdir(parents=True)
    (root / "plans" / PLAN / "plan.yaml").write_text("id: p\n", encoding="utf-8")
    (tasks / "1.yaml").write_text("id: '1'\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "计划")
    return root


def later(path: Path) -> None:
    """`path`'s modification time a second on, as a write a second later leaves it."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_the_mark_follows_what_a_reader_must_see_again(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    mark = plan_mark(root, PLAN)
    git(root, "status")  # refreshes .git/index: nothing a reader sees
    assert plan_mark(root, PLAN) == mark
    task = root / "plans" / PLAN / "tasks" / "1.yaml"
    task.write_text("id: '2'\n", encoding="utf-8")  # in place, the same size
    later(task)
    assert plan_mark(root, PLAN) != mark
    mark = plan_mark(root, PLAN)
    git(root, "commit", "-q", "-am", "报送")
    assert plan_mark(root, PLAN) != mark
    mark = plan_mark(root, PLAN)
    git(root, "pack-refs", "--all")  # the branch moves into packed-refs: the same commit
    packed = plan_mark(root, PLAN)
    git(root, "commit", "-q", "--allow-empty", "-m", "又一次")
    assert plan_mark(root, PLAN) not in (mark, packed)


def test_a_linked_work_tree_sees_its_branch_move(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    linked = tmp_path / "linked"
    git(root, "worktree", "add", "-q", "-b", "other", str(linked))
    mark = plan_mark(linked, PLAN)
    assert mark[2] == git(linked, "rev-parse", "HEAD").strip()  # HEAD's commit, read from the files
    git(linked, "commit", "-q", "--allow-empty", "-m", "报送")
    assert plan_mark(linked, PLAN) != mark
    assert plan_mark(root, PLAN)[2] == git(root, "rev-parse", "HEAD").strip()
