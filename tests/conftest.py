"""Shared fixtures: sample repositories copied to temp dirs, real git repositories, a clean env.
The helpers they use, and tests use, are in tests/support.py."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from duban.i18n import set_language
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.store.repository import Repository
from tests.support import GIT_ENV, at, copy_sample, git


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


@pytest.fixture
def git_repo(sample_repo: Path) -> Path:
    """The sample repository as a real git repository with one commit."""
    git(sample_repo, "init", "-q", "-b", "main")
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "sample plans")
    return sample_repo


@pytest.fixture
def history_repo(sample_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Plans committed on 2019-01-31, then reports in March, April and May 2019."""
    at(monkeypatch, "2019-01-31")
    git(sample_repo, "init", "-q", "-b", "main")
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "plans")
    repo = Repository(sample_repo)
    script = [
        ("2019-03-25", "2019-changning/1", 25, "金融办", "一季度完成"),
        ("2019-03-26", "2019-changning/2", 20, "商务委", "招商启动"),
        ("2019-04-25", "2019-changning/1", 50, "金融办", "二季度过半"),
        ("2019-05-24", "2019-changning/2", 45, "金融办", "落地78家"),
    ]
    for day, ref, percent, unit, note in script:
        at(monkeypatch, day)
        record_progress(repo, ref, percent, note=note, by=unit, date=day)
    at(monkeypatch, "2019-05-27")
    set_fields(repo, "2019-changning/1", ["status=delayed", "milestones.Q2=调整后的目标"])
    monkeypatch.delenv("GIT_AUTHOR_DATE")
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    return sample_repo
