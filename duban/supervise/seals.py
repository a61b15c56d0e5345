"""Deadline seals: the supervision office tags the shared branch at each reporting deadline,
and lateness is then judged by what the seal holds, not by dates anyone could type.

A seal is an annotated git tag `duban/seal/<plan-id>/<deadline>` on the commit the shared
record had reached at the deadline. Its message records what it holds by content: the
sealed commit, each held report's own identity (report_identity.py: a digest of the task,
the unit and every field, never the date and the unit alone), when it was made, and the
seal before it. It is signed (`git tag -s`) where git has a signing key.

Where the repository names the office's keys (SIGNERS, git's allowed-signers format, one
`gpg FINGERPRINT` line per GPG key), a seal is the office's only when one of those keys
signed it: an unsigned or otherwise signed tag under the name is not a seal. A change to
that file must be in a commit signed by a key its previous version names.

duban remembers under .git (MEMORY) each seal it accepted and each seal the remote held, so
a seal that is later replaced, moved or deleted is named by `sync` and `verify`, and this
clone goes on judging by the seal it first saw. A seal made after its deadline (`--late`)
holds only the reports recorded by the deadline (by the commit graph: a commit is never
earlier than the commits it follows), so it judges nothing recorded before it that a
missing seal would not have judged the same way.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.store import gitstore
from duban.store.layout import SEAL_REFS, git_folder, may_have_seals
from duban.store.repository import Repository
from duban.supervise.report_identity import identity_in

if TYPE_CHECKING:
    from duban.store.gitstore import Git

SIGNERS = ".duban/seal-signers"   # the office's keys: committed, so every clone knows them
MEMORY = "duban-seals"            # under .git: the seals this clone has seen
REMOTE_SEALS = "refs/duban/remote-seals"  # each remote's seals as the last sync fetched them
FORMAT = "2"
_HEX = re.compile(r"[0-9a-f]{40,64}")


@dataclass(frozen=True, eq=False)
class Seal:
    plan_id: str
    deadline: str      # YYYY-MM-DD
    tag: str           # duban/seal/<plan>/<deadline>
    commit: str
    signed: bool
    object: str = ""               # the tag object's id
    tagger: str = ""               # name <email>
    sealed_at: str = ""            # ISO 8601
    late: bool = False             # made after its deadline: holds only what was recorded by it
    previous: str = ""             # "<deadline> <tag object>" of the plan's seal before it, or ""
    held: dict[str, tuple[str, ...]] | None = None  # task id -> report identities; None: a format-1 seal
    signature: str = ""            # "ssh", "gpg" or ""
    problem: str = ""              # why this tag is not a seal at all ("" when well formed)
    raw: bytes = b""

    @property
    def sealed_day(self) -> str:
        return self.sealed_at[:10]


@dataclass
class Finding:
    seal: Seal | None
    ref: str
    message: str
    tag: str = ""

    def format(self) -> str:
        return f"{self.seal.tag if self.seal else self.tag}: {self.ref}: {self.message}"


@dataclass
class Verification:
    seals: list[Seal] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reports_checked: int = 0


def tag_name(plan_id: str, deadline: dt.date | str) -> str:
    day = deadline.isoformat() if isinstance(deadline, dt.date) else deadline
    return f"duban/seal/{plan_id}/{day}"


def _git(repo: Repository) -> Git:

    git = repo.git
    git.check_repository()
    return git


# ---- reading tag objects ---------------------------------------------------------------------

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
    stamp = tagger[tagger.rfind(">") + 1:].split() if ">" in tagger else []
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
    seal = Seal(plan_id, deadline, name, commit, bool(signature_kind), object_id, who,
                fields.get("Sealed-At") or when, fields.get("Late", "no") == "yes",
                "" if fields.get("Previous", "none") == "none" else fields.get("Previous", ""),
                None, signature_kind, "", raw)
    problem = ""
    if headers.get("type") != "commit" or not _HEX.fullmatch(commit):
        problem = _("it does not tag a commit")
    elif headers.get("tag") != name:
        problem = _("the tag object is named {inner}, not {name}: a seal taken from another name").format(
            inner=headers.get("tag", "?"), name=name)
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
                named=fields.get("Commit", "?")[:10], commit=commit[:10])
        elif str(sum(map(len, held.values()))) != fields.get("Reports"):
            problem = _("its list of reports is not whole")
    if not problem and seal.sealed_day and seal.sealed_day < deadline:
        problem = _("it was made on {day}, before its deadline").format(day=seal.sealed_day)
    if not problem and seal.sealed_day > deadline and not seal.late:
        problem = _("it was made on {day}, after its deadline, yet holds everything recorded by then "
                    "(a late seal holds only the reports recorded by the deadline)").format(day=seal.sealed_day)
    return replace(seal, held=held, problem=problem)


def _objects(git: Git, ids: list[str]) -> list[bytes | None]:
    from duban.store.gitstore import _batch_blobs

    if not ids:
        return []
    process = subprocess.run(gitstore.command("cat-file", "--batch"), cwd=git.root, capture_output=True,
                             input="".join(f"{i}\n" for i in ids).encode(),
                             env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    if process.returncode != 0:
        return [None] * len(ids)
    return _batch_blobs(process.stdout, len(ids))


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
    raws = _objects(git, [object_id for _name, object_id, _kind in wanted])
    found = {}
    for (name, object_id, kind), raw in zip(wanted, raws):
        if kind != "tag" or raw is None:
            pieces = name.split("/")
            found[name] = Seal(pieces[2], pieces[3], name, object_id, False, object_id,
                               problem=_("a lightweight tag: it has no maker and no date"))
            continue
        found[name] = parse(name, object_id, raw)
    return found


def tag_seals(git: Git, plan_id: str | None = None) -> dict[str, Seal]:
    return _read(git, _tags(git, f"{SEAL_REFS}/"), SEAL_REFS, plan_id)


def remote_seals(git: Git, remote: str, plan_id: str | None = None) -> dict[str, Seal]:
    prefix = f"{REMOTE_SEALS}/{remote}"
    return _read(git, _tags(git, prefix + "/"), prefix, plan_id)


# ---- what this clone remembers ------------------------------------------------------------------

class Memory:
    """.git/duban-seals/: the seals this clone accepted (their tag objects kept whole, so a
    deleted seal can still be judged by and restored), each remote's seals as last fetched,
    and signature verdicts (by tag object and signers file)."""

    def __init__(self, git_dir: Path) -> None:
        self.folder = git_dir / MEMORY
        self.seen: dict[str, dict[str, Any]] = {}
        self.remote: dict[str, dict[str, str]] = {}
        self.verdicts: dict[str, bool] = {}
        self.office: dict[str, Any] = {}
        self.unreadable = False
        self._changed = False
        try:
            data = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
            self.seen = {k: v for k, v in data.get("seen", {}).items() if isinstance(v, dict)}
            self.remote = data.get("remote", {})
            self.verdicts = data.get("verdicts", {})
            self.office = data.get("office", {})
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError, TypeError):
            self.unreadable = True

    def raw(self, object_id: str) -> bytes | None:
        if not _HEX.fullmatch(object_id):
            return None
        try:
            data = (self.folder / "objects" / object_id).read_bytes()
        except OSError:
            return None
        import hashlib

        header = f"tag {len(data)}\0".encode()
        # An object kept here is only believed if it is the object it is named after.
        if hashlib.sha1(header + data).hexdigest() != object_id and hashlib.sha256(header + data).hexdigest() != object_id:
            return None
        return data

    def remembered(self, name: str) -> Seal | None:
        entry = self.seen.get(name)
        if not entry:
            return None
        raw = self.raw(str(entry.get("object", "")))
        if raw is None:
            return None
        return parse(name, str(entry["object"]), raw)

    def remember(self, seal: Seal, made_here: bool = False) -> None:
        entry = self.seen.get(seal.tag)
        if entry and entry.get("object") == seal.object and (entry.get("made_here") or not made_here):
            return
        if entry and entry.get("object") != seal.object:
            return  # the first seal seen stays: a different one is named, never adopted
        try:
            (self.folder / "objects").mkdir(parents=True, exist_ok=True)
            from duban.store.files import replace_file

            replace_file(self.folder / "objects" / seal.object, seal.raw, durable=False)
        except OSError:
            return
        self.seen[seal.tag] = {"object": seal.object, "made_here": made_here or bool(entry and entry.get("made_here"))}
        self._changed = True

    def made_here(self, name: str, object_id: str) -> bool:
        entry = self.seen.get(name)
        return bool(entry and entry.get("object") == object_id and entry.get("made_here"))

    def set_remote(self, remote: str, seals: dict[str, str]) -> None:
        if self.remote.get(remote) != seals:
            self.remote[remote] = seals
            self._changed = True

    def set_verdict(self, key: str, value: bool) -> None:
        if self.verdicts.get(key) != value:
            self.verdicts[key] = value
            self._changed = True

    def set_office(self, value: dict[str, Any]) -> None:
        if self.office != value:
            self.office = value
            self._changed = True

    def save(self) -> None:
        if not self._changed:
            return
        from duban.store.files import replace_file

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = {"seen": self.seen, "remote": self.remote, "verdicts": self.verdicts, "office": self.office}
            replace_file(self.folder / "state.json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"),
                         durable=False)
            self._changed = False
        except OSError:
            pass  # a read-only repository remembers nothing new; verify still compares what it has


# ---- the office's keys ----------------------------------------------------------------------------

@dataclass
class Office:
    signers: str | None = None     # the signers file at HEAD
    blob: str = ""                 # its blob id
    since: str = ""                # the day the file was first committed
    findings: list[str] = field(default_factory=list)

    @property
    def ssh_lines(self) -> list[str]:
        return [line for line in _signer_lines(self.signers) if not line.startswith("gpg ")]

    @property
    def gpg_keys(self) -> set[str]:
        return {line.split()[1].upper() for line in _signer_lines(self.signers)
                if line.startswith("gpg ") and len(line.split()) > 1}


def _signer_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip() and not line.strip().startswith("#")]


def _allowed_file(git: Git, text: str | None) -> str:
    """A file of the ssh lines of a signers text, for `gpg.ssh.allowedSignersFile`."""
    import hashlib

    lines = [line for line in _signer_lines(text) if not line.startswith("gpg ")]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    folder = git.git_dir() / MEMORY
    path = folder / f"allowed-{hashlib.sha256(data).hexdigest()[:16]}"
    if not path.exists():
        from duban.store.files import replace_file

        folder.mkdir(parents=True, exist_ok=True)
        replace_file(path, data, durable=False)
    return str(path)


def _signed_by(git: Git, command: str, object_id: str, signers: str | None) -> bool:
    """Whether `object_id` (a tag or a commit) is signed by a key the signers text names."""
    if not _signer_lines(signers):
        return False
    try:
        allowed = _allowed_file(git, signers)
    except OSError:
        return False
    result = git.run("-c", f"gpg.ssh.allowedSignersFile={allowed}", command, "--raw", object_id, check=False)
    if result.returncode != 0:
        return False
    output = result.stderr + result.stdout
    if "[GNUPG:]" in output:  # a GPG signature: its key must be one the file names
        keys = {line.split()[1].upper() for line in _signer_lines(signers) if line.startswith("gpg ") and len(line.split()) > 1}
        for line in output.splitlines():
            if line.startswith("[GNUPG:] VALIDSIG"):
                parts = line.split()
                if parts[2].upper() in keys or (len(parts) > 11 and parts[11].upper() in keys):
                    return True
        return False
    return True


def office(git: Git, memory: Memory | None = None) -> Office:
    """The office's keys at HEAD, with the history of the signers file checked: it was brought
    in once, and every later change (a deletion too) is in a commit signed by a key of the
    version before. Kept in `memory` for HEAD's commit."""
    head = git.run("rev-parse", "--verify", "-q", "HEAD", check=False).stdout.strip()
    if not head:
        return Office()
    if memory is not None and memory.office.get("head") == head:
        kept = memory.office
        return Office(kept.get("signers"), kept.get("blob", ""), kept.get("since", ""), list(kept.get("findings", [])))
    text = git.out("log", "--full-history", "--reverse", "--topo-order", "--format=%H %P%x09%cI", head, "--", SIGNERS)
    commits = []
    for line in text.splitlines():
        shas, _tab, date = line.partition("\t")
        sha, *parents = shas.split()
        commits.append((sha, parents, date))
    result = Office()
    if commits:
        wanted = sorted({f"{c}:{SIGNERS}" for c, _p, _d in commits} | {f"{p}:{SIGNERS}" for _c, ps, _d in commits
                                                                        for p in ps} | {f"{head}:{SIGNERS}"})
        check = git.run("cat-file", "--batch-check=%(objectname)", input="".join(f"{w}\n" for w in wanted), check=False)
        blob = {w: (line if _HEX.fullmatch(line) else None) for w, line in zip(wanted, check.stdout.splitlines())}
        texts: dict[str, str | None] = {}

        def content(sha: str) -> str | None:
            found = blob.get(f"{sha}:{SIGNERS}")
            if found is None:
                return None
            if found not in texts:
                texts[found] = (git.cat_files([found]) or [None])[0]
            return texts[found]

        introduced = False
        for sha, parents, date in commits:
            mine = blob.get(f"{sha}:{SIGNERS}")
            theirs = [blob.get(f"{p}:{SIGNERS}") for p in parents]
            if mine in theirs:
                continue  # the version of one parent: nothing new
            if all(t is None for t in theirs):
                if mine is None:
                    continue
                if introduced:
                    result.findings.append(_("the office's signers file {file} was brought in again by {sha}, "
                                             "a commit no office key signed").format(file=SIGNERS, sha=sha[:10]))
                    continue
                introduced, result.since = True, date[:10]
                continue
            if not any(_signed_by(git, "verify-commit", sha, content(p)) for p in parents if blob.get(f"{p}:{SIGNERS}")):
                what = _("removed") if mine is None else _("changed")
                result.findings.append(_("the office's signers file {file} was {what} by {sha}, a commit no key "
                                         "of its previous version signed").format(file=SIGNERS, what=what, sha=sha[:10]))
        result.blob = blob.get(f"{head}:{SIGNERS}") or ""
        result.signers = content(head)
    if memory is not None:
        memory.set_office({"head": head, "signers": result.signers, "blob": result.blob, "since": result.since,
                           "findings": result.findings})
    return result


