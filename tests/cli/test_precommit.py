"""The real pre-commit framework runs duban's hook from .pre-commit-hooks.yaml in a temp repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import DATA, GIT_ENV, PROJECT, copy_sample, git

# pip's download cache from the real home, so the hook's environment installs from cache
# when it can; the autouse fixture points HOME at a temp dir.
PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path("~/.cache/pip").expanduser())
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis", "build", "dist", "out"
)

pytestmark = pytest.mark.slow


def _hook_repository(dest: Path) -> str:
    """This working tree (committed or not) as a fresh git repository; returns its commit."""
    shutil.copytree(PROJECT, dest, ignore=IGNORED)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "duban under test")
    return git(dest, "rev-parse", "HEAD").strip()


def _commit(repo: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    # git passes the hook's output through on stderr; merge it so the order is kept.
    return subprocess.run(
        ["git", "commit", "-m", message], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )


def test_precommit_hook_refuses_invalid_task_and_accepts_valid_one(tmp_path: Path) -> None:
    hook_repo = tmp_path / "duban-hook"
    rev = _hook_repository(hook_repo)

    repo = copy_sample(tmp_path / "office")
    git(repo, "init", "-q", "-b", "main")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: duban-validate\n", encoding="utf-8"
    )
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIP_CACHE_DIR": PIP_CACHE}
    pre_commit = [sys.executable, "-m", "pre_commit"]
    subprocess.run([*pre_commit, "install"], cwd=repo, check=True, env=env, capture_output=True)

    git(repo, "add", "-A")
    first = _commit(repo, env, "valid sample plans")
    assert first.returncode == 0, first.stdout
    assert "duban validate" in first.stdout and "Passed" in first.stdout

    shutil.copy(DATA / "invalid/unknown-unit.yaml", repo / "plans/2019-changning/tasks")
    git(repo, "add", "-A")
    refused = _commit(repo, env, "a task with unknown units")
    assert refused.returncode != 0
    assert "Failed" in refused.stdout
    assert (
        "plans/2019-changning/tasks/unknown-unit.yaml:10:5: error: unknown unit '发改'; "
        "did you mean '发改委'? [unknown-unit]"
    ) in refused.stdout
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"

    fixed = repo / "plans/2019-changning/tasks/unknown-unit.yaml"
    fixed.write_text(
        fixed.read_text(encoding="utf-8").replace("发改\n", "发改委\n").replace("市场监管\n", "市场监管局\n"),
        encoding="utf-8",
    )
    git(repo, "add", "-A")
    accepted = _commit(repo, env, "units fixed")
    assert accepted.returncode == 0, accepted.stdout
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"
