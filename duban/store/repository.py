"""A plan repository on disk: finding it, its plans, their task files, and task references.

Layout: <root>/plans/<plan-id>/plan.yaml and <root>/plans/<plan-id>/tasks/<id>.yaml.
Reads go through the fast loader; a file that does not load or fails its schema is
reported as a Problem and left out, never half-read. The YAML and schema modules are imported
only when a file has to be parsed: a warm start from the caches needs neither.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duban.errors import DubanError, UnknownRef
from duban.i18n import _
from duban.model import Plan, Task, natural_key
from duban.problems import Problem, RuleId
from duban.store.files import read_bytes
from duban.store.gitstore import Git
from duban.store.layout import PLAN_FILE, PLANS, TASK_SUFFIXES, TASKS, find_root, git_folder
from duban.store.task_files import TaskEntry, outside_link, scan_tasks

if TYPE_CHECKING:
    from duban.store.cache.parse_cache import ParseCache
    from duban.store.cache.task_index import TaskIndex
    from duban.store.gitindex import GitView


@dataclass
class Loaded:
    """Tasks that loaded cleanly, and problems with the files that did not."""

    tasks: list[Task] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def typed_ref(ref: str) -> str:
    """A ref as a clerk may type it, read as written (2019-changning/3): full-width forms
    (2019-changning／３), spaces around it or its slash, and 第3项 for 3."""
    ref = re.sub(r"\s*/\s*", "/", unicodedata.normalize("NFKC", ref).strip())
    return re.sub(r"(^|/)第(\S+?)项$", r"\1\2", ref)


class Repository:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._plans: dict[str, tuple[bytes, Plan]] = {}  # plan id -> (plan.yaml's bytes, plan)
        self._cache: ParseCache | None = None
        self._git: Git | None = None

    @property
    def git(self) -> Git:
        """The repository's one git runner: what it checks once (git is there, the git folder,
        a linked worktree's too) is checked once for every command and screen on it."""
        if self._git is None:
            self._git = Git(self.root)
        return self._git

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[bool]:
        """Hold the repository's one writer lock (store/locking.py) for the block, in the git
        folder of this work tree (a linked work tree's own, where git keeps its index): every
        writer, the TUI's and an import's included, holds it while it writes. A folder not
        under git (an import before `git init`) has no writer to wait for: nothing is locked,
        and the block is told so (False)."""
        # Deferred: loads duban.store.locking only when this runs
        from duban.store.locking import repository_lock

        git_dir = git_folder(self.root)
        if git_dir is None:
            inside = self.git.run("rev-parse", "--git-dir", check=False)
            if inside.returncode != 0:
                yield False
                return
            git_dir = (self.root / inside.stdout.strip()).resolve()
        with repository_lock(git_dir):
            yield True

    def parse_cache(self) -> ParseCache:
        """The repository's cache of parsed task files, loaded once per Repository."""
        if self._cache is None:
            # Deferred: loads duban.store.cache.parse_cache (12 duban modules in all) only when this runs
            from duban.store.cache.parse_cache import ParseCache

            self._cache = ParseCache(self.root)
        return self._cache

    def look_ahead(self, view: GitView | None = None) -> None:
        """Start git's look at the task files now, or take `view`, one started already
        (cache.ParseCache.look_ahead): at the start of a command that only reads."""
        self.parse_cache().look_ahead(view)

    def one_look(self) -> contextlib.AbstractContextManager[None]:
        """A block in which every plan's files are checked against one look of git's
        (cache.ParseCache.one_look): around a read of many plans, never around a write."""
        return self.parse_cache().one_look()

    @classmethod
    def find(cls, start: Path | None = None, explicit: str | None = None) -> Repository:
        return cls(find_root(start, explicit))

    @property
    def plans_folder(self) -> Path:
        return self.root / PLANS

    def display(self, path: Path) -> str:
        """A path as users see it in messages: relative to the repository root."""
        text, root = str(path), str(self.root)
        if os.sep == "/" and root != "/" and text.startswith(root + "/") and "/." not in text[len(root) :]:
            return text[len(root) + 1 :]  # what relative_to gives, without its parsing (10,000 rows in a list)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def plan_ids(self) -> list[str]:
        """The plans here: a plan folder that is a symlink out of the repository is none (N12:
        `validate` names it; `list` and `plans` go on with the others)."""
        return sorted(
            p.name
            for p in self.plans_folder.iterdir()
            if p.is_dir() and not p.name.startswith(".") and outside_link(p, self.root) is None
        )

    def plan(self, plan_id: str) -> Plan:
        """The plan as its plan.yaml says now: re-read whenever the file's bytes change (a
        `git pull` that adds a unit is seen by a long-lived Repository, such as the TUI's)."""
        folder = self.plans_folder / plan_id
        if "/" in plan_id or plan_id.startswith(".") or not folder.is_dir() or outside_link(folder, self.root):
            raise UnknownRef(_("no plan {plan!r}").format(plan=plan_id), hint=self._plans_here())
        path = folder / PLAN_FILE
        try:
            data: bytes | None = read_bytes(str(path))
        except OSError:
            data = None  # _load_checked says what is wrong
        known = self._plans.get(plan_id)
        if known is not None and data is not None and known[0] == data:
            return known[1]
        plan = Plan.from_document(self._plan_document(path, data), folder)
        if data is not None:
            self._plans[plan_id] = (data, plan)
        return plan

    def _plan_document(self, path: Path, data: bytes | None) -> dict[str, Any]:
        """plan.yaml's document, from the cache when these bytes loaded and passed before."""
        if data is None:
            return self._load_checked(path, "plan")  # says what is wrong
        # Deferred: loads duban.store.cache.digests (2 duban modules in all) only when this runs
        from duban.store.cache.digests import digest

        cache = self.parse_cache()
        key = digest(b"plan:" + data)
        doc = cache.plan_document(key)
        if doc is None:
            doc = self._load_checked(path, "plan", data)
            cache.put_plan_document(key, doc)
        return doc

    def plans(self) -> list[Plan]:
        return [self.plan(plan_id) for plan_id in self.plan_ids()]

    def load_tasks(self, plan_id: str) -> Loaded:
        """The plan's tasks in the order people number them, and problems with files that do
        not load. A file is read and hashed only when its stat fields differ from those it had
        when last read (cache.FileStates); parsing is skipped for bytes seen before, and
        building tasks one by one is skipped when no file changed since the last load."""
        # Deferred: loads duban.memory only when this runs
        from duban.memory import paused as paused_gc

        plan = self.plan(plan_id)
        loaded = Loaded()
        cache = self.parse_cache()
        with paused_gc(), cache.one_look():
            unchanged = self._unchanged_key(plan)
            if unchanged is not None:
                stored = cache.tasks(plan_id, unchanged, plan.id, plan.tasks_folder)
                if stored is not None:
                    loaded.tasks = stored
                    return loaded
            found = self._task_files(plan, loaded)
            if found is None:
                return loaded
            files, snapshot_key = found
            if snapshot_key is not None:
                stored = cache.tasks(plan_id, snapshot_key, plan.id, plan.tasks_folder)
                if stored is None:
                    patched = self._patched_index(plan, files, snapshot_key)
                    stored = patched.all_tasks() if patched is not None else None
                if stored is not None:
                    loaded.tasks = stored
                    return loaded
            self._build_tasks(plan, files, snapshot_key, loaded)
        return loaded

    def task_index(self, plan_id: str) -> TaskIndex | None:
        """The plan's tasks as a cache.TaskIndex, unbuilt, when every task file loaded cleanly
        last time and none changed since (the snapshot load_tasks would build them from);
        else None, and load_tasks says what there is to say."""
        # Deferred: loads duban.memory only when this runs
        from duban.memory import paused as paused_gc

        plan = self.plan(plan_id)
        cache = self.parse_cache()
        with paused_gc(), self.one_look():
            key = self._unchanged_key(plan)
            if key is not None:
                return cache.index(plan_id, key, plan.id, plan.tasks_folder)
            found = self._task_files(plan, Loaded())
            if found is None:
                return None
            files, found_key = found
            if found_key is None:
                return None
            index = cache.index(plan_id, found_key, plan.id, plan.tasks_folder)
            return index if index is not None else self._patched_index(plan, files, found_key)

    def _patched_index(
        self, plan: Plan, files: list[tuple[TaskEntry, bytes | None, bytes]], key: bytes
    ) -> TaskIndex | None:
        """The plan's last snapshot with the tasks of the files that changed since built again
        (cache.ParseCache.patched_index), stored under `key`; None when it cannot be patched
        (then every task is built, and a file that does not load is reported)."""
        # Deferred: loads duban.store.cache.digests and 1 more (6 duban modules in all; yaml) only when this runs
        from duban.store import yamlio
        from duban.store.cache.digests import digest

        by_name = {os.path.basename(entry.path): (entry, data, file_key) for entry, data, file_key in files}

        def row_of(name: str) -> tuple[Any, ...] | None:
            # Read and parsed here, not taken from the parse cache: loading it (10 MB at 10,000
            # tasks) and writing it back would cost more than parsing the few files.
            entry, data, file_key = by_name[name]
            try:
                if data is None:
                    data = read_bytes(entry.path)
                    if digest(data) != file_key:
                        return None  # changed since it was looked at
                doc = self._load_checked(Path(entry.path), "task", data)
            except (OSError, yamlio.YamlError):
                return None
            return Task.from_document(doc, plan.id, Path(entry.path)).as_row()

        return self.parse_cache().patched_index(
            plan.id, key, plan.id, plan.tasks_folder, {name: file[2] for name, file in by_name.items()}, row_of
        )

    def _unchanged_key(self, plan: Plan) -> bytes | None:
        """The key of the plan's snapshot when git vouches for the folder and every file in it
        as last kept (cache.FileStates.unchanged_key), without a scan; else None."""
        if outside_link(plan.tasks_folder, self.root) is not None:
            return None
        states = self.parse_cache().file_states(plan.tasks_folder)
        key = states.unchanged_key()
        if key is not None and states.changed:
            # git's index changed since (a commit): the entries were compared with it again;
            # kept, so the next run does not parse the index again (0.26 s at 100,000 files).
            states.save()
        return key

    def _task_files(
        self, plan: Plan, loaded: Loaded
    ) -> tuple[list[tuple[TaskEntry, bytes | None, bytes]], bytes | None] | None:
        """The plan's task files as (entry, bytes or None when unread, digest), and the key
        its snapshot has when every file was read cleanly and none is a link (else None);
        problems go to `loaded`. None when the tasks folder cannot be used at all."""
        # Deferred: loads duban.store.cache.digests (2 duban modules in all) only when this runs
        from duban.store.cache.digests import digest

        if outside_link(plan.tasks_folder, self.root) is not None:
            loaded.problems.append(
                Problem(
                    self.display(plan.tasks_folder),
                    _("tasks folder is a symlink outside the repository; duban does not follow it"),
                    RuleId.OUTSIDE_LINK,
                )
            )
            return None
        cache = self.parse_cache()
        states = cache.file_states(plan.tasks_folder)
        before = states.folder_stat()
        entries = scan_tasks(plan.tasks_folder)
        states.keep_listing(before, entries)
        files = []
        # Where a link leads is not in its own stat fields: links are always read.
        plain = states.read_all([entry for entry in entries if not entry.is_link], read_bytes)
        outcomes = iter(plain)
        for entry in entries:
            if entry.is_link:
                try:
                    read = read_bytes(entry.path)
                    outcome: tuple[bytes | None, bytes] | OSError = (read, digest(read))
                except OSError as error:
                    outcome = error
            else:
                outcome = next(outcomes)
            if isinstance(outcome, OSError):
                loaded.problems.append(
                    Problem(
                        self.display(Path(entry.path)),
                        _("cannot read file: {reason}").format(reason=outcome.strerror),
                        RuleId.IO,
                    )
                )
                continue
            data, key = outcome
            if entry.is_link and outside_link(Path(entry.path), self.root) is not None:
                loaded.problems.append(
                    Problem(
                        self.display(Path(entry.path)),
                        _("symlink to a file outside the repository; duban does not follow it"),
                        RuleId.OUTSIDE_LINK,
                    )
                )
                continue
            files.append((entry, data, key))
        snapshot_key = None
        if not loaded.problems and not any(entry.is_link for entry in entries):
            snapshot_key = states.key((os.path.basename(entry.path), key) for entry, _data, key in files)
            states.save()
        return files, snapshot_key

    def _build_tasks(
        self, plan: Plan, files: list[tuple[TaskEntry, bytes | None, bytes]], snapshot_key: bytes | None, loaded: Loaded
    ) -> None:
        """Parse (or take from the parse cache) and build each file's task, in natural order."""
        # Deferred: loads duban.store.cache.digests (2 duban modules in all) only when this runs
        from duban.store.cache.digests import digest

        cache = self.parse_cache()
        parsed = cache.slot(plan.id)
        states = cache.file_states(plan.tasks_folder)
        files.sort(key=lambda file: natural_key(file[0].stem))
        digests: list[bytes] = []  # of each task's file, beside the snapshot (cache.patched_index)
        for entry, data, key in files:
            path = Path(entry.path)
            doc = parsed.get(key)
            if doc is None:
                # Deferred: loads duban.store.yamlio (4 duban modules in all; yaml) only when this runs
                from duban.store import yamlio

                try:
                    if data is None:  # vouched for by its record, but not in the parse cache
                        data = read_bytes(entry.path)
                        if digest(data) != key:  # changed since it was looked at: the key
                            key = digest(data)  # the snapshot would be stored under is not
                            snapshot_key = None  # its content's
                    doc = self._load_checked(path, "task", data)
                except OSError as error:
                    loaded.problems.append(
                        Problem(
                            self.display(path), _("cannot read file: {reason}").format(reason=error.strerror), RuleId.IO
                        )
                    )
                    continue
                except yamlio.YamlError as error:
                    # Deferred: loads duban.store.checked (8 duban modules in all; yaml) only when this runs
                    from duban.store.checked import as_problem

                    loaded.problems.append(as_problem(error, self.display(path)))
                    continue
                parsed.put(key, doc)
            loaded.tasks.append(Task.from_document(doc, plan.id, path))
            digests.append(key)
        parsed.save()
        states.save()
        if snapshot_key is not None and not loaded.problems:
            cache.put_tasks(plan.id, snapshot_key, loaded.tasks, [task.path.name for task in loaded.tasks], digests)

    def resolve(self, ref: str) -> Task:
        """A task from `plan-id/id`, or from `id` alone when one plan has it."""
        plan_id, path = self.task_file(ref)
        self.plan(plan_id)
        doc = self._load_checked(path, "task")
        return Task.from_document(doc, plan_id, path)

    def task_file(self, ref: str) -> tuple[str, Path]:
        """(plan id, task file) of `plan-id/id`, or of `id` alone when one plan has it, found
        without reading the file (a task's history needs no more, even of a file that does
        not load)."""
        plan_id, _slash, task_id = typed_ref(ref).rpartition("/")
        if plan_id:
            candidates = [plan_id]
        else:
            candidates = self.plan_ids()
        found = []
        for candidate in candidates:
            if candidate not in self.plan_ids():
                raise UnknownRef(
                    _("no plan {plan!r} in {ref!r}").format(plan=candidate, ref=ref), hint=self._plans_here()
                )
            for suffix in TASK_SUFFIXES:
                path = self.plans_folder / candidate / TASKS / f"{task_id}{suffix}"
                if (
                    task_id
                    and "/" not in task_id
                    and not task_id.startswith(".")
                    and path.is_file()
                    and outside_link(path, self.root) is None
                    and outside_link(path.parent, self.root) is None
                ):
                    found.append((candidate, path))
        if not found:
            raise UnknownRef(_("no task {ref!r}").format(ref=ref), hint=_("`duban list` shows the refs"))
        if len(found) > 1:
            refs = ", ".join(f"{plan}/{task_id}" for plan, _path in found)
            raise UnknownRef(
                _("{ref!r} is ambiguous: {refs}").format(ref=ref, refs=refs), hint=_("write it as plan-id/id")
            )
        return found[0]

    def _plans_here(self) -> str:
        return _("plans here: {plans}").format(plans=", ".join(self.plan_ids()) or _("none"))

    def lineage(self, task: Task) -> dict[str, Task]:
        """The task and its ancestors by id, to compute inherited fields such as the lead."""
        found = {task.id: task}
        current = task
        while current.parent and current.parent not in found:
            try:
                current = self.resolve(f"{task.plan_id}/{current.parent}")
            except DubanError:
                break
            found[current.id] = current
        return found

    def _load_checked(self, path: Path, kind: str, data: bytes | None = None) -> dict[str, Any]:
        """Load a file and insist it passes its schema (`kind`: schemas.PLAN or schemas.TASK);
        YamlError at the first problem (store/checked.py, as for a file of a past commit)."""
        # Deferred: loads duban.store.checked and 1 more (8 duban modules in all; yaml) only when this runs
        from duban.store import yamlio
        from duban.store.checked import checked_document

        shown = self.display(path)
        if data is None and not path.is_file():
            raise yamlio.YamlError(_("missing {name}").format(name=path.name), rule=RuleId.MISSING_FILE, path=shown)
        text = yamlio.decode(data, shown) if data is not None else yamlio.read_text(path, shown)
        return checked_document(text, kind, shown)


def chosen_plan(repo: Repository, plan_id: str | None, year: int | None = None) -> str:
    """The plan a command is about: the one named with --plan (which must exist), else the only
    plan here, or the only plan of `year` where a month or a day says which year."""
    if plan_id is not None:
        repo.plan(plan_id)
        return plan_id
    if year is None:
        candidates = repo.plan_ids()
        if len(candidates) != 1:
            raise DubanError(
                _("which plan? name it with --plan"),
                hint=_("plans here: {plans}").format(plans=", ".join(candidates) or _("none")),
            )
        return candidates[0]
    candidates = [p.id for p in repo.plans() if p.year == year]
    if len(candidates) != 1:
        raise DubanError(
            _("{count} plans cover {year}").format(count=len(candidates), year=year),
            hint=_("choose one with --plan: {plans}").format(plans=", ".join(candidates) or ", ".join(repo.plan_ids())),
        )
    return candidates[0]