def _office_signed(git: Git, seal: Seal, the_office: Office, memory: Memory) -> bool:
    key = f"{seal.object}:{the_office.blob}"
    if key in memory.verdicts:
        return memory.verdicts[key]
    if seal.signature == "ssh" and not the_office.ssh_lines or seal.signature == "gpg" and not the_office.gpg_keys:
        verdict = False
    else:
        if git.run("cat-file", "-e", seal.object, check=False).returncode != 0 and seal.raw:
            _restore_object(git, seal.raw)
        verdict = bool(seal.signature) and _signed_by(git, "verify-tag", seal.object, the_office.signers)
    memory.set_verdict(key, verdict)
    return verdict


def _restore_object(git: Git, raw: bytes) -> str:
    """Put a kept tag object back into git's object store; its id."""
    process = subprocess.run(gitstore.command("hash-object", "-t", "tag", "-w", "--stdin"), cwd=git.root,
                             input=raw, capture_output=True)
    return process.stdout.decode().strip() if process.returncode == 0 else ""


def _not_the_office(git: Git, seal: Seal, the_office: Office, memory: Memory) -> str:
    """Why `seal` is not the office's seal, or ""."""
    if the_office.signers is not None and not _office_signed(git, seal, the_office, memory):
        if not seal.signed:
            return _("it is not signed, and the office signs its seals ({file})").format(file=SIGNERS)
        return _("no key of the office ({file}) signed it").format(file=SIGNERS)
    return seal.problem


