"""Audit T8: the TUI's `z` takes back only this clone's own change, as `duban undo` does: a report another
unit's clone made and sync brought in is refused by name, with Pilot on real clones."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.progress import flat
from duban.record.recording import record_progress
from duban.record.sync import sync
from duban.store import yamlio
from duban.store.repository import Repository
from duban.tui import make_app
from tests.support import copy_sample, git

SIZE = (120, 36)


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def clock(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(name, f"2019-03-{when}+08:00")


def messages(app) -> list[tuple[str, str]]:
    return [(n.severity, n.message) for n in app._notifications]


def units_reporting(repo: Path, task_id: str) -> list[str]:
    text = (repo / f"plans/2019-changning/tasks/{task_id}.yaml").read_text(encoding="utf-8")
    return sorted(str(r.get("by", "")) for r in flat(yamlio.load_fast(text, "t").get("progress")))


@pytest.fixture
def office_after_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The office's clone right after a sync that merged in 商务委's report from its own clone
    (recorded there later by the clock than the office's own report)."""
    clock(monkeypatch, "20T09:00:00")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    office = copy_sample(tmp_path / "office")
    git(office, "init", "-q", "-b", "main")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "sample plans")
    git(office, "remote", "add", "origin", str(remote))
    sync(Repository(office))
    unit = tmp_path / "unit"
    git(tmp_path, "clone", "-q", str(remote), str(unit))
    clock(monkeypatch, "25T10:00:00")
    record_progress(Repository(office), "2019-changning/2", 40, by="金融办", date="2019-03-25")
    clock(monkeypatch, "25T11:00:00")
    record_progress(Repository(unit), "2019-changning/1", 20, by="商务委", date="2019-03-24")
    sync(Repository(unit))
    clock(monkeypatch, "25T12:00:00")
    assert sync(Repository(office)).merged
    return office


async def test_z_refuses_another_unit_s_report_that_sync_brought(office_after_sync: Path) -> None:
    office = office_after_sync
    before = git(office, "rev-parse", "HEAD")
    app = make_app(office, "2019-changning", "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        shown = messages(app)
    assert git(office, "rev-parse", "HEAD") == before  # nothing taken back
    assert units_reporting(office, "1") == ["商务委"]
    refusals = [message for severity, message in shown if severity == "error"]
    assert len(refusals) == 2 and not any("Press z again" in message for _severity, message in shown)
    assert "商务委's report of 2019-03-24 on 2019-changning/1, was not made in this clone" in refusals[0]
    assert "duban withdraw 2019-changning/1 2019-03-24 --by 商务委" in refusals[0]


async def test_z_names_whose_change_and_takes_back_this_clone_s_own(
    office_after_sync: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = office_after_sync
    clock(monkeypatch, "26T09:00:00")
    own = record_progress(Repository(office), "2019-changning/1", 30, by="金融办", date="2019-03-26")
    app = make_app(office, "2019-changning", "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        asked = messages(app)[-1]
        assert git(office, "rev-parse", "HEAD").strip() == own.sha  # only named so far
        await pilot.press("z")
        await settle(app, pilot)
    subject = own.message.splitlines()[0]
    assert asked == (
        "warning",
        f"Press z again to take back this clone's change {own.sha[:10]} {subject} (金融办, 2019-03-26)",
    )
    assert git(office, "rev-parse", "HEAD~1").strip() == own.sha
    assert f"Reverts: {own.sha}" in git(office, "log", "-1", "--format=%B")
    assert units_reporting(office, "1") == ["商务委"]  # the other unit's report stays
