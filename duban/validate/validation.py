"""`duban validate` as a function: each plan's files read, cached and checked against the schema
and the rules (which files: targets.py; a file to its document: loading.py).

Returns problems as data (a ValidationReport); printing them is the interfaces' job.
Files are parsed once with the fast loader; only a file that has problems is parsed
again, with ruamel round-trip, to give each problem its line and column. A plan whose files
are those of a run that found no problem is not parsed at all, and the YAML, schema and
check modules are then not even imported.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duban.i18n import _
from duban.memory import paused as paused_gc
from duban.model import Plan
from duban.problems import Problem, RuleId, Severity
from duban.store.cache.digests import digest
from duban.store.cache.parse_cache import ParseCache
from duban.store.files import read_bytes
from duban.store.layout import PLAN_FILE, PLANS, TASK_SUFFIXES, TASKS, find_root
from duban.store.parse_helpers import MIN_FILES, Parsed, ParsedAhead, ParseHelpers
from duban.store.task_files import TaskEntry, outside_link, scan_tasks
from duban.validate.loading import duplicate_id, load_document, locate_all, parse_document, problem_of
from duban.validate.targets import ALL, shown_path, targets


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if not p.is_error)


class _PlanChecker:
    """Checks one plan folder: its plan.yaml and the requested task files."""

    def __init__(
        self,
        folder: Path,
        report: ValidationReport,
        cache: ParseCache | None = None,
        helpers: ParseHelpers | None = None,
    ) -> None:
        self.folder = folder
        self.report = report
        self.cache = cache
        self.helpers = helpers
        self.docs: dict[str, dict[str, Any]] = {}
        self.plan: Plan | None = None
        self.plan_key: bytes | None = None  # hash of plan.yaml, when it is valid
        self.stems: Counter[str] = Counter()
        self.known: dict[str, str] = {}  # id -> file name of every task file of the plan
        self._read: dict[
            str, tuple[bytes, bytes]
        ] = {}  # path -> (bytes, digest), read once for the verdict and the checks
        self._vouched: dict[str, bytes] = {}  # path -> digest its stat record gave, for files not read
        self.verdict: bytes | None = None  # this plan's state, when it can be remembered as clean
        self._chosen: list[Path] = []  # the task files finish() checks
        self._ahead: ParsedAhead | None = None
        self._clean_so_far = False  # no problem found by prepare()
        self._cwd = os.getcwd() + os.sep  # what _shown takes off a path, once

    def run(self, requested: set[Path] | None) -> None:
        if self.prepare(requested):
            self.finish()

    def prepare(self, requested: set[Path] | None) -> bool:
        """Everything before the task files' checks: the scan, the verdict, plan.yaml, and
        the files handed to helper processes. True when the files are left to finish()."""
        if outside_link(self.folder, self.folder.parent.parent) is not None:
            self.report.problems.append(
                Problem(
                    shown_path(self.folder),
                    _("plan folder is a symlink outside the repository; duban does not follow it"),
                    RuleId.OUTSIDE_LINK,
                )
            )
            return False
        start = len(self.report.problems)
        tasks_folder = self.folder / TASKS
        if outside_link(tasks_folder, self.folder.parent.parent) is not None:
            self.report.problems.append(
                Problem(
                    shown_path(tasks_folder),
                    _("tasks folder is a symlink outside the repository; duban does not follow it"),
                    RuleId.OUTSIDE_LINK,
                )
            )
            return False
        if requested is ALL and self._unchanged_without_a_scan():
            return False
        states = self.cache.file_states(tasks_folder) if self.cache is not None and requested is ALL else None
        before = states.folder_stat() if states is not None else None
        found = scan_tasks(tasks_folder) if requested is ALL else []
        if self.helpers is not None and states is not None:
            self.helpers.start(len(found) - len(states.records))  # files never read before: most need parsing
        if states is not None:
            states.keep_listing(before, found)
        if requested is ALL and self._unchanged_since_a_clean_run(found):
            self.report.files_checked += 1 + len(found)
            return False
        verdict_plan_key = self.plan_key
        self.plan = self._check_plan()
        if self.plan_key != verdict_plan_key:
            self.verdict = None  # plan.yaml changed since the verdict's digest of it was taken
        if requested is ALL:
            named = [(entry.stem, os.path.basename(entry.path)) for entry in found]
        else:
            # A few files (a pre-commit run, one progress report): names are enough, no sort,
            # no stats; a path is made only for a parent that is looked up.
            names = os.listdir(tasks_folder) if tasks_folder.is_dir() else []
            named = [(n[: n.rindex(".")], n) for n in names if n.endswith(TASK_SUFFIXES) and not n.startswith(".")]
        self.stems = Counter(stem for stem, _name in named)
        self.known = dict(named)
        # Paths are made only now: 10,000 of them cost more than the rest of a clean run.
        self._chosen = [Path(entry.path) for entry in found] if requested is ALL else sorted(requested or ())
        self._ahead = self._parse_ahead(self._chosen)
        self._clean_so_far = len(self.report.problems) == start
        return True

    def finish(self) -> None:
        """The task files' checks, after prepare(); other plans may have been prepared since."""
        start = len(self.report.problems)
        for path in self._chosen:
            self.report.files_checked += 1
            data, read_key = self._read.pop(str(path), (None, None))
            self._check_file(path, data, read_key, self._ahead)
        if self.verdict is not None and self._clean_so_far and len(self.report.problems) == start:
            self.cache.add_verdict(self.verdict)  # type: ignore[union-attr]

    def _unchanged_without_a_scan(self) -> bool:
        """Whether git vouches for the tasks folder and each of its files as last kept
        (cache.FileStates.unchanged_key), and that state with this plan.yaml is one a past run
        found without any problem: then not even the folder is scanned."""
        if self.cache is None:
            return False
        states = self.cache.file_states(self.folder / TASKS)
        key = states.unchanged_key()
        if key is None:
            return False
        try:
            plan_key = digest(read_bytes(str(self.folder / PLAN_FILE)))
        except OSError:
            return False
        if not self.cache.has_verdict(digest(plan_key + key)):
            return False
        self.report.files_checked += 1 + len(states.records)
        return True

    def _unchanged_since_a_clean_run(self, found: list[TaskEntry]) -> bool:
        """Whether this plan, plan.yaml and task files byte for byte, is one a past run found
        without any problem.

        Every task file whose stat fields changed since it was last read is read and hashed
        (an edit that keeps the size and mtime still changes the ctime: see cache.FileStates),
        and plan.yaml always is; what is skipped is reading unchanged task files, parsing,
        loading the parse cache and the checks. Symlinked files are always checked, since
        where they lead is not in their bytes."""
        self._read = {}
        self._vouched = {}
        self.verdict = None
        if self.cache is None or any(entry.is_link for entry in found):
            return False
        try:
            self.plan_key = digest(read_bytes(str(self.folder / PLAN_FILE)))
        except OSError:
            return False
        states = self.cache.file_states(self.folder / TASKS)
        named = []
        for entry, outcome in zip(found, states.read_all(found, read_bytes)):
            if isinstance(outcome, OSError):
                return False
            data, key = outcome
            if data is not None:
                self._read[entry.path] = (data, key)
            else:
                self._vouched[entry.path] = key
            named.append((entry.path[entry.path.rindex(os.sep) + 1 :], key))
        self.verdict = digest(self.plan_key + states.key(named))
        if self.cache.has_verdict(self.verdict):
            states.save()
            return True
        return False

    def _parse_ahead(self, chosen: list[Path]) -> ParsedAhead | None:
        """The files among `chosen` that the scan read and no cache holds parsed, handed in
        part to the helper processes (parse_helpers), which parse them while this one checks."""
        if self.helpers is None or len(self._read) < MIN_FILES:
            return None
        parsed = self.cache.slot(self.folder.name) if self.cache is not None else None
        items = []
        for path in chosen:
            name = str(path)
            read = self._read.get(name)
            if read is not None and (parsed is None or parsed.get(read[1]) is None):
                items.append((name, read[0]))
        return self.helpers.split(items)

    def _check_file(
        self, path: Path, data: bytes | None, read_key: bytes | None = None, ahead: ParsedAhead | None = None
    ) -> None:
        """Check one task file; `data` and `read_key`, its bytes and their digest when the scan
        read them already; `ahead`, what helper processes parsed."""
        from duban.store import yamlio  # imported here: a clean run needs none of the parsing modules

        # Names as text, worked out once: 10,000 files' Path.stem and os.getcwd() calls were a
        # fortieth of a first run.
        name = str(path)
        shown = shown_path(name, self._cwd)
        stem = name[name.rindex(os.sep) + 1 : name.rindex(".")]
        if data is None:
            if outside_link(path, self.folder.parent.parent) is not None:
                self.report.problems.append(
                    Problem(
                        shown,
                        _("symlink to a file outside the repository; duban does not follow it"),
                        RuleId.OUTSIDE_LINK,
                    )
                )
                return
            try:
                data = path.read_bytes()
            except OSError as error:
                self.report.problems.append(
                    Problem(shown, _("cannot read file: {reason}").format(reason=error.strerror), RuleId.IO)
                )
                return
        key = (read_key or digest(data)) if self.cache is not None else None
        if self._vouched.get(name, key) != key:
            self.verdict = None  # changed since the verdict's digests were taken: they are not what was checked
        parsed = self.cache.slot(self.folder.name) if self.cache is not None else None
        cached = parsed.get(key) if parsed is not None and key is not None else None
        if cached is not None:
            # Parsed and schema-valid before: only the checks against the plan remain, and
            # those too were done before when neither this file nor plan.yaml changed (a
            # task with a parent depends on another file, so it is always checked).
            self.docs[stem] = cached
            checked = digest(b"checked:" + key + self.plan_key) if self.plan_key else None  # type: ignore[operator]
            if (
                checked is not None
                and "parent" not in cached
                and self.stems[stem] == 1
                and parsed.get(checked) is not None  # type: ignore[union-attr]
            ):
                return
            problems = self._check_against_plan(path, stem, cached, data)
            if checked is not None and not problems and "parent" not in cached:
                parsed.put(checked, True)  # type: ignore[union-attr]
            self.report.problems += problems
            return
        try:
            text = yamlio.decode(data, shown)
        except yamlio.YamlError as error:
            self.report.problems.append(problem_of(error, shown))
            return
        problems = self.check_text(path, text, ahead.take(name) if ahead is not None else None, shown=shown, stem=stem)
        if key is not None and stem in self.docs and not any(p.rule.startswith(RuleId.SCHEMA) for p in problems):
            parsed.put(key, self.docs[stem])  # type: ignore[union-attr]
        self.report.problems += problems

    def _check_against_plan(self, path: Path, stem: str, doc: dict[str, Any], data: bytes) -> list[Problem]:
        # Deferred: a clean run needs none of the parsing modules
        from duban.store import yamlio
        from duban.validate import checks

        shown = shown_path(path)
        problems: list[Problem] = []
        if self.stems[stem] > 1:
            problems.append(duplicate_id(shown, stem))
        text = yamlio.decode(data, shown)
        if self.plan is not None:
            problems += checks.check_task(doc, stem, self.plan, shown, self._parent_of, text)
        if not any(p.rule == RuleId.CONTROL_CHARACTER for p in problems):  # a tab in a value: said once
            problems += _read_differently(doc, text, shown)
        return locate_all(problems, {shown: text}) if problems else []

    def check_text(
        self, path: Path, text: str, parsed: Parsed | None = None, *, shown: str | None = None, stem: str | None = None
    ) -> list[Problem]:
        """Problems of one task file's text, located; the plan must have been checked first.
        `parsed`: its document and scalar notes as a helper process parsed them; `shown` and
        `stem`, the path as shown and the file's stem, when the caller has them."""
        # Deferred: a clean run needs none of the parsing modules
        from duban import schemas
        from duban.store import yaml_loader
        from duban.validate import checks

        shown = shown if shown is not None else shown_path(path)
        stem = stem if stem is not None else path.stem
        notes = yaml_loader.ScalarNotes()
        problems: list[Problem]
        if parsed is not None:
            doc, problems = parsed[0], []
            notes.dates, notes.ambiguous, notes.complete = parsed[1], parsed[2], parsed[3]
        else:
            doc, problems = parse_document(text, shown, notes)
        if doc is not None:
            problems = schemas.check(schemas.TASK, doc, shown)
            if not problems:
                self.docs[stem] = doc
                if self.stems[stem] > 1:
                    problems.append(duplicate_id(shown, stem))
                if self.plan is not None:
                    problems += checks.check_task(doc, stem, self.plan, shown, self._parent_of, text)
                if not any(p.rule == RuleId.CONTROL_CHARACTER for p in problems):  # a tab in a value: said once
                    problems += _read_differently(doc, text, shown, notes if notes.complete else None)
        return locate_all(problems, {shown: text}) if problems else []

    def _check_plan(self) -> Plan | None:
        # Deferred: a clean run needs none of the parsing modules
        from duban import schemas
        from duban.validate import checks

        path = self.folder / PLAN_FILE
        shown = shown_path(path)
        if not path.is_file():
            self.report.problems.append(
                Problem(
                    shown_path(self.folder), _("plan folder has no {name}").format(name=PLAN_FILE), RuleId.MISSING_PLAN
                )
            )
            return None
        text, doc, problems = load_document(path, shown)
        self.report.files_checked += 1
        self.plan_key = None
        if text is not None:
            try:
                self.plan_key = digest(path.read_bytes())  # as the verdict takes it
            except OSError:
                pass
        if doc is not None:
            problems = schemas.check(schemas.PLAN, doc, shown)
            if not problems:
                problems = checks.check_plan(doc, self.folder.name, shown)
        self.report.problems += locate_all(problems, {shown: text} if text else {})
        if doc is None or any(p.is_error for p in problems):
            self.plan_key = None
            return None
        return Plan.from_document(doc, self.folder)

    def _parent_of(self, task_id: str) -> str | None:
        """Parent id of another task in this plan; KeyError when there is no such task."""
        from duban import schemas  # imported here: a clean run needs none of the parsing modules

        if task_id not in self.docs:
            path = self.folder / TASKS / self.known[task_id]  # KeyError: no such task
            _text, doc, problems = load_document(path, shown_path(path))
            if problems or not schemas.is_valid(schemas.TASK, doc):
                return None  # its own problems are reported when it is checked
            self.docs[task_id] = doc
        parent = self.docs[task_id].get("parent")
        return None if parent is None else str(parent)