# ---- the seals a clone judges by ----------------------------------------------------------------------

@dataclass
class Judged:
    """The seals lateness is judged by, and what was found on the way."""
    seals: dict[str, Seal]                       # tag name -> the seal judged by
    tags: dict[str, Seal]                        # tag name -> what the tag holds now
    rejected: dict[str, str] = field(default_factory=dict)  # tag name -> why the tag is not a seal
    office: Office = field(default_factory=Office)


def judged(repo: Repository, plan_id: str | None = None, git: Git | None = None) -> Judged:
    """For each sealed deadline, the seal this clone judges by: the one it remembers, else the
    tag when it is the office's (it is then remembered)."""
    git = git or _git(repo)
    memory = Memory(git.git_dir())
    tags = tag_seals(git, plan_id)
    names = set(tags) | {n for n in memory.seen if not plan_id or n.split("/")[2:3] == [plan_id]}
    result = Judged({}, tags)
    if not names:
        return result
    result.office = office(git, memory)
    for name in sorted(names):
        first = memory.remembered(name)
        if first is not None and not _not_the_office(git, first, result.office, memory):
            result.seals[name] = first
            continue
        current = tags.get(name)
        if current is None:
            continue
        why = _not_the_office(git, current, result.office, memory)
        if why:
            result.rejected[name] = why
            continue
        result.seals[name] = current
        memory.remember(current)
    memory.save()
    return result


