"""What a build of the site read, in one digest: when the folder's manifest holds the same
one, the pages there are what the build would write again, and it need not work out one
figure (site.build).

A build reads the plans' files in the working tree, their history in git (every commit
reachable, so HEAD and every ref: a seal is a tag), the office's files under .duban (the
seal signers), this clone's memory of the seals, the as-of day of each plan (resolved: "today"
moves), the language, and duban's own code and catalogs. The digest takes all of them, the
files by their bytes. A plan with seals is never taken as unchanged: checking a seal asks
gpg, whose keyring lives outside the repository, so the same inputs could check otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import duban
from duban.errors import DubanError
from duban.store.repository import Repository
from duban.supervise.seals.judging import seals
from duban.supervise.seals.memory import MEMORY

CODE = Path(duban.__file__).resolve().parent
READ_FOLDERS = ("plans", "schema", ".duban")  # under the repository's root


def _files(folder: Path, skip: Path | None) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    found = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    if skip is not None:
        found = [p for p in found if not p.resolve().is_relative_to(skip)]
    return sorted(found)


def code_digest() -> str:
    """duban's version and the bytes of its code and catalogs: any change rebuilds."""
    digest = hashlib.sha256(duban.__version__.encode())
    for path in _files(CODE, None):
        digest.update(b"\0" + path.relative_to(CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(repo: Repository, days: Mapping[str, dt.date], language: str, output: Path) -> str | None:
    """The digest of what a build of the plans in `days` (each with its as-of day) in
    `language` reads; None when it cannot be known (no readable history, or seals)."""
    git = repo.git
    try:
        git.check_repository()
        head = git.head()
        if head is None:
            return None
        refs = git.out("for-each-ref", "--format=%(objectname) %(refname)")
        memory = git.git_dir() / MEMORY
        if any(seals(repo, plan_id) for plan_id in days):
            return None
    except DubanError:
        return None
    digest = hashlib.sha256()
    for part in (code_digest(), language, head, refs):
        digest.update(part.encode("utf-8") + b"\0")
    for plan_id, day in sorted(days.items()):
        digest.update(f"{plan_id}\0{day.isoformat()}\0".encode())
    skip = output.resolve()
    for name in READ_FOLDERS:
        for path in _files(repo.root / name, skip):
            digest.update(path.relative_to(repo.root).as_posix().encode() + b"\0" + path.read_bytes())
    for path in _files(memory, None):
        digest.update(b"\1" + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
