"""A seal as its tag holds it: the tag's name, the message parsed into a Seal (with why it is
no seal at all), and the seal tags read from git, this clone's and each remote's as last fetched."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from duban.i18n import _
from duban.store import gitstore
from duban.store.gitoutput import batch_blobs
from duban.store.layout import SEAL_REFS
from duban.store.repository import Repository

if TYPE_CHECKING:
    from duban.store.gitstore import Git

REMOTE_SEALS = "refs/duban/remote-seals"  # each remote's seals as the last sync fetched them
FORMAT = "2"
OBJECT_ID = re.compile(r"[0-9a-f]{40,64}")


@dataclass(frozen=True, eq=False)
class Seal:
    plan_id: str
    deadline: str  # YYYY-MM-DD
    tag: str  # duban/seal/<plan>/<deadline>
    commit: str
    signed: bool
    object: str = ""  # the tag object's id
    tagger: str = ""  # name <email>
    sealed_at: str = ""  # ISO 8601
    late: bool = False  # made after its deadline: holds only what was recorded by it
    previous: str = ""  # "<deadline> <tag object>" of the plan's seal before it, or ""
    held: dict[str, tuple[str, ...]] | None = None  # task id -> report identities; None: a format-1 seal
    signature: str = ""  # "ssh", "gpg" or ""
    problem: str = ""  # why this tag is not a seal at all ("" when well formed)
    raw: bytes = b""

    @property
    def sealed_day(self) -> str:
        return self.sealed_at[:10]


def tag_name(plan_id: str, deadline: dt.date | str) -> str:
    day = deadline.isoformat() if isinstance(deadline, dt.date) else deadline
    return f"duban/seal/{plan_id}/{day}"


def checked_git(repo: Repository) -> Git:

    git = repo.git
    git.check_repository()
    return git


def parse(name: str, object_id: str, raw: bytes) -> Seal:
    """The seal a tag object `raw` under `name` claims to be; `problem` says why it is none."""
    pieces = name.split("/")
    plan_id, deadline = (pieces[2], pieces[3]) if len(pieces) == 4 else ("", "")
    text = raw.decode("utf-8", errors="replace")
    head, _gap, body = text.partition("\n\n")
    headers: dict[str, str] = {}
    for line in head.split("\n"):
        key, _space, value = line.partition(" ")
        headers.setdefault(key, value)
    commit = headers.get("object", "")
    tagger = headers.get("tagger", "")
    who = tagger[: tagger.rfind(">") + 1] if ">" in tagger else tagger
    when = ""
    stamp = tagger[tagger.rfind(">") + 1 :].split() if ">" in tagger else []
    if len(stamp) == 2 and stamp[0].isdigit():
        sign = -1 if stamp[1].startswith("-") else 1
        try:
            offset = dt.timedelta(hours=int(stamp[1][1:3]), minutes=int(stamp[1][3:5])) * sign
            when = dt.datetime.fromtimestamp(int(stamp[0]), dt.timezone(offset)).isoformat()
        except (ValueError, OverflowError):
            when = ""
    message, signature_kind = body, ""
    at = re.search(r"(?m)^-----BEGIN (SSH|PGP) SIGNATURE-----", body)
    if at:
        message, signature_kind = body[: at.start()], "ssh" if at.group(1) == "SSH" else "gpg"
    fields: dict[str, str] = {}
    held: dict[str, tuple[str, ...]] | None = None
    paragraphs = message.split("\n\n")
    for line in (paragraphs[1] if len(paragraphs) > 1 else "").splitlines():
        key, sep, value = line.partition(": ")
        if sep:
            fields.setdefault(key.strip(), value.strip())
    seal = Seal(
        plan_id,
        deadline,
        name,
        commit,
        bool(signature_kind),
        object_id,
        who,
        fields.get("Sealed-At") or when,
        fields.get("Late", "no") == "yes",
        "" if fields.get("Previous", "none") == "none" else fields.get("Previous", ""),
        None,
        signature_kind,
        "",
        raw,
    )
    problem = ""
    if headers.get("type") != "commit" or not OBJECT_ID.fullmatch(commit):
        problem = _("it does not tag a commit")
    elif headers.get("tag") != name:
        problem = _("the tag object is named {inner}, not {name}: a seal taken from another name").format(
            inner=headers.get("tag", "?"), name=name
        )
    elif fields.get("Plan") != plan_id or fields.get("Deadline") != deadline:
        problem = _("its message names another plan or deadline")
    elif fields.get("Seal-Format", "1") == FORMAT:
        held = {}
        for line in "\n\n".join(paragraphs[2:]).splitlines():
            task_id, _tab, ids = line.partition("\t")
            if task_id:
                held[task_id] = tuple(ids.split())
        if fields.get("Commit") != commit:
            problem = _("its message names the commit {named}, but it tags {commit}").format(
                named=fields.get("Commit", "?")[:10], commit=commit[:10]
            )
        elif str(sum(map(len, held.values()))) != fields.get("Reports"):
            problem = _("its list of reports is not whole")
    if not problem and seal.sealed_day and seal.sealed_day < deadline:
        problem = _("it was made on {day}, before its deadline").format(day=seal.sealed_day)
    if not problem and seal.sealed_day > deadline and not seal.late:
        problem = _(
            "it was made on {day}, after its deadline, yet holds everything recorded by then "
            "(a late seal holds only the reports recorded by the deadline)"
        ).format(day=seal.sealed_day)
    return replace(seal, held=held, problem=problem)


def read_objects(git: Git, ids: list[str]) -> list[bytes | None]:
    if not ids:
        return []
    process = subprocess.run(
        gitstore.command("cat-file", "--batch"),
        cwd=git.root,
        capture_output=True,
        input="".join(f"{i}\n" for i in ids).encode(),
        env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
    )
    if process.returncode != 0:
        return [None] * len(ids)
    return batch_blobs(process.stdout, len(ids))


def _tags(git: Git, prefix: str) -> dict[str, tuple[str, str]]:
    """refname (without refs/tags/ or the remote-seal prefix) -> (object id, object type)."""
    text = git.out("for-each-ref", "--format=%(refname)%09%(objectname)%09%(objecttype)", prefix)
    found = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            found[parts[0]] = (parts[1], parts[2])
    return found


def _read(git: Git, refs: dict[str, tuple[str, str]], strip: str, plan_id: str | None) -> dict[str, Seal]:
    """The seals under `refs`, keyed by tag name (duban/seal/PLAN/DAY)."""
    wanted = []
    for ref, (object_id, kind) in refs.items():
        name = "duban/seal/" + ref.removeprefix(strip).lstrip("/")
        pieces = name.split("/")
        if len(pieces) != 4 or (plan_id and pieces[2] != plan_id):
            continue
        wanted.append((name, object_id, kind))
    raws = read_objects(git, [object_id for _name, object_id, _kind in wanted])
    found = {}
    for (name, object_id, kind), raw in zip(wanted, raws):
        if kind != "tag" or raw is None:
            pieces = name.split("/")
            found[name] = Seal(
                pieces[2],
                pieces[3],
                name,
                object_id,
                False,
                object_id,
                problem=_("a lightweight tag: it has no maker and no date"),
            )
            continue
        found[name] = parse(name, object_id, raw)
    return found


def tag_seals(git: Git, plan_id: str | None = None) -> dict[str, Seal]:
    return _read(git, _tags(git, f"{SEAL_REFS}/"), SEAL_REFS, plan_id)


def remote_seals(git: Git, remote: str, plan_id: str | None = None) -> dict[str, Seal]:
    prefix = f"{REMOTE_SEALS}/{remote}"
    return _read(git, _tags(git, prefix + "/"), prefix, plan_id)


def describe(seal: Seal) -> str:
    return _("{object} by {who}, sealed at {when}").format(
        object=seal.object[:10], who=seal.tagger or "?", when=seal.sealed_at or "?"
    )