def seals(repo: Repository, plan_id: str | None = None) -> list[Seal]:
    """The plan's seals (every plan's without `plan_id`) this clone judges by, oldest first."""
    if not _may_have(repo):
        return []
    try:
        git = _git(repo)
    except DubanError:
        return []
    return sorted(judged(repo, plan_id, git).seals.values(), key=lambda s: (s.plan_id, s.deadline))


def _may_have(repo: Repository) -> bool:
    git_dir = git_folder(repo.root)
    return may_have_seals(repo.root) or (git_dir is not None and (git_dir / MEMORY / "state.json").exists())


def _identities(repo: Repository, git: Git, plan_id: str, revision: str) -> dict[str, list[str]]:
    """task id -> the identities of its reports at `revision` (one per report, repeats kept)."""
    from duban.record.history import _snapshot

    plan = repo.plan(plan_id)
    tasks, _problems = _snapshot(repo, git, plan_id, revision, "seal")
    return {t.id: [identity_in(plan, t.id, r) for r in t.progress] for t in tasks}


def held_by(repo: Repository, git: Git, seal: Seal) -> dict[str, set[str]]:
    if seal.held is not None:
        return {task_id: set(ids) for task_id, ids in seal.held.items()}
    if git.run("cat-file", "-e", f"{seal.commit}^{{commit}}", check=False).returncode != 0:
        return {}
    return {task_id: set(ids) for task_id, ids in _identities(repo, git, seal.plan_id, seal.commit).items()}


def sealed_reports(repo: Repository, plan_id: str) -> dict[str, dict[str, set[str]]]:
    """For each sealed deadline of the plan: task id -> the identities of the reports it holds."""
    if not _may_have(repo):
        return {}
    try:
        git = _git(repo)
    except DubanError:
        return {}
    found = judged(repo, plan_id, git).seals
    return {item.deadline: held_by(repo, git, item) for item in found.values()}


def for_task(sealed: dict[str, dict[str, set[str]]], task: Task) -> dict[str, set[str]]:
    """deadline -> the task's reports in that seal (an empty set when the seal lacks the task)."""
    return {deadline: tasks.get(task.id, set()) for deadline, tasks in sealed.items()}


# ---- making a seal -----------------------------------------------------------------------------------

def recorded_by(git: Git, head: str, deadline: str) -> list[str]:
    """The newest commits of HEAD's history recorded by the end of `deadline`: each commit's
    day is the later of its own recording day (Recorded-At, committer date) and its parents'
    (a commit is never made before the commits it follows)."""
    text = git.out("log", "--topo-order", "--reverse",
                   "--format=%H%x1f%P%x1f%cI%x1f%(trailers:key=Recorded-At,valueonly,separator=%x20)", head)
    day: dict[str, str] = {}
    parents_of: dict[str, list[str]] = {}
    for line in text.splitlines():
        parts = line.split("\x1f")
        if len(parts) < 3:
            continue
        sha, parents, committed = parts[0], parts[1].split(), parts[2][:10]
        recorded = (parts[3].split() or [""])[0][:10] if len(parts) > 3 else ""
        day[sha] = max([committed, recorded, *(day.get(p, "") for p in parents)])
        parents_of[sha] = parents
    inside = {sha for sha, when in day.items() if when <= deadline}
    followed = {p for sha in inside for p in parents_of[sha]}
    return sorted(inside - followed)


