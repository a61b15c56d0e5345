"""What the round's tests share: a Changning repository where units have reported (金融办 leads
task 1 with four others and has reported 50 %; 发改委 supports it and has reported 20 %, and
supports task 2, which 金融办 leads alone and has not reported on, with 23 %), keys sent as a
terminal sends a burst, and an app whose fields are slow to handle their keys. (Waiting on the
app: tests/tui/waiting.py.)"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key

from duban.record.recording import record_progress
from duban.store.repository import Repository
from tests.support import GIT_ENV, at, git
from tests.tui.support import make_repo

PLAN = "2019-changning"
AS_OF = "2019-06-30"
EARLIER = [  # (ref, percent, unit, note), all dated 2019-05-31
    (f"{PLAN}/1", 50, "金融办", "金融办五月进展"),
    (f"{PLAN}/1", 20, "发改委", "发改委配合五月"),
    (f"{PLAN}/2", 23, "发改委", "发改委配合招商"),
    (f"{PLAN}/3", 30, "发改委", "行动计划起草"),
]
NAMED_KEYS = {"\r": "enter", "\t": "tab", " ": "space"}


def reported_repo(root: Path) -> Path:
    repo = make_repo(root, PLAN)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in GIT_ENV.items():
            patch.setenv(name, value)
        at(patch, "2019-05-31")
        store = Repository(repo)
        for ref, percent, unit, note in EARLIER:
            record_progress(store, ref, percent, note=note, by=unit, date="2019-05-31")
    return repo


def copy_repo(template: Path, root: Path, unit: str | None = None) -> Path:
    shutil.copytree(template, root, symlinks=True)
    if unit:
        (root / ".git/duban-my-unit").write_text(unit + "\n", encoding="utf-8")
    return root


def key_event(key: str) -> events.Key:
    """The event a terminal gives for `key` (a character, or a name such as enter or ctrl+s)."""
    if len(key) == 1:
        name = NAMED_KEYS.get(key, key if key.isalnum() else _character_to_key(key))
        return events.Key(name, key)
    return events.Key(key, {"enter": "\r", "tab": "\t", "space": " "}.get(key))


def keys_of(*parts: str | list[str]) -> list[str]:
    """Text as its characters, key names (enter, ctrl+s) as they are."""
    keys: list[str] = []
    for part in parts:
        if isinstance(part, list):
            keys.extend(part)
        else:
            keys.extend(part)
    return keys


async def burst(app, keys: Iterable[str], gap: float = 0.0) -> None:
    """Send keys as a terminal delivers them to an app that lags: all at once (gap 0), or
    `gap` seconds apart, without waiting for the app to handle any of them."""
    for key in keys:
        app.post_message(key_event(key))
        if gap:
            await asyncio.sleep(gap)


def slow_fields(monkeypatch: pytest.MonkeyPatch, delay: float) -> None:
    """Every text field waits `delay` seconds before it handles a key, as on a loaded machine:
    the app passes keys on faster than the fields take them. Call after make_app (a change of
    language reloads the widget's module)."""
    from duban.tui.widgets.text_input import TextInput

    handle = TextInput._on_key

    async def slow(self, event: events.Key) -> None:
        await asyncio.sleep(delay)
        await handle(self, event)

    monkeypatch.setattr(TextInput, "_on_key", slow)


def new_reports(repo: Path, since: str) -> list[dict[str, str]]:
    """The trailers of each commit after `since`, oldest first."""
    out = []
    for sha in git(repo, "rev-list", "--reverse", f"{since}..HEAD").split():
        body = git(repo, "show", "-s", "--format=%B", sha)
        trailers = dict(
            line.split(": ", 1)
            for line in body.splitlines()
            if ": " in line and line[:1].isupper() and line.split(": ", 1)[0].replace("-", "").isalpha()
        )
        out.append(trailers)
    return out


def big_repo(root: Path, count: int) -> Path:
    """Changning with `count` more tasks that 发改委 leads (copies of task 3)."""
    repo = make_repo(root, PLAN)
    tasks = repo / "plans" / PLAN / "tasks"
    text = (tasks / "3.yaml").read_text(encoding="utf-8")
    for number in range(1000, 1000 + count):
        (tasks / f"{number}.yaml").write_text(text.replace("\nid: 3\n", f"\nid: {number}\n", 1), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "many tasks")
    return repo
