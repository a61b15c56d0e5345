"""`duban sync --to FILE` and `--from FILE` killed as real processes (SIGKILL of the process group)
at each named step of the exchange (duban.store.checkpoints: the process stops at the step and the
test kills it once it is there, not after a guessed sleep). After each kill: the next command does
as a user would (the same command again) and recovers; every report is in every clone exactly
once, the heads agree, and fsck, validate and git status are clean."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from duban.progress import flat
from duban.store import yamlio
from tests.support import GIT_ENV, SAMPLE, git

pytestmark = pytest.mark.slow

ENV = {**os.environ, **GIT_ENV, "DUBAN_LANG": "en"}
for _name in ("DUBAN_STOP_AT", "DUBAN_STOP_DIR"):
    ENV.pop(_name, None)
UNIT_REPORT = ("2019-changning/1", "商务委", "2019-03-20", 20)
OFFICE_REPORT = ("2019-changning/2", "金融办", "2019-03-21", 30)
TO_STEPS = ["to:bundle-created", "to:bundle-placed", "to:manifest-written"]
FROM_STEPS = ["from:fetched", "from:state-saved", "merge:merged", "merge:committed", "merge:fast-forwarded"]


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "duban", "--repo", str(repo), *args], cwd=repo, capture_output=True, text=True, env=ENV
    )


def ok(repo: Path, *args: str) -> str:
    result = run(repo, *args)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def killed_at(repo: Path, step: str, folder: Path, *args: str) -> None:
    """Run duban with `args`, wait until it reaches `step`, and SIGKILL it (and its git) there."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**ENV, "DUBAN_STOP_AT": step, "DUBAN_STOP_DIR": str(folder)}
    process = subprocess.Popen(
        [sys.executable, "-m", "duban", "--repo", str(repo), *args],
        cwd=repo,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reached = folder / f"{step}.reached"
    deadline = time.monotonic() + 120
    while not reached.exists():
        if process.poll() is not None:
            pytest.fail(f"{' '.join(args)} ended ({process.returncode}) before {step}: {process.communicate()}")
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail(f"{' '.join(args)} never reached {step}")
        time.sleep(0.01)  # polling the event's file, not waiting a guessed time
    assert reached.read_text(encoding="utf-8") == str(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def reports(repo: Path) -> list[tuple[str, str, str, object]]:
    found = []
    for path in sorted((repo / "plans").glob("*/tasks/*.yaml")):
        data = yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))
        found += [
            (f"{path.parent.parent.name}/{path.stem}", r.get("by", ""), str(r["date"]), r.get("percent"))
            for r in flat(data.get("progress"))
        ]
    return sorted(found)


def clean(repo: Path) -> None:
    assert subprocess.run(["git", "fsck", "--no-progress"], cwd=repo, capture_output=True).returncode == 0
    assert run(repo, "validate").returncode == 0
    assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
    assert not (repo / ".git" / "duban-sync").exists() and not (repo / ".git" / "MERGE_HEAD").exists()


def report(repo: Path, item: tuple[str, str, str, int]) -> None:
    ref, unit, date, percent = item
    ok(repo, "progress", ref, "--percent", str(percent), "--by", unit, "--date", date, "--note", f"{unit}报送")


def two_sides(root: Path, office_reports: bool) -> tuple[Path, Path]:
    """The office and a unit on another network, which got the plans from the office's first bundle;
    the unit has reported since, and the office too where `office_reports` (a true merge to come)."""
    office, unit = root / "office", root / "unit"
    ok(root, "init", str(office))
    git(office, "branch", "-M", "main")
    shutil.copytree(SAMPLE / "plans", office / "plans", dirs_exist_ok=True)
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "sample plans")
    git(office, "config", "duban.exchange.name", "督查科")
    (unit / "plans").mkdir(parents=True)
    git(unit, "init", "-q", "-b", "main")
    ok(office, "sync", "--to", str(root / "start.bundle"), "--peer", "商务委")
    ok(unit, "sync", "--from", str(root / "start.bundle"))
    report(unit, UNIT_REPORT)
    if office_reports:
        report(office, OFFICE_REPORT)
    return office, unit


def round_trip_agrees(root: Path, office: Path, unit: Path, expected: list[tuple[str, str, str, object]]) -> None:
    """The office answers; both sides hold every report once, with the same head, and are clean."""
    ok(office, "sync", "--to", str(root / "answer.bundle"), "--peer", "商务委")
    ok(unit, "sync", "--from", str(root / "answer.bundle"))
    for repo in (office, unit):
        assert reports(repo) == expected, repo.name
        clean(repo)
    assert git(office, "rev-parse", "HEAD") == git(unit, "rev-parse", "HEAD")


@pytest.mark.parametrize("step", TO_STEPS)
def test_sync_to_killed_at_each_step(tmp_path: Path, step: str) -> None:
    office, unit = two_sides(tmp_path, office_reports=True)
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = stick / "unit.bundle"
    killed_at(unit, step, tmp_path / "stops", "sync", "--to", str(bundle), "--peer", "督查科")
    clean(unit)  # a --to changes nothing in the clone it reads
    # The next command: the same again. It writes the whole bundle and its manifest, and leaves
    # nothing half-written on the stick.
    ok(unit, "sync", "--to", str(bundle), "--peer", "督查科")
    assert sorted(p.name for p in stick.iterdir()) == ["unit.bundle", "unit.bundle.manifest.txt"]
    assert "商务委" in (stick / "unit.bundle.manifest.txt").read_text(encoding="utf-8")
    ok(office, "sync", "--from", str(bundle))
    round_trip_agrees(tmp_path, office, unit, sorted([UNIT_REPORT, OFFICE_REPORT]))


@pytest.mark.parametrize("step", FROM_STEPS)
def test_sync_from_killed_at_each_step(tmp_path: Path, step: str) -> None:
    merging = step != "merge:fast-forwarded"
    office, unit = two_sides(tmp_path, office_reports=merging)
    bundle = tmp_path / "unit.bundle"
    ok(unit, "sync", "--to", str(bundle), "--peer", "督查科")
    killed_at(office, step, tmp_path / "stops", "sync", "--from", str(bundle))
    # The next command: the same bundle applied again, as duban says; then once more, changing nothing.
    ok(office, "sync", "--from", str(bundle))
    head = git(office, "rev-parse", "HEAD")
    ok(office, "sync", "--from", str(bundle))
    assert git(office, "rev-parse", "HEAD") == head
    expected = sorted([UNIT_REPORT, OFFICE_REPORT] if merging else [UNIT_REPORT])
    assert reports(office) == expected
    clean(office)
    round_trip_agrees(tmp_path, office, unit, expected)