def _late_holding(repo: Repository, git: Git, plan_id: str, commit: str, deadline: str) -> dict[str, list[str]]:
    """What a late seal on `commit` holds: the reports of `commit` that the record held by the deadline."""
    now = _identities(repo, git, plan_id, commit)
    earlier: dict[str, set[str]] = {}
    for frontier in recorded_by(git, commit, deadline):
        for task_id, ids in _identities(repo, git, plan_id, frontier).items():
            earlier.setdefault(task_id, set()).update(ids)
    return {task_id: [i for i in ids if i in earlier.get(task_id, set())] for task_id, ids in now.items()}


def _message(plan_id: str, deadline: str, commit: str, sealed_at: str, late: bool, previous: Seal | None,
             holding: dict[str, list[str]]) -> str:
    from duban.model import natural_key

    lines = [f"督办 报送截止封存 {plan_id} {deadline}", "", f"Plan: {plan_id}", f"Deadline: {deadline}",
             f"Commit: {commit}", f"Sealed-At: {sealed_at}", f"Late: {'yes' if late else 'no'}",
             f"Previous: {previous.deadline + ' ' + previous.object if previous else 'none'}",
             f"Seal-Format: {FORMAT}", f"Reports: {sum(map(len, holding.values()))}", ""]
    lines += [f"{task_id}\t{' '.join(sorted(ids))}" for task_id, ids in sorted(holding.items(), key=lambda i: natural_key(i[0]))
              if ids]
    return "\n".join(lines) + "\n"


def _shared_branch(git: Git, fetch: bool, timeout: float | None) -> None:
    """Refuse to seal a HEAD that is not the shared branch's tip (fetched first)."""
    from duban.record import sync as sharing

    branch = git.out("rev-parse", "--abbrev-ref", "HEAD").strip()
    if branch == "HEAD":
        raise DubanError(_("HEAD is detached: a seal is made on the shared branch"), hint=_("git switch <branch> first"))
    if not git.run("config", f"branch.{branch}.merge", check=False).stdout.strip():
        return  # no shared branch: the record is this clone's
    try:
        upstream = sharing._upstream(git, branch, None)
    except DubanError:
        return
    if fetch:
        fetched = sharing.fetch(git, upstream.remote, timeout or sharing.timeout_from_environment())
        if fetched:
            raise DubanError(_("cannot fetch from {remote}: {reason}").format(remote=upstream.remote, reason=fetched),
                             hint=_("a seal must hold the shared record: seal once the remote answers, or with "
                                    "--no-fetch to seal what this clone fetched last"))
    if not sharing._exists(git, upstream.tracking_ref):
        return
    behind = sharing._count(git, f"HEAD..{upstream.tracking_ref}")
    ahead = sharing._count(git, f"{upstream.tracking_ref}..HEAD")
    if behind:
        raise DubanError(_("HEAD is {count} commit(s) behind {remote}/{branch}: a seal now would leave out reports "
                           "the units pushed").format(count=behind, remote=upstream.remote, branch=upstream.branch),
                         hint=_("run duban sync, then seal"))
    if ahead:
        raise DubanError(_("HEAD has {count} commit(s) that {remote}/{branch} lacks: a seal holds the shared "
                           "record").format(count=ahead, remote=upstream.remote, branch=upstream.branch),
                         hint=_("run duban sync, then seal"))


