"""The benchmarks' generated history (benchmarks/generate.py writing its pack with
benchmarks/gitpack.py): objects git itself checks and would write the same (fast-import of
the same commits gives the same ids), one report a commit as `duban progress` makes it, and
the same bytes for the same seed."""

from __future__ import annotations

import importlib
import subprocess
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def generate(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    module = importlib.import_module("generate")
    gitpack = importlib.import_module("gitpack")
    # Small enough that a tree of 30 tasks is stored whole again and a copy is cut in pieces.
    monkeypatch.setattr(gitpack, "DELTA_SLOTS", 4)
    monkeypatch.setattr(gitpack, "COPY_CHUNK", 100)
    return module


def git(repo: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def make(generate, out: Path, seed: int = 2019) -> str:  # type: ignore[no-untyped-def]
    generate.generate(out, 30, seed)
    generate.write_history(out, 200, seed)
    return git(out, "rev-parse", "HEAD").strip()


def test_the_history_is_what_git_checks_and_fast_import_writes_again(generate, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    head = make(generate, tmp_path / "repo")
    git(tmp_path / "repo", "fsck", "--full", "--strict", "--no-dangling")
    assert git(tmp_path / "repo", "status", "--porcelain") == ""  # the last commit's files are those on disk
    stream = subprocess.run(
        ["git", "fast-export", "--reencode=no", "main"], cwd=tmp_path / "repo", capture_output=True, check=True
    ).stdout
    again = tmp_path / "again"
    subprocess.run(["git", "init", "-q", "-b", "main", str(again)], check=True)
    git(again, "fast-import", "--quiet", stdin=stream)
    assert git(again, "rev-parse", "main").strip() == head


def test_each_commit_is_one_report_with_duban_trailers(generate, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    repo = tmp_path / "repo"
    make(generate, repo)
    log = git(repo, "log", "--format=%x00%B", "--name-only", "main").split("\0")[1:]
    assert len(log) == 201
    for entry in log[:-1]:
        files = [line for line in entry.splitlines() if line.startswith(("plans/", "schema/"))]
        assert len(files) == 1 and files[0].startswith("plans/2019-bench/tasks/"), entry
        task = files[0].removeprefix("plans/").removesuffix(".yaml").replace("/tasks/", "/")
        for trailer in (f"Task: {task}", "Reported-by: ", "Percent: ", "Status: ", "Report-date: 2019-"):
            assert trailer in entry, entry
    first = log[-1]
    assert first.startswith("plans") and "plans/2019-bench/plan.yaml" in first and "schema/" in first


def test_the_same_seed_gives_the_same_bytes(generate, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    one, two = make(generate, tmp_path / "one"), make(generate, tmp_path / "two")
    assert one == two
    packs = [sorted((tmp_path / name / ".git/objects/pack").iterdir()) for name in ("one", "two")]
    assert [p.name for p in packs[0]] == [p.name for p in packs[1]]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(*packs))
    assert make(generate, tmp_path / "other", seed=7) != one
