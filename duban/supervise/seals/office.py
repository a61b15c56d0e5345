"""The office's keys (SIGNERS, git's allowed-signers format): which keys may seal, the
history of that file checked, and whether a tag is a seal of the office."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from duban.i18n import _
from duban.store import gitstore
from duban.store.files import replace_file
from duban.supervise.seals.memory import MEMORY, Memory
from duban.supervise.seals.tags import OBJECT_ID, Seal

if TYPE_CHECKING:
    from duban.store.gitstore import Git

SIGNERS = ".duban/seal-signers"  # the office's keys: committed, so every clone knows them


@dataclass
class Office:
    signers: str | None = None  # the signers file at HEAD
    blob: str = ""  # its blob id
    since: str = ""  # the day the file was first committed
    findings: list[str] = field(default_factory=list)

    @property
    def ssh_lines(self) -> list[str]:
        return [line for line in _signer_lines(self.signers) if not line.startswith("gpg ")]

    @property
    def gpg_keys(self) -> set[str]:
        return {
            line.split()[1].upper()
            for line in _signer_lines(self.signers)
            if line.startswith("gpg ") and len(line.split()) > 1
        }


def _signer_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip() and not line.strip().startswith("#")]


def _allowed_file(git: Git, text: str | None) -> str:
    """A file of the ssh lines of a signers text, for `gpg.ssh.allowedSignersFile`."""
    # Deferred: loads hashlib only when this runs
    import hashlib

    lines = [line for line in _signer_lines(text) if not line.startswith("gpg ")]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    folder = git.git_dir() / MEMORY
    path = folder / f"allowed-{hashlib.sha256(data).hexdigest()[:16]}"
    if not path.exists():
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
        keys = {
            line.split()[1].upper()
            for line in _signer_lines(signers)
            if line.startswith("gpg ") and len(line.split()) > 1
        }
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
    head = git.head() or ""
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
        wanted = sorted(
            {f"{c}:{SIGNERS}" for c, _p, _d in commits}
            | {f"{p}:{SIGNERS}" for _c, ps, _d in commits for p in ps}
            | {f"{head}:{SIGNERS}"}
        )
        check = git.run("cat-file", "--batch-check=%(objectname)", input="".join(f"{w}\n" for w in wanted), check=False)
        blob = {w: (line if OBJECT_ID.fullmatch(line) else None) for w, line in zip(wanted, check.stdout.splitlines())}
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
                    result.findings.append(
                        _(
                            "the office's signers file {file} was brought in again by {sha}, "
                            "a commit no office key signed"
                        ).format(file=SIGNERS, sha=sha[:10])
                    )
                    continue
                introduced, result.since = True, date[:10]
                continue
            if not any(
                _signed_by(git, "verify-commit", sha, content(p)) for p in parents if blob.get(f"{p}:{SIGNERS}")
            ):
                what = _("removed") if mine is None else _("changed")
                result.findings.append(
                    _(
                        "the office's signers file {file} was {what} by {sha}, a commit no key "
                        "of its previous version signed"
                    ).format(file=SIGNERS, what=what, sha=sha[:10])
                )
        result.blob = blob.get(f"{head}:{SIGNERS}") or ""
        result.signers = content(head)
    if memory is not None:
        memory.set_office(
            {
                "head": head,
                "signers": result.signers,
                "blob": result.blob,
                "since": result.since,
                "findings": result.findings,
            }
        )
    return result


def _office_signed(git: Git, seal: Seal, the_office: Office, memory: Memory) -> bool:
    key = f"{seal.object}:{the_office.blob}"
    if key in memory.verdicts:
        return memory.verdicts[key]
    if seal.signature == "ssh" and not the_office.ssh_lines or seal.signature == "gpg" and not the_office.gpg_keys:
        verdict = False
    else:
        if git.run("cat-file", "-e", seal.object, check=False).returncode != 0 and seal.raw:
            restore_object(git, seal.raw)
        verdict = bool(seal.signature) and _signed_by(git, "verify-tag", seal.object, the_office.signers)
    memory.set_verdict(key, verdict)
    return verdict


def restore_object(git: Git, raw: bytes) -> str:
    """Put a kept tag object back into git's object store; its id."""
    process = subprocess.run(
        gitstore.command("hash-object", "-t", "tag", "-w", "--stdin"), cwd=git.root, input=raw, capture_output=True
    )
    return process.stdout.decode().strip() if process.returncode == 0 else ""


def not_the_office(git: Git, seal: Seal, the_office: Office, memory: Memory) -> str:
    """Why `seal` is not the office's seal, or ""."""
    if the_office.signers is not None and not _office_signed(git, seal, the_office, memory):
        if not seal.signed:
            return _("it is not signed, and the office signs its seals ({file})").format(file=SIGNERS)
        return _("no key of the office ({file}) signed it").format(file=SIGNERS)
    return seal.problem