def seal(repo: Repository, plan_id: str, deadline: dt.date | None = None, today: dt.date | None = None,
         late: bool = False, fetch: bool = True, timeout: float | None = None) -> Seal:
    """Tag HEAD as the record at the plan's reporting deadline (default: the latest passed)."""
    from duban.record.recording import recording_time
    from duban.supervise.lights import reporting_deadlines

    git = _git(repo)
    plan = repo.plan(plan_id)
    now = recording_time()
    today = today or now.date()
    if not git.has_commits():
        raise DubanError(_("the repository has no commits to seal"), hint=_("commit the plan first"))
    if plan.reporting is None:
        raise DubanError(_("plan {plan} has no reporting deadline to seal").format(plan=plan_id),
                         hint=_("set reporting.day_of_month in its plan.yaml"))
    if deadline is None:
        passed = reporting_deadlines(plan, today)
        if not passed:
            raise DubanError(_("no reporting deadline of {plan} has passed yet").format(plan=plan_id))
        deadline = passed[-1]
    elif deadline not in (owed := reporting_deadlines(plan, dt.date(plan.year + 1, 12, 31))):
        raise DubanError(_("{date} is not a reporting deadline of {plan}").format(date=deadline.isoformat(), plan=plan_id),
                         hint=_("its reporting deadlines: {dates}").format(
                             dates=", ".join(day.isoformat() for day in owed) or "—"))
    if deadline > today:
        raise DubanError(_("the deadline {date} has not passed yet").format(date=deadline.isoformat()),
                         hint=_("seal it on or after that day"))
    name = tag_name(plan_id, deadline)
    memory = Memory(git.git_dir())
    _refuse_existing(git, memory, name)
    _shared_branch(git, fetch, timeout)
    _refuse_existing(git, memory, name)  # the fetch may have brought one
    if today > deadline and not late:
        raise DubanError(
            _("the deadline {date} passed {days} day(s) ago: a seal made now would make every report typed in "
              "since then look on time").format(date=deadline.isoformat(), days=(today - deadline).days),
            hint=_("seal it with --late: a late seal holds only the reports recorded by {date} (by their commits, "
                   "never earlier than the commits they follow), so reports typed in after the deadline stay late "
                   "and those before it are judged as without a seal").format(date=deadline.isoformat()))
    late = today > deadline
    the_office = office(git, memory)
    signing = git.run("config", "--get", "user.signingkey", check=False).stdout.strip()
    if the_office.signers is not None and not signing:
        raise DubanError(_("the office signs its seals ({file}), and git has no signing key here").format(file=SIGNERS),
                         hint=_("set the office's key: git config user.signingkey <key> (and gpg.format ssh for an "
                                "ssh key)"))
    if now.date() != today:  # a day given (a test, a record made up afterwards) is the day it was sealed
        now = dt.datetime.combine(today, now.timetz())
    head = git.out("rev-parse", "HEAD").strip()
    deadline_text = deadline.isoformat()
    holding = (_late_holding(repo, git, plan_id, head, deadline_text) if late
               else _identities(repo, git, plan_id, head))
    earlier = [s for s in judged(repo, plan_id, git).seals.values() if s.deadline < deadline_text]
    previous = max(earlier, key=lambda s: s.deadline) if earlier else None
    message = _message(plan_id, deadline_text, head, now.isoformat(timespec="seconds"), late, previous, holding)
    made = git.run("tag", "-s" if signing else "-a", "-F", "-", name, head, input=message, check=False)
    if made.returncode != 0:
        raise DubanError(_("git could not make the tag {tag}: {reason}").format(
            tag=name, reason=(made.stderr.strip().splitlines() or ["?"])[-1]),
            hint=_("check git's signing setup (user.signingkey, gpg.format)") if signing else None)
    object_id = git.out("rev-parse", f"refs/tags/{name}").strip()
    raw = _objects(git, [object_id])[0] or b""
    result = parse(name, object_id, raw)
    why = _not_the_office(git, result, the_office, memory)
    if why:
        git.run("tag", "-d", name, check=False)
        raise DubanError(_("the seal was not kept: {reason}").format(reason=why),
                         hint=_("sign with a key {file} names").format(file=SIGNERS))
    memory.remember(result, made_here=True)
    memory.save()
    return result


def _refuse_existing(git: Git, memory: Memory, name: str) -> None:
    from duban.record.sync import _exists

    for ref, where in ((f"refs/tags/{name}", _("here")),
                       *((f"{REMOTE_SEALS}/{r}/{name.removeprefix('duban/seal/')}", r) for r in git.out("remote").split())):
        if not _exists(git, ref):
            continue
        object_id = git.out("rev-parse", ref).strip()
        if memory.made_here(name, object_id):
            raise DubanError(_("{tag} already exists").format(tag=name),
                             hint=_("a seal is never moved; `duban verify` checks it"))
        raw = _objects(git, [object_id])[0] or b""
        other = parse(name, object_id, raw)
        raise DubanError(_("a tag {tag} exists ({where}) that this office did not make: {who}, {signed}").format(
            tag=name, where=where, who=other.tagger or "?",
            signed=_("signed") if other.signed else _("not signed")),
            hint=_("check it with duban verify; a tag that is not the office's is deleted here and on the remote "
                   "(git tag -d {tag}; git push origin :refs/tags/{tag}) before sealing").format(tag=name))


# ---- verify ------------------------------------------------------------------------------------------

def _own_name(plan: Any, report: Any) -> Any:
    """The report with its unit's own name: one typed with an alias and later kept under the
    unit's name (duban migrate) is unchanged."""
    return replace(report, by=plan.units.own_name(report.by)) if report.by else report


def _describe(seal: Seal) -> str:
    return _("{object} by {who}, sealed at {when}").format(object=seal.object[:10], who=seal.tagger or "?",
                                                           when=seal.sealed_at or "?")


