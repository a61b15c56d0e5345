"""`duban guard`: the shared repository's pre-receive hook, which refuses a push that breaks the write rights.

git runs the hook with every ref the push would update (`OLD NEW REF` lines on stdin) before it
updates any of them; a refusal leaves every ref as it was (the pushed objects stay in quarantine
and are dropped). Each new commit is read the way duban reads it: the task files before (every
parent) and after, reports per unit (duban.progress.flat), the trailers.

The rules (one refusal line per commit, file and rule):
- the pusher must be an account of the access file (hook.pusher's variables); with no access
  file yet, only the accounts `duban init --server --office` named (git config duban.office);
- no ref is deleted, no branch is rewritten (non-fast-forward), no seal tag is moved or
  deleted; only the office makes a seal tag or any other tag or ref outside refs/heads/;
- a unit's account changes task files only: it adds its own unit's reports to tasks its unit
  leads or supports, and takes its own reports back only with a reason (`Reason:` or `Reverts:`
  trailer: `duban withdraw`, `duban undo`); a task's status changes with its lead's report
  (as `duban progress` sets it), never to cancelled; nothing else;
- the office changes anything, but a report it adds or takes back needs a reason: a `Reason:`
  trailer (the paper it came from) or the `Form:` trailer `duban collect` writes;
- nobody changes or removes a report a seal holds (a report in the sealed commit's tree);
- a commit that adds or takes back reports is signed by a key of the pusher where its account
  has keys, and on a plan the access file lists under signing_required whatever the account.

A merge is judged by what it brings that none of its parents has: a report or field that one
parent has is the merge's inheritance, not its change. A commit and its exact revert in the same
push (`duban undo` of a refused report) change nothing together and are not judged.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from typing import Any

from duban import progress as progress_layout
from duban.guard import access as access_file
from duban.i18n import _
from duban.reading import normalise_unit_name
from duban.store.gitstore import OPTIONS

ZERO = "0" * 40
SEAL_PREFIX = "refs/tags/duban/seal/"
_TASK_FILE = re.compile(r"^plans/([^/]+)/tasks/[^/]+\.ya?ml$")
_TRAILER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*): (.*)$")
_CHANGEABLE_STATUSES = {"in_progress", "done", "blocked", "delayed", "not_started"}


@dataclass(frozen=True)
class Refusal:
    commit: str      # the commit, or the ref where the refusal is about a ref
    path: str        # the file, or "" where the refusal is about the push itself
    unit: str        # the unit whose report or right it is about, or ""
    rule: str        # what rule the change breaks, in the language set

    def line(self) -> str:
        where = " ".join(part for part in (self.commit[:10] if len(self.commit) == 40 else self.commit, self.path) if part)
        if not where:
            return _("refused: {rule}").format(rule=self.rule)
        if self.unit:
            return _("refused: {where}: unit {unit}: {rule}").format(where=where, unit=self.unit, rule=self.rule)
        return _("refused: {where}: {rule}").format(where=where, rule=self.rule)


class _Git:
    """git in the repository receiving the push (GIT_DIR and the quarantine come from the environment)."""

    def __init__(self, git_dir: str | None) -> None:
        self.git_dir = git_dir

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = ["git", *OPTIONS, *(["--git-dir", self.git_dir] if self.git_dir else []), *args]
        result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
        if check and result.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)}: {result.stderr.strip()}")
        return result

    def show(self, commit: str, path: str) -> str | None:
        result = self.run("cat-file", "blob", f"{commit}:{path}", check=False)
        return result.stdout if result.returncode == 0 else None


def _trailers(message: str) -> dict[str, str]:
    last = message.strip().split("\n\n")[-1]
    found: dict[str, str] = {}
    for line in last.splitlines():
        match = _TRAILER.match(line)
        if match:
            found.setdefault(match.group(1), match.group(2).strip())
    return found


def _load(text: str | None, path: str) -> Any:
    if text is None:
        return None
    from duban.store import yamlio

    try:
        return yamlio.load_fast(text, path)
    except yamlio.YamlError:
        return _UNREADABLE


_UNREADABLE = object()


class Guard:
    def __init__(self, git: _Git, account_name: str | None, relayed: bool = False) -> None:
        self.git = git
        self.account_name = account_name
        # A bundle the office carries holds the units' commits it received and passes on: the office
        # vouches for them, so its own reason and signature rules are not asked of them (sync --from).
        self.relayed = relayed
        self.refusals: list[Refusal] = []
        self._names: dict[tuple[str, str], Any] = {}
        self._sealed: dict[tuple[str, str], Counter[tuple[str, str]]] = {}
        self._trees: dict[str, dict[str, str]] = {}
        self._signatures: dict[str, str] = {}
        self.rights = access_file.Access()
        self.shared = "refs/heads/main"
        self.account = self._account()

    # ---- who is pushing ----------------------------------------------------------------------

    def _account(self) -> access_file.Account | None:
        if not self.account_name:
            self.refuse("", "", "", _("the pusher's account is unknown (none of {variables} is set, or they "
                                      "disagree): the hosting must name it").format(variables=", ".join(access_file.ACCOUNT_VARIABLES)))
            return None
        self.shared = self._shared_branch()
        head = self.git.run("rev-parse", "--verify", "--quiet", f"{self.shared}^{{commit}}", check=False).stdout.strip()
        text = self.git.show(head, access_file.FILE) if head else None
        if text is None:
            offices = self.git.run("config", "--get-all", "duban.office", check=False).stdout.split()
            if self.account_name in offices:
                return access_file.Account(self.account_name, access_file.OFFICE)
            self.refuse("", access_file.FILE, "", _("the shared repository has no access file yet: only the office "
                                                    "({offices}) may push").format(offices=", ".join(offices) or "-"))
            return None
        rights, problems = access_file.parse(text)
        self.rights = rights
        if problems:
            self.refuse("", access_file.FILE, "", _("the access file on the shared branch has errors; "
                                                    "the office must correct it"))
            return None
        account = rights.account(self.account_name)
        if account is None:
            self.refuse("", access_file.FILE, "", _("account {account} is not in the access file").format(
                account=self.account_name))
        return account

    def _shared_branch(self) -> str:
        """The shared branch: HEAD's, else main, else the only branch there is (a hosting such as
        gitolite may leave HEAD on a branch nobody pushed)."""
        branches = self.git.run("for-each-ref", "--format=%(refname)", "refs/heads/").stdout.split()
        head = self.git.run("symbolic-ref", "-q", "HEAD", check=False).stdout.strip() or "refs/heads/main"
        if head in branches or not branches:
            return head
        if "refs/heads/main" in branches:
            return "refs/heads/main"
        return branches[0] if len(branches) == 1 else head

    def refuse(self, commit: str, path: str, unit: str, rule: str) -> None:
        refusal = Refusal(commit, path, unit, rule)
        if refusal not in self.refusals:
            self.refusals.append(refusal)

    # ---- refs ----------------------------------------------------------------------------------

    def check(self, updates: list[tuple[str, str, str]]) -> list[Refusal]:
        if self.account is None:
            return self.refusals
        office = self.account.is_office
        shared = self.shared
        fresh: list[str] = []
        for old, new, ref in updates:
            if new == ZERO:
                self.refuse(ref, "", "", _("deleting a ref is not allowed"))
            elif ref.startswith(SEAL_PREFIX) and old != ZERO:
                self.refuse(ref, "", "", _("a seal is never moved"))
            elif ref.startswith("refs/heads/") and not office and ref != shared:
                self.refuse(ref, "", "", _("a unit pushes only to the shared branch {branch}").format(
                    branch=shared.removeprefix("refs/heads/")))
            elif ref.startswith("refs/heads/"):
                if old != ZERO and self.git.run("merge-base", "--is-ancestor", old, new, check=False).returncode != 0:
                    self.refuse(ref, "", "", _("rewriting history (a non-fast-forward push) is not allowed"))
                else:
                    fresh.append(new)
            elif not office:
                self.refuse(ref, "", "", _("only the office pushes tags and refs other than branches"))
            elif ref.startswith("refs/tags/"):
                if old != ZERO:
                    self.refuse(ref, "", "", _("a tag is never moved"))
        if fresh:
            self._commits(self.git.run("rev-list", "--reverse", "--topo-order", *fresh, "--not", "--all").stdout.split())
        return self.refusals

    def _commits(self, listed: list[str]) -> None:
        undone = self._undone(listed)
        for commit in listed:
            if commit not in undone:
                self._commit(commit)

    def _undone(self, listed: list[str]) -> set[str]:
        """The commits of `listed` that a later one of it reverts exactly (a `Reverts:` trailer, as
        `duban undo` writes, and the very inverse change), with their reverts: together they change
        nothing, so a refused commit taken back with duban undo lets the next push through."""
        found: set[str] = set()
        pending = set(listed)
        for commit in listed:
            raw = self.git.run("cat-file", "commit", commit).stdout
            header, _gap, message = raw.partition("\n\n")
            reverted = _trailers(message).get("Reverts", "")
            parents = [line for line in header.splitlines() if line.startswith("parent ")]
            if reverted in pending and reverted not in found and len(parents) == 1 \
                    and self.git.run("rev-list", "--no-walk", "--count", f"{reverted}^@").stdout.strip() == "1" \
                    and self._changes(reverted, inverse=True) == self._changes(commit) and self._changes(commit):
                found |= {reverted, commit}
        return found

    def _changes(self, commit: str, inverse: bool = False) -> set[tuple[str, str, str]]:
        """(path, object before, object after) for each file a single-parent commit changes."""
        changes = set()
        for line in self.git.run("diff-tree", "-r", "--no-commit-id", "--no-renames", "-m", "--first-parent",
                                 commit).stdout.splitlines():
            meta, _tab, path = line.partition("\t")
            parts = meta.split()
            if len(parts) >= 4:
                before, after = parts[2], parts[3]
                changes.add((path, after, before) if inverse else (path, before, after))
        return changes

    def brought(self, head: str) -> list[Refusal]:
        """The refusals for the commits `head` brings onto the shared branch (those the branch
        lacks), judged as a push of them by the account would be: `duban sync --from FILE`."""
        if self.account is None:
            return self.refusals
        self._commits(self.git.run("rev-list", "--reverse", "--topo-order", head, "--not", self.shared).stdout.split())
        return self.refusals

    # ---- one commit ----------------------------------------------------------------------------

    def _tree(self, commit: str | None) -> dict[str, str]:
        """path -> "mode object" of every file in the commit's tree ({} for none)."""
        if commit is None:
            return {}
        if commit not in self._trees:
            found: dict[str, str] = {}
            for entry in self.git.run("ls-tree", "-r", "-z", "--full-tree", commit).stdout.split("\0"):
                meta, tab, path = entry.partition("\t")
                if tab:
                    mode, _kind, oid = meta.split()
                    found[path] = f"{mode} {oid}"
            self._trees[commit] = found
        return self._trees[commit]

    def _base(self, parents: list[str]) -> str | None:
        if len(parents) < 2:
            return parents[0] if parents else None
        result = self.git.run("merge-base", "--octopus", *parents, check=False)
        return result.stdout.split()[0] if result.returncode == 0 and result.stdout.split() else None

    def _commit(self, commit: str) -> None:
        raw = self.git.run("cat-file", "commit", commit).stdout
        header, _gap, message = raw.partition("\n\n")
        parents = [line.split()[1] for line in header.splitlines() if line.startswith("parent ")]
        trailers = _trailers(message)
        base = self._base(parents)
        tree, base_tree = self._tree(commit), self._tree(base)
        parent_trees = [self._tree(parent) for parent in parents]
        for path in sorted(set(tree).union(base_tree, *parent_trees)):
            # What the commit holds against what its parents bring: a merge that only combines
            # its parents' changes (each path as git's three-way merge has it) changes nothing.
            merged = _merged(base_tree.get(path), [tree_.get(path) for tree_ in parent_trees])
            if tree.get(path) != merged:
                self._file(commit, parents, base, path, trailers)

    def _file(self, commit: str, parents: list[str], base: str | None, path: str, trailers: dict[str, str]) -> None:
        assert self.account is not None
        office = self.account.is_office
        unit_name = self.account.unit or ""
        task = _TASK_FILE.match(path)
        if office and not task:
            return
        if not task:
            self.refuse(commit, path, unit_name, _("only the office changes the plan and the repository's "
                                                   "files; a unit adds its own reports"))
            return
        entry = self._tree(commit).get(path)
        if entry is not None and not entry.startswith("100"):
            self.refuse(commit, path, unit_name, _("the task file cannot be read"))  # a link or a submodule
            return
        if entry is not None and _too_large(self.git.run("cat-file", "-s", entry.split()[1]).stdout):
            self.refuse(commit, path, unit_name if not office else "", _("the task file cannot be read"))
            return
        plan_id = task.group(1)
        new = _load(self.git.show(commit, path), path)
        old_base = _load(self.git.show(base, path), path) if base else None
        befores = [_load(self.git.show(parent, path), path) for parent in parents]
        if new is _UNREADABLE or old_base is _UNREADABLE or any(before is _UNREADABLE for before in befores):
            self.refuse(commit, path, unit_name if not office else "", _("the task file cannot be read"))
            return
        if not isinstance(new, dict) or not isinstance(_merged_doc(old_base, befores), dict):
            if not office:
                self.refuse(commit, path, unit_name, _("only the office adds or removes tasks"))
            return
        from duban import schemas

        if not schemas.is_valid(schemas.TASK, new):
            self.refuse(commit, path, unit_name if not office else "", _("the task file does not pass the schema "
                                                                         "(duban validate shows why)"))
            return
        units = self._canonical(plan_id, commit)
        reasons = "Reason" in trailers or "Form" in trailers
        undo = "Reverts" in trailers
        # Reports: each unit's reports against what the parents bring (three-way, counted).
        after = _reports(new, units)
        base_reports = _reports(old_base, units)
        parent_reports = [_reports(before, units) for before in befores]
        added: Counter[tuple[str, str]] = Counter()
        removed: Counter[tuple[str, str]] = Counter()
        for item in set(after).union(base_reports, *parent_reports):
            expected = max(0, base_reports[item] + sum(reports[item] - base_reports[item] for reports in parent_reports))
            if after[item] > expected:
                added[item] = after[item] - expected
            elif after[item] < expected:
                removed[item] = expected - after[item]
        self._sealed_check(commit, plan_id, path, removed)
        own = normalise_unit_name(units(self.account.unit)) if self.account.unit else None
        touched_units = {unit for unit, _report in (added + removed)}
        if touched_units and self.relayed:
            problem = self._relayed_signature(commit, plan_id, touched_units, units)
            if problem:
                self.refuse(commit, path, "", problem)
        elif touched_units and (self.account.keys or plan_id in self.rights.signing_required):
            problem = self._signature(commit, plan_id)
            if problem:
                self.refuse(commit, path, unit_name, problem)
        if office:
            for unit in sorted(touched_units):
                if not reasons and not undo and not self.relayed:
                    self.refuse(commit, path, unit, _("the office records or withdraws a unit's report only with a reason "
                                                      "that names the paper or form it came from (--reason)"))
            return
        for unit in sorted(touched_units):
            if unit != own:
                self.refuse(commit, path, unit, _("a unit's reports are written by that unit (or by the office), "
                                                  "not by account {account}").format(account=self.account.name))
        own_touched = own is not None and own in touched_units
        if own is not None and own in touched_units:
            if any(unit == own for unit, _report in added) and not _names_unit(new, own, units):
                self.refuse(commit, path, unit_name, _("the unit neither leads nor supports this task"))
            # A day ahead of the server's own day at most: a report is dated when the unit reported.
            latest = (dt.date.today() + dt.timedelta(days=1)).isoformat()
            for unit, report in added:
                if unit == own and str(json.loads(report).get("date", "")) > latest:
                    self.refuse(commit, path, unit_name, _("the report is dated after the day it is pushed"))
            if any(unit == own for unit, _report in removed) and not (reasons or undo):
                self.refuse(commit, path, unit_name, _("a report is taken back only with a reason "
                                                       "(duban withdraw --reason)"))
        # Fields: a unit changes none but the status its own lead report brings.
        docs = [doc for doc in (old_base, *befores) if isinstance(doc, dict)]
        for key in sorted(set(new).union(*docs)):
            if key == "progress":
                continue
            value = new.get(key)
            expected = _merged(_field(old_base, key), [_field(before, key) for before in befores])
            if value == expected:
                continue
            # `duban progress`, `withdraw` and `undo` move the status with a lead's own report.
            if key == "status" and own_touched and value in _CHANGEABLE_STATUSES and _leads(new, own, units):
                continue
            self.refuse(commit, path, unit_name, _("only the office changes the task's field {field}").format(field=key))

    # ---- signatures ----------------------------------------------------------------------------

    def _signature(self, commit: str, plan_id: str) -> str:
        """Why the commit is not signed by one of the pusher's keys in the access file, or ""."""
        assert self.account is not None
        if not self.account.keys:  # the plan requires signing (see the caller), and nothing can sign
            return _("plan {plan} requires signed reports and account {account} has no key in access.yaml: the office "
                     "adds the account's SSH public key (keys:), and its clone signs (git config gpg.format ssh; "
                     "git config user.signingkey ~/.ssh/id_ed25519.pub; git config commit.gpgsign true)").format(
                plan=plan_id, account=self.account.name)
        if commit not in self._signatures:
            status, signer = self._signer(commit)
            if status == "N" or not status:
                why = _("account {account} has a signing key in the access file: its reports must be signed "
                        "(git config commit.gpgsign true, gpg.format ssh, user.signingkey)").format(account=self.account.name)
            elif status != "G" or signer != self.account.name:
                why = _("the commit is not signed by a key of account {account} (signed by: {signer})").format(
                    account=self.account.name, signer=signer or "?")
            else:
                why = ""
            self._signatures[commit] = why
        return self._signatures[commit]

    def _signer(self, commit: str) -> tuple[str, str]:
        """git's signature status of the commit (%G?: G good, N none…) and the account whose key
        in the access file signed it."""
        import tempfile

        lines = [f'{account.name} namespaces="git" {key}' for account in self.rights.accounts.values()
                 for key in account.keys]
        with tempfile.NamedTemporaryFile("w", suffix=".allowed", encoding="utf-8") as allowed:
            allowed.write("\n".join(lines) + "\n")
            allowed.flush()
            shown = self.git.run("-c", f"gpg.ssh.allowedSignersFile={allowed.name}", "log", "-1",
                                 "--format=%G?%x1f%GS", commit, check=False).stdout.strip()
        status, _sep, signer = shown.partition("\x1f")
        return status, signer

    def _relayed_signature(self, commit: str, plan_id: str, touched: set[str], units: Any) -> str:
        """A report commit the office relays, where signing is in use (the plan requires it, or an
        account of a unit it touches has keys): why it is not signed by the office or by an account
        of the units whose reports it touches, or "". The bundle's account is only a claim; the
        signature is what proves who wrote the report."""
        holders = [account for account in self.rights.accounts.values() if account.unit
                   and normalise_unit_name(units(account.unit)) in touched]
        if plan_id not in self.rights.signing_required and not any(account.keys for account in holders):
            return ""
        status, signer = self._signer(commit)
        account = self.rights.account(signer) if status == "G" else None
        if account is not None and (account.is_office or account in holders):
            return ""
        return _("the report is not signed by a key of its unit's accounts or the office's (signed by: {signer}): "
                 "a bundle's account is only a claim, the signature is the proof").format(
            signer=signer if status == "G" else "-")

    # ---- seals ---------------------------------------------------------------------------------

    def _sealed_check(self, commit: str, plan_id: str, path: str, removed: Counter[tuple[str, str]]) -> None:
        for tag, sealed in self._seals(plan_id, path).items():
            for item in removed:
                if item in sealed:
                    self.refuse(commit, path, item[0], _("the report of {date} is held by the seal {tag}: "
                                                         "it is never changed or removed").format(
                        date=json.loads(item[1]).get("date", "?"), tag=tag.removeprefix("refs/tags/")))

    def _seals(self, plan_id: str, path: str) -> dict[str, Counter[tuple[str, str]]]:
        listed = self.git.run("for-each-ref", "--format=%(refname) %(*objectname) %(objectname)",
                              f"{SEAL_PREFIX}{plan_id}/").stdout.splitlines()
        found: dict[str, Counter[tuple[str, str]]] = {}
        for line in listed:
            parts = line.split()
            if len(parts) < 2:
                continue
            tag, commit = parts[0], parts[1]
            key = (commit, path)
            if key not in self._sealed:
                doc = _load(self.git.show(commit, path), path)
                self._sealed[key] = _reports(doc, self._canonical(plan_id, commit)) if isinstance(doc, dict) else Counter()
            found[tag] = self._sealed[key]
        return found

    # ---- names ---------------------------------------------------------------------------------

    def _canonical(self, plan_id: str, commit: str) -> Any:
        key = (plan_id, commit)
        if key not in self._names:
            registry = None
            doc = _load(self.git.show(commit, f"plans/{plan_id}/plan.yaml"), "plan.yaml")
            if isinstance(doc, dict):
                from duban.model import Unit, UnitRegistry

                try:
                    registry = UnitRegistry(Unit(str(u["name"]), str(u.get("kind", "")), tuple(u.get("aliases", ())))
                                            for u in doc.get("units", ()) if isinstance(u, dict) and "name" in u)
                except (TypeError, ValueError):
                    registry = None
            self._names[key] = (lambda name: registry.own_name(name)) if registry is not None else (lambda name: name)
        return self._names[key]


