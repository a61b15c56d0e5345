"""Shared fixtures: sample repositories copied to temp dirs, real git repositories, a clean env.
The helpers they use, and tests use, are in tests/support.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from duban.i18n import set_language
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.store.repository import Repository
from tests.support import GIT_ENV, at, copy_sample, copy_template, git, template_env


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's DUBAN_REPO, language, terminal size, git config or this
    checkout's history; messages are English unless a test asks for Chinese."""
    monkeypatch.delenv("DUBAN_REPO", raising=False)
    monkeypatch.delenv("DUBAN_LANG", raising=False)
    # pytest-xdist's workers get COLUMNS=80 and LINES=24: piped tables would be cut to 80 columns
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "COLUMNS", "LINES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    yield
    set_language("en")  # a test that chose Chinese leaves English behind


@pytest.fixture
def sample_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/data/repo in a temp dir, which is also the current directory."""
    root = copy_sample(tmp_path / "repo")
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="session")
def git_repo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`git_repo` built once per session (once per xdist worker), for each test to copy."""
    base = tmp_path_factory.mktemp("git_repo_template")
    with template_env(base / "home"):
        root = copy_sample(base / "repo")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "sample plans")
    return root


@pytest.fixture
def git_repo(git_repo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample repository as a real git repository with one commit, in a temp dir that is
    also the current directory."""
    return copy_template(git_repo_template, tmp_path / "repo", monkeypatch)


@pytest.fixture(scope="session")
def history_repo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`history_repo` built once per session, for each test to copy."""
    base = tmp_path_factory.mktemp("history_repo_template")
    with template_env(base / "home") as patch:
        root = copy_sample(base / "repo")
        at(patch, "2019-01-31")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "plans")
        repo = Repository(root)
        script = [
            ("2019-03-25", "2019-changning/1", 25, "金融办", "一季度完成"),
            ("2019-03-26", "2019-changning/2", 20, "商务委", "招商启动"),
            ("2019-04-25", "2019-changning/1", 50, "金融办", "二季度过半"),
            ("2019-05-24", "2019-changning/2", 45, "金融办", "落地78家"),
        ]
        for day, ref, percent, unit, note in script:
            at(patch, day)
            record_progress(repo, ref, percent, note=note, by=unit, date=day)
        at(patch, "2019-05-27")
        set_fields(repo, "2019-changning/1", ["status=delayed", "milestones.Q2=调整后的目标"])
    # each test starts with no parsed-file cache, as it did when it built the history itself
    shutil.rmtree(root / ".git" / "duban-cache", ignore_errors=True)
    return root


@pytest.fixture
def history_repo(history_repo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Plans committed on 2019-01-31, then reports in March, April and May 2019; in a temp dir
    that is also the current directory."""
    return copy_template(history_repo_template, tmp_path / "repo", monkeypatch)