def verify(repo: Repository, plan_id: str | None = None, today: dt.date | None = None) -> Verification:
    """Every seal is the office's and the one this clone saw first, and the remote holds the
    same; every report each seal holds is still in HEAD's record, unchanged; each sealed commit
    is still an ancestor of HEAD; no deadline after the first seal lacks one."""
    from duban.record.recording import recording_time

    git = _git(repo)
    today = today or recording_time().date()
    found = judged(repo, plan_id, git)
    result = Verification(seals=sorted(found.seals.values(), key=lambda s: (s.plan_id, s.deadline)))
    memory = Memory(git.git_dir())  # as judged() left it
    if not found.seals and not found.tags and not memory.seen:
        found.office = office(git, memory)  # no seal at all: were there to be some?
    add = result.findings.append
    if memory.unreadable:
        add(Finding(None, MEMORY, _("the record of the seals this clone has seen (.git/{folder}) cannot be read")
                    .format(folder=MEMORY), tag=".git"))
    for problem in found.office.findings:
        add(Finding(None, SIGNERS, problem, tag=SIGNERS))
    for name, why in sorted(found.rejected.items()):
        tag = found.tags[name]
        add(Finding(tag, tag.plan_id, _("not a seal of the office: {why}").format(why=why)))
    for name, entry in sorted(memory.seen.items()):
        if plan_id and name.split("/")[2:3] != [plan_id]:
            continue
        first, current = found.seals.get(name), found.tags.get(name)
        seen = _describe(first) if first is not None and first.object == entry.get("object") \
            else str(entry.get("object", "?"))[:10]
        if current is None:
            add(Finding(first, name.split("/")[2], _("the seal this clone saw ({seal}) was deleted").format(seal=seen),
                        tag=name))
        elif current.object != entry.get("object"):
            add(Finding(first, name.split("/")[2], _("the tag was replaced: this clone saw {first}, the tag now "
                                                     "holds {now}").format(first=seen, now=_describe(current)),
                        tag=name))
    for remote in git.out("remote").split():
        there = remote_seals(git, remote, plan_id)
        for name, seal_there in sorted(there.items()):
            mine = found.seals.get(name)
            if mine is not None and seal_there.object != mine.object:
                add(Finding(mine, mine.plan_id, _("{remote} holds another tag under this name: {other}").format(
                    remote=remote, other=_describe(seal_there))))
            elif mine is None and name not in found.rejected:
                why = _not_the_office(git, seal_there, found.office, memory)
                if why:
                    add(Finding(seal_there, seal_there.plan_id, _("{remote} holds a tag that is not a seal of the "
                                                                  "office: {why}").format(remote=remote, why=why)))
        for name, object_id in sorted(memory.remote.get(remote, {}).items()):
            if plan_id and name.split("/")[2:3] != [plan_id]:
                continue
            if name not in there:
                add(Finding(found.seals.get(name), name.split("/")[2],
                            _("{remote} no longer holds this seal (it held {object}): deleted there").format(
                                remote=remote, object=object_id[:10]), tag=name))
    head = git.out("rev-parse", "HEAD").strip()
    current_tasks: dict[str, dict[str, Task]] = {}
    by_plan: dict[str, dict[str, Seal]] = {}
    for item in result.seals:
        by_plan.setdefault(item.plan_id, {})[item.deadline] = item
        if git.run("merge-base", "--is-ancestor", item.commit, head, check=False).returncode != 0:
            add(Finding(item, item.plan_id, _("the sealed commit {sha} is not in the history of "
                                              "HEAD: the history was rewritten").format(sha=item.commit[:10])))
            continue
        if found.office.signers is None and item.signed and not _verified_by_git(git, item):
            add(Finding(item, item.plan_id, _("the seal's signature does not verify")))
        plan = repo.plan(item.plan_id)
        if item.plan_id not in current_tasks:
            from duban.record.history import _snapshot

            current_tasks[item.plan_id] = {t.id: t for t in _snapshot(repo, git, item.plan_id, head, "record")[0]}
        at_commit = _identities(repo, git, item.plan_id, item.commit)
        if item.held is not None:
            expected = (_late_holding(repo, git, item.plan_id, item.commit, item.deadline) if item.late else at_commit)
            if {k: sorted(v) for k, v in expected.items() if v} != {k: sorted(v) for k, v in item.held.items() if v}:
                add(Finding(item, item.plan_id, _("the reports it lists are not those its commit held by the "
                                                  "deadline")))
        held = held_by(repo, git, item)
        now_ids: dict[str, list[str]] = {t_id: [identity_in(plan, t_id, r) for r in t.progress]
                                         for t_id, t in current_tasks[item.plan_id].items()}
        from duban.record.history import _snapshot

        sealed_tasks = {t.id: t for t in _snapshot(repo, git, item.plan_id, item.commit, "seal")[0]}
        for task_id, ids in sorted(held.items()):
            remaining = list(now_ids.get(task_id, []))
            task = sealed_tasks.get(task_id)
            reports = {identity_in(plan, task_id, r): r for r in task.progress} if task else {}
            for identity in sorted(ids):
                result.reports_checked += 1
                if identity in remaining:
                    remaining.remove(identity)
                    continue
                report = reports.get(identity)
                what = (_("report of {date}{by} ({percent}%) was changed or removed after the seal").format(
                    date=report.date, by=f" [{report.by}]" if report.by else "", percent=f"{report.percent:g}")
                    if report else _("report {identity} was changed or removed after the seal").format(identity=identity))
                add(Finding(item, f"{item.plan_id}/{task_id}", what))
        if item.previous:
            day, _space, object_id = item.previous.partition(" ")
            before = by_plan.get(item.plan_id, {}).get(day) or found.seals.get(tag_name(item.plan_id, day))
            if before is None or before.object != object_id:
                add(Finding(item, item.plan_id, _("it follows the seal of {day} ({object}), which this clone "
                                                  "lacks or holds otherwise").format(day=day, object=object_id[:10])))
    result.findings.extend(_missing(repo, found, plan_id, today))
    memory.save()
    return result


def _verified_by_git(git: Git, item: Seal) -> bool:
    return git.run("verify-tag", item.object, check=False).returncode == 0