def _read_differently(doc: Any, text: str, shown: str, notes: Any = None) -> list[Problem]:
    """What duban's writer would read otherwise than validate did: the one rule both ask
    (store/writable.py), so validate refuses whatever a write would refuse."""
    # Deferred: loads duban.store.writable (7 duban modules in all; yaml) only when this runs
    from duban.store import writable

    return writable.problems(doc, text, shown, notes)


def check_task_text(path: Path, text: str) -> list[Problem]:
    """The problems the task file at `path` would have if it held `text` (nothing is written);
    problems of its plan.yaml come first."""
    # The folder resolved, not the file: a task file that is a symlink is checked under its own
    # name, as validate checks it (a link 3b.yaml to 3.yaml holds id 3, not 3b: audit N15).
    path = path.parent.resolve() / path.name
    checker = _PlanChecker(path.parent.parent, ValidationReport())
    checker.run(set())
    return checker.report.problems + checker.check_text(path, text)


def validate(paths: Iterable[Path] = (), root: Path | None = None) -> ValidationReport:
    """Check the given files and folders, or every plan of the repository at `root`."""
    paths = list(paths)
    if not paths:
        paths = [(root or find_root()) / PLANS]
    wanted, problems = targets(paths)
    report = ValidationReport(problems=problems)
    # plans/<plan-id>/ sits two levels below the repository root, whose .git holds the cache.
    cache = ParseCache(root or next(iter(wanted)).parent.parent) if wanted else None
    helpers = ParseHelpers.for_this_machine()

    def finish(prepared: list[_PlanChecker]) -> None:
        for checker in prepared:
            with paused_gc():
                checker.finish()
        prepared.clear()

    try:
        with cache.one_look() if cache is not None else contextlib.nullcontext():  # one git look, every plan
            prepared: list[_PlanChecker] = []
            for folder, requested in wanted.items():
                # Documents and problems form no cycles: the collector would only rescan them (a
                # fifth of a first run's time on 10,000 files); it runs again between plans.
                checker = _PlanChecker(folder, report, cache, helpers)
                with paused_gc():
                    if checker.prepare(requested):
                        prepared.append(checker)
                if helpers is None or not helpers.started:
                    # Checked at once, so that one plan's files are held at a time; with helpers,
                    # every plan is read first, and they parse while this process reads.
                    finish(prepared)
            finish(prepared)
    finally:
        if helpers is not None:
            helpers.close()
    if cache is not None:
        cache.save()
    severity_order = {Severity.ERROR: 0, Severity.WARNING: 1}
    report.problems.sort(key=lambda p: (p.path, p.line or 0, p.col or 0, severity_order[p.severity]))
    return report
