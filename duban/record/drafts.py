"""Edits that were saved with problems and left unfixed: kept in the repository's git folder
(never committed, never pushed), so that the next `duban edit REF` goes on from them.

An editor that returns at once (`code` without `--wait`), or a `:q` on the file duban reopened
with its problems, gives back the same text: reopening it again would loop for ever, and
dropping it would lose what the user typed. A draft keeps the text and the file it was
edited from (`base`), so a report committed meanwhile is still merged in, not overwritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from duban.errors import DubanError
from duban.store.files import replace_file
from duban.store.repository import Repository

FOLDER = "duban-drafts"


@dataclass(frozen=True)
class Draft:
    text: str  # the edited file, as the user last saved it
    base: str  # the task file the edit started from
    path: Path  # where it is kept


def draft_path(repo: Repository, ref: str) -> Path | None:
    """Where the draft of `ref` lives (None outside a git repository)."""
    try:
        git_dir = repo.git.git_dir()
    except (DubanError, OSError):  # no git: no place that is never committed
        return None
    plan_id, _slash, task_id = ref.rpartition("/")
    return git_dir / FOLDER / plan_id / f"{task_id}.json"


def keep(repo: Repository, ref: str, text: str, base: str) -> Path | None:
    path = draft_path(repo, ref)
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, json.dumps({"text": text, "base": base}, ensure_ascii=False).encode("utf-8"))
    return path


def find(repo: Repository, ref: str) -> Draft | None:
    path = draft_path(repo, ref)
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Draft(str(data["text"]), str(data["base"]), path)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged draft is not worth an error: the task file itself is intact


def drop(repo: Repository, ref: str) -> None:
    path = draft_path(repo, ref)
    if path is not None:
        path.unlink(missing_ok=True)