def _missing(repo: Repository, found: Judged, plan_id: str | None, today: dt.date) -> list[Finding]:
    """Deadlines that passed (before today) with no seal, after the office began to seal: its
    first seal, or the day its signers file was committed."""
    from duban.supervise.lights import reporting_deadlines

    findings = []
    plans = [plan_id] if plan_id else sorted({s.plan_id for s in found.seals.values()} |
                                             ({*repo.plan_ids()} if found.office.since else set()))
    for plan in plans:
        try:
            the_plan = repo.plan(plan)
        except DubanError:
            continue
        if the_plan.reporting is None:
            continue
        days = [s.deadline for s in found.seals.values() if s.plan_id == plan]
        named = [s.previous.split()[0] for s in found.seals.values() if s.plan_id == plan and s.previous]
        # From the plan's first seal (or the one its first seal follows); with none left at all,
        # from the day the office's key was committed.
        starts = [d for d in (*days, *named) if d] or ([found.office.since] if found.office.since else [])
        if not starts:
            continue
        start = min(starts)
        # Without the office's key, only the gaps up to its last seal; with it, every deadline
        # since the key was committed (a deleted latest seal is then named in a fresh clone too).
        until = today - dt.timedelta(days=1) if found.office.since else \
            dt.date.fromisoformat(max(d for d in (*days, *named) if d) if (days or named) else start)
        sealed = set(days)
        for deadline in reporting_deadlines(the_plan, until):
            day = deadline.isoformat()
            if day >= start and day not in sealed:
                findings.append(Finding(None, plan, _("the deadline {day} has no seal of the office: it was deleted, "
                                                      "or not made (duban seal --late)").format(day=day),
                                        tag=tag_name(plan, day)))
    return findings


# ---- the remote's seals (sync) -----------------------------------------------------------------------

def after_fetch(repo: Repository, git: Git, remote: str) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """Compare the seals `remote` holds (fetched into REMOTE_SEALS) with those this clone judges
    by. Returns lines naming each difference, and the seals to push: (tag, object, force). A
    seal this clone judges by that the remote lacks is pushed (the office's new seal, or one
    deleted there); where the office names its keys, a seal of the office replaced there is
    put back by force (it is provably the office's; without keys it is only named). A seal of
    the office this clone lacks becomes a local tag; the remote's seals are remembered."""
    there = remote_seals(git, remote)
    found = judged(repo, None, git)
    memory = Memory(git.git_dir())
    lines: list[str] = []
    pushes: list[tuple[str, str, bool]] = []
    for name, seal_there in sorted(there.items()):
        mine = found.seals.get(name)
        if mine is None:
            why = _not_the_office(git, seal_there, found.office, memory)
            if why:
                lines.append(_("{remote} holds {tag}, which is not a seal of the office: {why}").format(
                    remote=remote, tag=name, why=why))
                continue
            if name not in found.tags:
                git.run("update-ref", f"refs/tags/{name}", seal_there.object, check=False)
            memory.remember(seal_there)
        elif seal_there.object != mine.object:
            lines.append(_("{remote} holds another tag under {tag} ({other}) than the seal this clone judges by "
                           "({mine}): replaced or moved there").format(remote=remote, tag=name,
                                                                       other=_describe(seal_there), mine=_describe(mine)))
            if found.office.signers is not None:
                pushes.append((name, mine.object, True))
    for name, mine in sorted(found.seals.items()):
        if name in there:
            continue
        if name in memory.remote.get(remote, {}):
            lines.append(_("{remote} no longer holds the seal {tag} ({object}): deleted there").format(
                remote=remote, tag=name, object=memory.remote[remote][name][:10]))
        if git.run("cat-file", "-e", mine.object, check=False).returncode != 0 and mine.raw:
            _restore_object(git, mine.raw)
        pushes.append((name, mine.object, False))
    memory.set_remote(remote, {**{n: s.object for n, s in there.items()
                                  if n in found.seals and found.seals[n].object == s.object},
                               **{n: o for n, o in memory.remote.get(remote, {}).items() if n not in there}})
    memory.save()
    return lines, pushes


def push_seals(git: Git, remote: str, pushes: list[tuple[str, str, bool]], limit: float) -> list[str]:
    """Push the seals after_fetch chose; a line for each put back or not pushed."""
    lines = []
    memory = Memory(git.git_dir())
    for name, object_id, force in pushes:
        result = git.run_bounded("push", "--quiet", remote, f"{'+' if force else ''}{object_id}:refs/tags/{name}",
                                 timeout=limit)
        if result.returncode != 0:
            lines.append(_("could not push the seal {tag} to {remote}: {reason}").format(
                tag=name, remote=remote, reason=(result.stderr.strip().splitlines() or ["?"])[-1]))
        else:
            git.run("update-ref", f"{REMOTE_SEALS}/{remote}/{name.removeprefix('duban/seal/')}", object_id, check=False)
            memory.set_remote(remote, {**memory.remote.get(remote, {}), name: object_id})
            if force:
                lines.append(_("put the office's seal {tag} back on {remote}").format(tag=name, remote=remote))
    memory.save()
    return lines
