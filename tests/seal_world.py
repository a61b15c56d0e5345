"""A shared record for seal tests: a bare remote, the supervision office's clone and a unit's
clone of the sample plan, with an office signing key where ssh-keygen is installed. Real git,
real clones; the office signs with ssh keys named in the committed .duban/seal-signers."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from duban.record.recording import record_progress
from duban.record.sync import sync
from duban.store.repository import Repository
from duban.supervise.entries import entered_after_deadline
from duban.supervise.seals.making import seal as make_seal
from duban.supervise.seals.tags import Seal
from duban.supervise.seals.verifying import verify as verify_seals
from duban.supervise.selection import select
from tests.support import at, copy_sample, git

PLAN = "2019-changning"
SSH_KEYGEN = shutil.which("ssh-keygen")
NEEDS_SSH = pytest.mark.skipif(SSH_KEYGEN is None, reason="needs ssh-keygen: apt-get install openssh-client")
OFFICE = {
    "GIT_COMMITTER_NAME": "督查科",
    "GIT_COMMITTER_EMAIL": "office@example.invalid",
    "GIT_AUTHOR_NAME": "督查科",
    "GIT_AUTHOR_EMAIL": "office@example.invalid",
}
UNIT = {
    "GIT_COMMITTER_NAME": "金融办",
    "GIT_COMMITTER_EMAIL": "unit@example.invalid",
    "GIT_AUTHOR_NAME": "金融办",
    "GIT_AUTHOR_EMAIL": "unit@example.invalid",
}


def keygen(path: Path, comment: str) -> Path:
    subprocess.run(
        [SSH_KEYGEN or "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)], check=True
    )
    return path


@dataclass
class World:
    top: Path
    remote: Path
    office: Path
    unit: Path
    monkeypatch: pytest.MonkeyPatch
    office_key: Path | None = None
    unit_key: Path | None = None

    def repo(self, where: Path) -> Repository:
        return Repository(where)

    @contextmanager
    def acting(self, who: dict[str, str], day: str | None = None) -> Iterator[None]:
        saved = {k: os.environ.get(k) for k in (*who, "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")}
        os.environ.update(who)
        if day:
            for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
                os.environ[name] = f"{day}T10:00:00+08:00"
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def report(
        self,
        day: str,
        percent: float,
        date: str,
        task: str = "2",
        note: str = "报送",
        where: Path | None = None,
        by: str = "金融办",
    ) -> None:
        with self.acting(UNIT, day):
            record_progress(self.repo(where or self.unit), f"{PLAN}/{task}", percent, by=by, date=date, note=note)

    def sync(self, where: Path, day: str, who: dict[str, str] = UNIT) -> list[str]:
        with self.acting(who, day):
            return sync(self.repo(where)).seal_warnings

    def seal(self, deadline: str, day: str, late: bool = False, push: bool = True) -> Seal:
        with self.acting(OFFICE, day):
            made = make_seal(self.repo(self.office), PLAN, dt.date.fromisoformat(deadline), late=late)
        if push:
            git(self.office, "push", "-q", "origin", f"refs/tags/{made.tag}")
        return made

    def clone(self, name: str) -> Path:
        where = self.top / name
        git(self.top, "clone", "-q", f"file://{self.remote}", str(where))
        return where

    def verify(self, where: Path, day: str = "2019-04-30") -> list[str]:
        return [f.format() for f in verify_seals(self.repo(where), today=dt.date.fromisoformat(day)).findings]

    def late(self, where: Path, task: str = "2", as_of: str = "2019-04-30") -> bool:
        view = select(self.repo(where), [PLAN], as_of)
        return next(view.light_of(t) for t in view.tasks if t.id == task).late

    def percent(self, where: Path, task: str = "2", as_of: str = "2019-04-30") -> float:
        view = select(self.repo(where), [PLAN], as_of)
        return next(view.light_of(t) for t in view.tasks if t.id == task).percent

    def entered_late(self, where: Path) -> list[tuple[str, str]]:
        return [(e.ref, e.report_date) for e in entered_after_deadline(self.repo(where), PLAN)]


def make_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signed: bool) -> World:
    """The office imports the plan on 31 January 2019 (with its signing key named, when
    `signed`), pushes it to a bare remote, and the unit clones it."""
    at(monkeypatch, "2019-01-31")
    for key, value in OFFICE.items():
        monkeypatch.setenv(key, value)
    top = tmp_path / "world"
    top.mkdir()
    office = copy_sample(top / "office")
    git(office, "init", "-q", "-b", "main")
    office_key = unit_key = None
    if signed:
        office_key = keygen(top / "office_key", "office")
        unit_key = keygen(top / "unit_key", "unit")
        (office / ".duban").mkdir()
        (office / ".duban" / "seal-signers").write_text(
            f"office@example.invalid {(top / 'office_key.pub').read_text()}", encoding="utf-8"
        )
        git(office, "config", "gpg.format", "ssh")
        git(office, "config", "user.signingkey", str(office_key))
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "plans")
    remote = top / "remote.git"
    git(top, "init", "-q", "--bare", "-b", "main", str(remote))
    git(office, "remote", "add", "origin", f"file://{remote}")
    git(office, "push", "-q", "-u", "origin", "main")
    world = World(top, remote, office, top / "unit", monkeypatch, office_key, unit_key)
    git(top, "clone", "-q", f"file://{remote}", str(world.unit))
    return world