_CONFLICT = object()
def _too_large(size: str) -> bool:
    from duban.store.files import MAX_FILE_BYTES  # as duban's own reader

    return not size.strip().isdigit() or int(size) > MAX_FILE_BYTES



def _merged(base: Any, parents: list[Any]) -> Any:
    """What a three-way merge of `parents` over `base` holds: the base where no parent changed
    it, the one value the parents that changed it agree on, else _CONFLICT (no commit
    inherits that: whatever it holds is its own change). With no parent, nothing."""
    if not parents:
        return None
    changed = [value for value in parents if value != base]
    if not changed:
        return base
    if all(value == changed[0] for value in changed):
        return changed[0]
    return _CONFLICT


def _merged_doc(base: Any, parents: list[Any]) -> Any:
    """The task document the parents bring: present (a dict) unless the merge removes it."""
    merged = _merged(base if isinstance(base, dict) else None, [p if isinstance(p, dict) else None for p in parents])
    if merged is _CONFLICT:  # both sides changed it: it stays, with both changes
        return next((p for p in parents if isinstance(p, dict)), None)
    return merged


def _field(doc: Any, key: str) -> Any:
    return doc.get(key) if isinstance(doc, dict) else None


def _reports(doc: Any, canonical: Any) -> Counter[tuple[str, str]]:
    """(unit, the report as canonical JSON) for each report of a task document, repeats counted."""
    found: Counter[tuple[str, str]] = Counter()
    if not isinstance(doc, dict):
        return found
    for report in progress_layout.flat(doc.get("progress")):
        if not isinstance(report, dict):
            found[("", json.dumps(report, default=str, ensure_ascii=False))] += 1
            continue
        unit = report.get("by")
        name = normalise_unit_name(canonical(str(unit))) if unit else ""
        fields = {str(k): v for k, v in report.items() if k != "by"}
        found[(name, json.dumps(fields, default=str, sort_keys=True, ensure_ascii=False))] += 1
    return found


def _unit_list(doc: dict[str, Any], key: str, canonical: Any) -> set[str]:
    names = doc.get(key) or ()
    return {normalise_unit_name(canonical(str(name))) for name in names} if isinstance(names, list) else set()


def _names_unit(doc: dict[str, Any], unit: str, canonical: Any) -> bool:
    return unit in _unit_list(doc, "lead", canonical) | _unit_list(doc, "support", canonical)


def _leads(doc: dict[str, Any], unit: str | None, canonical: Any) -> bool:
    return unit is not None and unit in _unit_list(doc, "lead", canonical)


def parse_updates(text: str) -> list[tuple[str, str, str]]:
    """The pre-receive hook's stdin: `OLD NEW REF` per line."""
    updates = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append((parts[0], parts[1], parts[2]))
    return updates


def guard(updates: list[tuple[str, str, str]], environment: dict[str, str] | None = None,
          git_dir: str | None = None) -> list[Refusal]:
    """The refusals for a push of `updates` into the repository at `git_dir` (or GIT_DIR)."""
    environment = dict(os.environ) if environment is None else environment
    checker = Guard(_Git(git_dir), access_file.pusher(environment))
    return checker.check(updates)
