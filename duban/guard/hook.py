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
import re
from collections import Counter
from typing import Any

from duban.guard import access as access_file
from duban.guard.received import UNREADABLE, ReceivingGit, load_document, trailers_of
from duban.guard.refusal import Refusal
from duban.guard.signed_pushes import why_not_signed, why_relay_not_signed
from duban.guard.task_documents import (
    field_of,
    leads_task,
    merged_document,
    merged_value,
    names_unit,
    reports_by_unit,
    reports_changed,
    too_large,
)
from duban.i18n import _
from duban.reading import normalise_unit_name
from duban.states import Status

ZERO = "0" * 40
SEAL_PREFIX = "refs/tags/duban/seal/"
_TASK_FILE = re.compile(r"^plans/([^/]+)/tasks/[^/]+\.ya?ml$")
# A unit may give any status with its report but cancelled, which only the office sets.
_CHANGEABLE_STATUSES = frozenset(Status) - {Status.CANCELLED}


class Guard:
    def __init__(self, git: ReceivingGit, account_name: str | None, relayed: bool = False) -> None:
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
            self.refuse(
                "",
                "",
                "",
                _(
                    "the pusher's account is unknown (none of {variables} is set, or they "
                    "disagree): the hosting must name it"
                ).format(variables=", ".join(access_file.ACCOUNT_VARIABLES)),
            )
            return None
        self.shared = self._shared_branch()
        head = self.git.run("rev-parse", "--verify", "--quiet", f"{self.shared}^{{commit}}", check=False).stdout.strip()
        text = self.git.show(head, access_file.FILE) if head else None
        if text is None:
            offices = self.git.run("config", "--get-all", "duban.office", check=False).stdout.split()
            if self.account_name in offices:
                return access_file.Account(self.account_name, access_file.OFFICE)
            self.refuse(
                "",
                access_file.FILE,
                "",
                _("the shared repository has no access file yet: only the office ({offices}) may push").format(
                    offices=", ".join(offices) or "-"
                ),
            )
            return None
        rights, problems = access_file.parse(text)
        self.rights = rights
        if problems:
            self.refuse(
                "",
                access_file.FILE,
                "",
                _("the access file on the shared branch has errors; the office must correct it"),
            )
            return None
        account = rights.account(self.account_name)
        if account is None:
            self.refuse(
                "",
                access_file.FILE,
                "",
                _("account {account} is not in the access file").format(account=self.account_name),
            )
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
                self.refuse(
                    ref,
                    "",
                    "",
                    _("a unit pushes only to the shared branch {branch}").format(
                        branch=shared.removeprefix("refs/heads/")
                    ),
                )
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
            self._commits(
                self.git.run("rev-list", "--reverse", "--topo-order", *fresh, "--not", "--all").stdout.split()
            )
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
            reverted = trailers_of(message).get("Reverts", "")
            parents = [line for line in header.splitlines() if line.startswith("parent ")]
            if (
                reverted in pending
                and reverted not in found
                and len(parents) == 1
                and self.git.run("rev-list", "--no-walk", "--count", f"{reverted}^@").stdout.strip() == "1"
                and self._changes(reverted, inverse=True) == self._changes(commit)
                and self._changes(commit)
            ):
                found |= {reverted, commit}
        return found

    def _changes(self, commit: str, inverse: bool = False) -> set[tuple[str, str, str]]:
        """(path, object before, object after) for each file a single-parent commit changes."""
        changes = set()
        # -z: each change is its ":mode mode before after status" and its path as it is, each
        # ended by a NUL (without it git quotes a path with a double quote or a tab)
        fields = self.git.run(
            "diff-tree", "-r", "-z", "--no-commit-id", "--no-renames", "-m", "--first-parent", commit
        ).stdout.split("\0")
        for meta, path in zip(fields[0::2], fields[1::2]):
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
        trailers = trailers_of(message)
        base = self._base(parents)
        tree, base_tree = self._tree(commit), self._tree(base)
        parent_trees = [self._tree(parent) for parent in parents]
        for path in sorted(set(tree).union(base_tree, *parent_trees)):
            # What the commit holds against what its parents bring: a merge that only combines
            # its parents' changes (each path as git's three-way merge has it) changes nothing.
            merged = merged_value(base_tree.get(path), [tree_.get(path) for tree_ in parent_trees])
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
            self.refuse(
                commit,
                path,
                unit_name,
                _("only the office changes the plan and the repository's files; a unit adds its own reports"),
            )
            return
        versions = self._task_versions(commit, parents, base, path)
        if versions is None:
            return
        new, old_base, befores = versions
        plan_id = task.group(1)
        units = self._canonical(plan_id, commit)
        reasons = "Reason" in trailers or "Form" in trailers
        undo = "Reverts" in trailers
        added, removed = reports_changed(new, old_base, befores, units)
        self._sealed_check(commit, plan_id, path, removed)
        own = normalise_unit_name(units(self.account.unit)) if self.account.unit else None
        touched_units = {unit for unit, _report in (added + removed)}
        if touched_units:
            self._signature_check(commit, path, plan_id, touched_units, units)
        if office:
            if not reasons and not undo and not self.relayed:
                for unit in sorted(touched_units):
                    self.refuse(
                        commit,
                        path,
                        unit,
                        _(
                            "the office records or withdraws a unit's report only with a reason "
                            "that names the paper or form it came from (--reason)"
                        ),
                    )
            return
        self._unit_reports_check(commit, path, new, units, own, added, removed, reasons or undo)
        own_touched = own is not None and own in touched_units
        self._fields_check(commit, path, new, old_base, befores, units, own if own_touched else None)

    def _task_versions(
        self, commit: str, parents: list[str], base: str | None, path: str
    ) -> tuple[dict[str, Any], Any, list[Any]] | None:
        """The task file as the commit has it, at the merge base and in each parent; None where the
        file is refused as unreadable or invalid, or where the commit adds or removes the task."""
        assert self.account is not None
        office = self.account.is_office
        unit_name = self.account.unit or ""
        # The office's own commit is refused as a commit, not as any unit's (no unit named).
        refused_unit = unit_name if not office else ""
        entry = self._tree(commit).get(path)
        if entry is not None and not entry.startswith("100"):
            self.refuse(commit, path, unit_name, _("the task file cannot be read"))  # a link or a submodule
            return None
        if entry is not None and too_large(self.git.run("cat-file", "-s", entry.split()[1]).stdout):
            self.refuse(commit, path, refused_unit, _("the task file cannot be read"))
            return None
        new = load_document(self.git.show(commit, path), path)
        old_base = load_document(self.git.show(base, path), path) if base else None
        befores = [load_document(self.git.show(parent, path), path) for parent in parents]
        if new is UNREADABLE or old_base is UNREADABLE or any(before is UNREADABLE for before in befores):
            self.refuse(commit, path, refused_unit, _("the task file cannot be read"))
            return None
        if not isinstance(new, dict) or not isinstance(merged_document(old_base, befores), dict):
            if not office:
                self.refuse(commit, path, unit_name, _("only the office adds or removes tasks"))
            return None
        # Deferred: loads duban.schemas only when this runs
        from duban import schemas

        if not schemas.is_valid(schemas.TASK, new):
            self.refuse(
                commit, path, refused_unit, _("the task file does not pass the schema (duban validate shows why)")
            )
            return None
        return new, old_base, befores

    def _signature_check(self, commit: str, path: str, plan_id: str, touched_units: set[str], units: Any) -> None:
        """A commit that adds or takes back reports is signed: by the units whose reports an office's
        relay carries, else by the pusher where its account has keys or the plan requires signing."""
        assert self.account is not None
        if self.relayed:
            problem = why_relay_not_signed(self.git, self.rights, commit, plan_id, touched_units, units)
            if problem:
                self.refuse(commit, path, "", problem)
        elif self.account.keys or plan_id in self.rights.signing_required:
            problem = why_not_signed(self.git, self.rights, self.account, commit, plan_id, self._signatures)
            if problem:
                self.refuse(commit, path, self.account.unit or "", problem)

    def _unit_reports_check(
        self,
        commit: str,
        path: str,
        new: dict[str, Any],
        units: Any,
        own: str | None,
        added: Counter[tuple[str, str]],
        removed: Counter[tuple[str, str]],
        with_reason: bool,
    ) -> None:
        """A unit's account adds and takes back its own unit's reports only: on a task its unit leads
        or supports, dated no later than tomorrow, taken back only with a reason."""
        assert self.account is not None
        unit_name = self.account.unit or ""
        for unit in sorted({unit for unit, _report in (added + removed)}):
            if unit != own:
                self.refuse(
                    commit,
                    path,
                    unit,
                    _("a unit's reports are written by that unit (or by the office), not by account {account}").format(
                        account=self.account.name
                    ),
                )
        if own is None:
            return
        own_added = [report for unit, report in added if unit == own]
        if own_added and not names_unit(new, own, units):
            self.refuse(commit, path, unit_name, _("the unit neither leads nor supports this task"))
        # A day ahead of the server's own day at most: a report is dated when the unit reported.
        latest = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        if any(str(json.loads(report).get("date", "")) > latest for report in own_added):
            self.refuse(commit, path, unit_name, _("the report is dated after the day it is pushed"))
        if any(unit == own for unit, _report in removed) and not with_reason:
            self.refuse(
                commit, path, unit_name, _("a report is taken back only with a reason (duban withdraw --reason)")
            )

    def _fields_check(
        self,
        commit: str,
        path: str,
        new: dict[str, Any],
        old_base: Any,
        befores: list[Any],
        units: Any,
        own_reporting: str | None,
    ) -> None:
        """A unit changes none of the task's fields but the status its own lead report brings
        (`own_reporting`: the pusher's unit where the commit touches its reports, else None)."""
        assert self.account is not None
        unit_name = self.account.unit or ""
        docs = [doc for doc in (old_base, *befores) if isinstance(doc, dict)]
        for key in sorted(set(new).union(*docs)):
            if key == "progress":
                continue
            value = new.get(key)
            expected = merged_value(field_of(old_base, key), [field_of(before, key) for before in befores])
            if value == expected:
                continue
            # `duban progress`, `withdraw` and `undo` move the status with a lead's own report.
            if (
                key == "status"
                and own_reporting is not None
                and value in _CHANGEABLE_STATUSES
                and leads_task(new, own_reporting, units)
            ):
                continue
            self.refuse(
                commit, path, unit_name, _("only the office changes the task's field {field}").format(field=key)
            )

    # ---- seals ---------------------------------------------------------------------------------

    def _sealed_check(self, commit: str, plan_id: str, path: str, removed: Counter[tuple[str, str]]) -> None:
        for tag, sealed in self._seals(plan_id, path).items():
            for item in removed:
                if item in sealed:
                    self.refuse(
                        commit,
                        path,
                        item[0],
                        _("the report of {date} is held by the seal {tag}: it is never changed or removed").format(
                            date=json.loads(item[1]).get("date", "?"), tag=tag.removeprefix("refs/tags/")
                        ),
                    )

    def _seals(self, plan_id: str, path: str) -> dict[str, Counter[tuple[str, str]]]:
        listed = self.git.run(
            "for-each-ref", "--format=%(refname) %(*objectname) %(objectname)", f"{SEAL_PREFIX}{plan_id}/"
        ).stdout.splitlines()
        found: dict[str, Counter[tuple[str, str]]] = {}
        for line in listed:
            parts = line.split()
            if len(parts) < 2:
                continue
            tag, commit = parts[0], parts[1]
            key = (commit, path)
            if key not in self._sealed:
                doc = load_document(self.git.show(commit, path), path)
                self._sealed[key] = (
                    reports_by_unit(doc, self._canonical(plan_id, commit)) if isinstance(doc, dict) else Counter()
                )
            found[tag] = self._sealed[key]
        return found

    # ---- names ---------------------------------------------------------------------------------

    def _canonical(self, plan_id: str, commit: str) -> Any:
        key = (plan_id, commit)
        if key not in self._names:
            registry = None
            doc = load_document(self.git.show(commit, f"plans/{plan_id}/plan.yaml"), "plan.yaml")
            if isinstance(doc, dict):
                # Deferred: loads duban.model only when this runs
                from duban.model import Unit, UnitRegistry

                try:
                    registry = UnitRegistry(
                        Unit(str(u["name"]), str(u.get("kind", "")), tuple(u.get("aliases", ())))
                        for u in doc.get("units", ())
                        if isinstance(u, dict) and "name" in u
                    )
                except (TypeError, ValueError):
                    registry = None
            self._names[key] = (lambda name: registry.own_name(name)) if registry is not None else (lambda name: name)
        return self._names[key]
