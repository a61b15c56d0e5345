"""`duban sync --to FILE` and `duban sync --from FILE`: share across networks that never touch.

--to writes a git bundle of everything the other side (a peer, named by --peer) lacks since the
last state it is known to have, with a manifest in Chinese beside it (FILE.manifest.txt) for
the security officer. The bundle holds one ref, refs/duban/exchange/from/<sender's name in hex>
(readable from the bundle's header even where its objects cannot be): an annotated tag object
whose message (JSON) says who sent it, to whom, its head and the state it assumes the receiver
has; the seal tags travel beside it (duban.supervise.exchange_seals reads them). --from verifies the bundle (complete, its
prerequisites present), refuses one whose sender's history was rewritten, fetches it into
refs/duban/exchange/in/<peer> and merges it as sync merges a remote's branch (the same driver,
checks and recovery: duban.record.sync.merge_in).

Per peer, .git/duban-exchange.json keeps the last head received from it (which is therefore
what it has: the base of the next bundle to it, which acknowledges it) and what was last sent.
A bundle applied twice, out of order or after a newer one brings nothing new and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from duban.errors import DubanError
from duban.i18n import _, language, ngettext, set_language
from duban.record import sync_recovery
from duban.record.manifest import manifest_text
from duban.record.scaffold import register_merge_driver
from duban.record.sync import merge_in
from duban.store.checkpoints import step
from duban.store.files import replace_file
from duban.store.gitstore import Git
from duban.store.repository import Repository

STATE = "duban-exchange.json"
META_PREFIX = "refs/duban/exchange/from/"  # + the sender's name in hex: readable from the header
INCOMING = "refs/duban/exchange/incoming"
SEAL_TAGS = "refs/tags/duban/seal/"
NAME_KEY = "duban.exchange.name"
ACCOUNT_KEY = "duban.account"  # the sender's account in access.yaml (duban.guard.access.ACCOUNT_KEY)
FORMAT = 1


@dataclass
class Sent:
    path: Path
    manifest: Path
    peer: str
    commits: int
    base: str | None
    head: str


@dataclass
class Received:
    sender: str
    pulled: int
    merged: bool
    stale: bool  # the bundle brought nothing this clone did not have
    recovered: str = ""
    seals: bool = False  # the bundle carries seal tags to compare (duban.supervise.exchange_seals)

    def describe(self) -> str:
        if self.pulled:
            line = ngettext(
                "bundle from {peer}: {count} commit brought in",
                "bundle from {peer}: {count} commits brought in",
                self.pulled,
            ).format(peer=self.sender, count=self.pulled)
            line += _(" (merged)") if self.merged else ""
        else:
            line = _("bundle from {peer}: nothing new; nothing was changed").format(peer=self.sender)
        return f"{self.recovered}\n{line}" if self.recovered else line


# ---- what this clone remembers of its peers ------------------------------------------------------


class State:
    def __init__(self, git: Git) -> None:
        self.path = git.git_dir() / STATE
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.peers: dict[str, dict[str, str]] = data.get("peers", {}) if isinstance(data, dict) else {}

    def save(self) -> None:
        text = json.dumps({"format": FORMAT, "peers": self.peers}, ensure_ascii=False, indent=1, sort_keys=True)
        replace_file(self.path, (text + "\n").encode("utf-8"))


def ref_key(peer: str) -> str:
    return hashlib.sha1(peer.encode("utf-8")).hexdigest()[:16]


def incoming_ref(peer: str) -> str:
    return f"refs/duban/exchange/in/{ref_key(peer)}"


def own_name(git: Git) -> str:
    """This clone's name in bundles: git config duban.exchange.name, else the name the first
    bundle it received was addressed to, else one made up once and kept."""
    name = git.run("config", NAME_KEY, check=False).stdout.strip()
    if not name:
        name = f"clone-{secrets.token_hex(4)}"
        git.run("config", NAME_KEY, name)
    return name


def _commit_exists(git: Git, sha: str) -> bool:
    return git.run("cat-file", "-e", f"{sha}^{{commit}}", check=False).returncode == 0


def _is_ancestor(git: Git, older: str, newer: str) -> bool:
    return git.run("merge-base", "--is-ancestor", older, newer, check=False).returncode == 0


def _now() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


# ---- --to ----------------------------------------------------------------------------------------


def write_bundle(repo: Repository, path: Path, peer: str | None, full: bool = False) -> Sent:
    git = repo.git
    git.check_repository()
    if git.head() is None:
        raise DubanError(_("this repository has no commits yet: nothing to send"))
    state = State(git)
    if not peer:
        if len(state.peers) != 1:
            raise DubanError(
                _("name the side the bundle is for: duban sync --to FILE --peer NAME"),
                hint=_(
                    "the peer's name is what it calls itself (git config {key} there); "
                    "a bundle received from it names it"
                ).format(key=NAME_KEY),
            )
        peer = next(iter(state.peers))
    me = own_name(git)
    if peer == me:
        raise DubanError(_("{peer} is this clone's own name").format(peer=peer))
    known = state.peers.get(peer, {})
    base = None if full else known.get("has")
    if base and not _commit_exists(git, base):
        base = None
    head = git.head_commit()
    branch = git.out("rev-parse", "--abbrev-ref", "HEAD").strip()
    meta = {
        "format": FORMAT,
        "from": me,
        "to": peer,
        "branch": branch,
        "head": head,
        "assumes": base,
        "created": _now(),
    }
    account = git.run("config", ACCOUNT_KEY, check=False).stdout.strip()
    if account:
        meta["account"] = account
    ident = git.run("var", "GIT_COMMITTER_IDENT", check=False).stdout.strip() or "duban <duban> 0 +0000"
    tag = (
        f"object {head}\ntype commit\ntag duban-exchange\ntagger {ident}\n\n"
        + json.dumps(meta, ensure_ascii=False, sort_keys=True)
        + "\n"
    )
    tag_object = git.run("hash-object", "-t", "tag", "-w", "--stdin", input=tag).stdout.strip()
    seals = git.out("for-each-ref", "--format=%(refname)", SEAL_TAGS).split()
    commits = int(git.out("rev-list", "--count", "HEAD", *([f"^{base}"] if base else [])).strip())
    path = path.resolve()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    meta_ref = META_PREFIX + me.encode("utf-8").hex()
    with repo.write_lock():
        for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a --to killed while writing
            stale.unlink(missing_ok=True)
        git.run("update-ref", meta_ref, tag_object)
        try:
            created = git.run(
                "bundle",
                "create",
                "--quiet",
                str(temporary),
                meta_ref,
                *seals,
                *([f"^{base}"] if base else []),
                check=False,
            )
        finally:
            git.run("update-ref", "-d", meta_ref, check=False)
        if created.returncode != 0:
            temporary.unlink(missing_ok=True)
            raise DubanError(
                _("cannot write the bundle {path}: {reason}").format(
                    path=path, reason=(created.stderr.strip().splitlines() or ["?"])[-1]
                )
            )
        step("to:bundle-created")
        os.replace(temporary, path)
        step("to:bundle-placed")
        manifest = path.with_name(path.name + ".manifest.txt")
        shown = language()
        set_language("zh")  # the manifest is for the office's security officer: always in Chinese
        try:
            text = manifest_text(git, path, meta, commits, seals)
        finally:
            set_language(shown)
        replace_file(manifest, text.encode("utf-8"))
        step("to:manifest-written")
        state = State(git)
        state.peers.setdefault(peer, {}).update({"sent": head, "sent_at": str(meta["created"])})
        state.save()
    return Sent(path, manifest, peer, commits, base, head)


# ---- --from --------------------------------------------------------------------------------------


def _header(path: Path) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The bundle's prerequisites (commit, comment) and refs (name -> object), from its header."""
    prerequisites: list[tuple[str, str]] = []
    refs: dict[str, str] = {}
    try:
        with path.open("rb") as handle:
            first = handle.readline()
            if not first.startswith(b"# v2 git bundle") and not first.startswith(b"# v3 git bundle"):
                raise DubanError(_("{path} is not a git bundle").format(path=path))
            for raw in handle:
                line = raw.decode("utf-8", errors="replace").rstrip("\n")
                if not line:
                    break
                if line.startswith("@"):
                    continue
                if line.startswith("-"):
                    sha, _space, comment = line[1:].partition(" ")
                    prerequisites.append((sha, comment))
                else:
                    sha, _space, name = line.partition(" ")
                    refs[name] = sha
    except OSError as error:
        raise DubanError(_("cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from None
    return prerequisites, refs


def _meta(git: Git) -> dict[str, Any]:
    text = git.run("cat-file", "tag", INCOMING, check=False).stdout
    try:
        meta = json.loads(text.split("\n\n", 1)[1])
    except (IndexError, ValueError):
        meta = None
    if not isinstance(meta, dict) or not isinstance(meta.get("from"), str) or not meta.get("from"):
        raise DubanError(_("the bundle does not say who sent it: it was not written by duban sync --to"))
    return meta


# The access file's rules for what a bundle brings: (clone root, git dir, account, head) -> the
# guard's lines; passed in by the command (duban.guard.bundles sits above the record).
Check = Callable[[Path, Path, str, str], list[str]]


def read_bundle(repo: Repository, path: Path, check: Check | None = None) -> Received:
    git = repo.git
    git.check_repository()
    if git.run("symbolic-ref", "-q", "HEAD", check=False).returncode != 0:
        raise DubanError(_("HEAD is detached: sync works on a branch"), hint=_("git switch <branch> first"))
    if not path.is_file():
        raise DubanError(_("no bundle {path}").format(path=path))
    prerequisites, refs = _header(path)
    meta_refs = [name for name in refs if name.startswith(META_PREFIX)]
    if len(meta_refs) != 1:
        raise DubanError(_("{path} is not a bundle written by duban sync --to").format(path=path))
    try:
        named = bytes.fromhex(meta_refs[0].removeprefix(META_PREFIX)).decode("utf-8")
    except ValueError:
        named = ""
    missing = [sha for sha, _comment in prerequisites if not _commit_exists(git, sha)]
    if missing:
        raise DubanError(
            ngettext(
                "the bundle assumes this clone has commit {commits}, which it lacks",
                "the bundle assumes this clone has commits {commits}, which it lacks",
                len(missing),
            ).format(commits=", ".join(sha[:12] for sha in missing)),
            hint=_(
                "an earlier bundle was not applied here: apply the earlier bundles first, or ask {sender} for a "
                "full bundle (there: duban sync --to FILE --peer {me} --full); nothing was changed"
            ).format(
                sender=named or _("the sender"),
                me=git.run("config", NAME_KEY, check=False).stdout.strip() or _("<this clone's name>"),
            ),
        )
    verified = git.run("bundle", "verify", "--quiet", str(path), check=False)
    if verified.returncode != 0:
        reason = (verified.stderr.strip().splitlines() or ["?"])[-1]
        raise DubanError(
            _("the bundle {path} is damaged or incomplete: {reason}").format(path=path, reason=reason),
            hint=_("ask the sender to write it again; nothing was changed"),
        )
    with repo.write_lock():
        recovered = sync_recovery.recover(git, repo)
        sync_recovery.check_index_lock(git)
        sync_recovery.check_clean(git)
        register_merge_driver(git)
        fetched = git.run("fetch", "--quiet", "--no-tags", str(path), f"+{meta_refs[0]}:{INCOMING}", check=False)
        if fetched.returncode != 0:
            raise DubanError(
                _("cannot read the bundle {path}: {reason}").format(
                    path=path, reason=(fetched.stderr.strip().splitlines() or ["?"])[-1]
                )
            )
        step("from:fetched")
        meta = _meta(git)
        sender = str(meta["from"])
        if sender != named:
            raise DubanError(
                _("the bundle's header and content name different senders ({a}, {b})").format(a=named, b=sender),
                hint=_("nothing was changed; ask the sender to write it again"),
            )
        head = git.out("rev-parse", f"{INCOMING}^{{commit}}").strip()
        if sender == git.run("config", NAME_KEY, check=False).stdout.strip():
            raise DubanError(
                _("this bundle was written by this clone ({name})").format(name=sender),
                hint=_("apply it in the clone it is for ({peer})").format(peer=meta.get("to", "?")),
            )
        if check is not None and git.head() is not None:
            account = str(meta.get("account") or sender)
            refused = check(repo.root, git.git_dir(), account, head)
            if refused:
                raise DubanError(
                    _("the bundle from {peer} (account {account}) breaks the access file's rules: {reasons}").format(
                        peer=sender, account=account, reasons="; ".join(refused)
                    ),
                    hint=_(
                        "nothing was changed; ask {peer} for a bundle without the refused commits, "
                        "or the office to make the change; a sender that access.yaml does not name "
                        "sets its account there (git config {key} ACCOUNT) and writes the bundle "
                        "again"
                    ).format(peer=sender, key=ACCOUNT_KEY),
                )
        state = State(git)
        known = state.peers.setdefault(sender, {})
        previous = known.get("has")
        stale = False
        if previous and _commit_exists(git, previous):
            if _is_ancestor(git, head, previous):
                stale = True  # twice, or older than one applied already: nothing new
            elif not _is_ancestor(git, previous, head):
                raise DubanError(
                    _(
                        "the history in the bundle from {peer} does not contain what {peer} sent before "
                        "({previous}): it was rewritten"
                    ).format(peer=sender, previous=previous[:12]),
                    hint=_("nothing was changed; ask {peer} why its history changed").format(peer=sender),
                )
        if not stale:
            git.run("update-ref", incoming_ref(sender), head)
            known.update({"has": head, "received_at": _now()})
        if (
            not git.run("config", NAME_KEY, check=False).stdout.strip()
            and isinstance(meta.get("to"), str)
            and meta["to"]
            and meta["to"] != sender
        ):
            git.run("config", NAME_KEY, meta["to"])  # this clone is called what the first sender called it
        state.save()
        step("from:state-saved")
        if git.head() is None:
            pulled, merged = _first_checkout(git, incoming_ref(sender)), False
        else:
            pulled, merged = merge_in(git, repo, incoming_ref(sender), f"{sender} 的数据包")
    seals = not stale and any(name.startswith(SEAL_TAGS) for name in refs)
    return Received(sender, pulled, merged, stale and not pulled, recovered, seals=seals)


def _first_checkout(git: Git, ref: str) -> int:
    """A clone with no commit yet (git init, mkdir plans) takes the first bundle's branch whole."""
    result = git.run("merge", "--ff-only", "--quiet", ref, check=False)
    if result.returncode != 0:
        raise DubanError(
            _("cannot check out the bundle's branch: {reason}").format(
                reason=(result.stderr.strip().splitlines() or ["?"])[-1]
            ),
            hint=_("start from an empty folder: git init, mkdir plans, then duban sync --from FILE"),
        )
    return int(git.out("rev-list", "--count", "HEAD").strip())
