"""Tasks chosen by plan, date and query, with what queries and reports need about each:
its plan, its effective lead, its light. Shared by list, report, export, circular and the TUI."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from duban.errors import DubanError
from duban.i18n import _
from duban.model import InLineage, Plan, Report, Task, effective_lead
from duban.problems import Problem
from duban.reading import Leads, deciding_report, figure_against, status_as_of, status_on
from duban.states import LightColour, Status
from duban.store.layout import PLANS, may_have_seals
from duban.store.repository import Repository
from duban.supervise import lights
from duban.supervise.query import parse
from duban.supervise.query_tree import Query

if TYPE_CHECKING:
    from duban.store.cache.task_index import IndexedTask, TaskIndex


@dataclass
class Selection:
    repo: Repository
    as_of: dt.date
    tasks: list[Task] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    from_history: bool = False
    # Set when a past date was asked for but git has no commit by then: the files are used,
    # with reports dated after that day left out.
    note: str | None = None
    _by_plan: dict[str, Mapping[str, InLineage]] = field(default_factory=dict)  # tasks, or a snapshot's stand-ins
    _lights: dict[str, lights.Light] = field(default_factory=dict)
    _seals: dict[str, dict[str, dict[str, set[str]]]] = field(default_factory=dict)
    _plans: dict[str, Plan] = field(default_factory=dict)
    # Answers worked out from this view alone, by what asked (scoring's points of a deadline):
    # a view that views_held() gives again is not worked through again.
    memo: dict[Any, Any] = field(default_factory=dict)

    # -- the query Context --
    def plan(self, task: Task) -> Plan:
        # Once per plan and selection: a query asks for every task's plan, and each
        # repo.plan() reads plan.yaml again (10,000 reads, half of a warm `list lead:fgw`).
        # A selection is one moment's tasks, so it keeps that moment's plans.
        return self._plan(task.plan_id)

    def plan_of(self, plan_id: str) -> Plan:
        return self._plan(plan_id)

    def _plan(self, plan_id: str) -> Plan:
        found = self._plans.get(plan_id)
        if found is None:
            found = self._plans[plan_id] = self.repo.plan(plan_id)
        return found

    def lead(self, task: InLineage) -> tuple[str, ...]:
        # A task's own lead first: effective_lead's walk up the parents is for sub-items only.
        return task.lead or effective_lead(task, self._by_plan.get(task.plan_id, {}))

    def deciding_report(self, task: Task, until: dt.date | None = None) -> Report | None:
        """The report that gives `task` its percent (docs/reading.md rule 2) as its light reads
        it: the lowest of its effective lead's latest figures dated by `until` (the view's day
        unless given), a unit's aliases being the unit; None with no lead report."""
        return deciding_report(
            task.progress,
            Leads(self.lead(task), self.plan(task).units.own_name),
            until or self.as_of,
            figure=figure_against(task.indicators),
        )

    def percent(self, task: Task) -> float | None:
        """The task's percent: the deciding report's figure against a numeric target where it
        gives one, else its percent; None with no lead report."""
        report = self.deciding_report(task)
        return figure_against(task.indicators)(report) if report is not None else None

    def late_units(self, task: Task) -> tuple[str, ...]:
        """The lead units (as the task names them) that missed the latest deadline by the view's day (rule 6)."""
        return tuple(lights.late_units(task, self.plan(task), self.as_of, self.sealed(task), self.lead(task)))

    def light(self, task: Task) -> tuple[LightColour, bool]:
        found = self.light_of(task)
        return found.colour, found.late

    def light_of(self, task: Task) -> lights.Light:
        if task.ref not in self._lights:
            self._lights[task.ref] = lights.evaluate(
                task, self.plan(task), self.as_of, self.sealed(task), self.lead(task)
            )
        return self._lights[task.ref]

    def sealed(self, task: Task) -> lights.Sealed | None:
        """The task's reports in each seal of its plan (see supervise/seals/); None when it has none."""
        if task.plan_id not in self._seals:
            if self.repo is None or not may_have_seals(self.repo.root):
                self._seals[task.plan_id] = {}
            else:
                # Deferred: loads duban.supervise.seals.judging (5 duban modules in all) only when this runs
                from duban.supervise.seals.judging import sealed_reports

                self._seals[task.plan_id] = sealed_reports(self.repo, task.plan_id)
        found = self._seals[task.plan_id]
        if not found:
            return None
        # Deferred: loads duban.supervise.seals.judging (5 duban modules in all) only when this runs
        from duban.supervise.seals.judging import for_task

        return for_task(found, task)

    def where(self, query: Query | str | None) -> list[Task]:
        if query is None or (isinstance(query, str) and not query.strip()):
            return list(self.tasks)
        parsed = parse(query, self.plans()) if isinstance(query, str) else query
        return parsed.filter(self.tasks, self)

    def plans(self) -> list[Plan]:
        """The plans whose tasks were selected, for queries to check the names they use."""
        return [self._plan(plan_id) for plan_id in self._by_plan]


# (repository, the views of past days it has given) while views_held() is open: see there.
_HELD: contextvars.ContextVar[
    tuple[Repository, dict[tuple[tuple[str, ...], dt.date], Selection], dict[Any, Any]] | None
] = contextvars.ContextVar("duban_held_views", default=None)


@contextlib.contextmanager
def views_held(repo: Repository) -> Iterator[None]:
    """A block in which select() gives one Selection for each plan and past day asked of
    `repo`, its lights worked out once: a document made of many days' views (the site: every
    period's circular, each scoring every deadline before it) reads each day's record once
    instead of once a circular and score. Only around reading: the record must not change
    inside the block (a view of a day is what git held then, so it cannot go stale otherwise)."""
    token = _HELD.set((repo, {}, {}))
    try:
        yield
    finally:
        _HELD.reset(token)


def held(repo: Repository) -> dict[Any, Any]:
    """What a views_held() block keeps for `repo` besides the views, by what asked (a read of
    the whole history, the record's reports); a fresh dict, kept by nobody, outside one."""
    found = _HELD.get()
    if found is None or found[0] is not repo:
        return {}
    return found[2]


def select(
    repo: Repository,
    plan_ids: list[str] | tuple[str, ...] = (),
    as_of: str | dt.date | None = None,
    today: dt.date | None = None,
) -> Selection:
    """Every task of the given plans (default: all), as of a date.

    Without `as_of`, tasks are read from the work tree and lights are for today. With a past
    date, tasks come from git as they stood at the end of that day (see history.tasks_as_of);
    inside views_held() the same plans and day give the same Selection again.
    """
    # Deferred: loads duban.dates only when this runs
    from duban.dates import parse_day

    day = parse_day(as_of, "--as-of") if isinstance(as_of, str) else (as_of or today or dt.date.today())
    held = _HELD.get()
    if as_of is None or held is None or held[0] is not repo:
        return _select(repo, plan_ids, as_of, day)
    key = (tuple(plan_ids or repo.plan_ids()), day)
    if key not in held[1]:
        held[1][key] = _select(repo, key[0], as_of, day)
    return held[1][key]


def _select(
    repo: Repository, plan_ids: list[str] | tuple[str, ...], as_of: str | dt.date | None, day: dt.date
) -> Selection:
    selection = Selection(repo, day)
    with repo.one_look():  # one git look for every plan's files
        for plan_id in plan_ids or repo.plan_ids():
            use_git = as_of is not None and _has_history(repo, plan_id, day)
            selection.from_history = selection.from_history or use_git
            if as_of is not None and not use_git:
                selection.note = _(
                    "no git history on or before {day}: using the files as they are, without "
                    "reports dated after that day"
                ).format(day=day.isoformat())
            if use_git:
                # Deferred: loads duban.record.history (3 duban modules in all) only when this runs
                from duban.record.history import tasks_and_problems_as_of

                tasks, problems = tasks_and_problems_as_of(repo, plan_id, day.isoformat())
                selection.problems += problems
            elif as_of is not None:
                loaded = repo.load_tasks(plan_id)
                selection.problems += loaded.problems
                by_id = {task.id: task for task in loaded.tasks}
                office = _office_statuses(repo, plan_id)
                tasks = [
                    _until(task, day, task.lead or effective_lead(task, by_id), office.get(task.id, ()))
                    for task in loaded.tasks
                ]
            else:
                loaded = repo.load_tasks(plan_id)
                selection.problems += loaded.problems
                tasks = loaded.tasks
            tasks = _with_office_statuses(repo, plan_id, tasks, past=as_of is not None)
            selection._by_plan[plan_id] = {task.id: task for task in tasks}
            selection.tasks += tasks
    return selection


def select_where(
    repo: Repository, plan_ids: list[str] | tuple[str, ...], as_of: str | None, query: str
) -> tuple[Selection, list[Task]]:
    """The selection and the tasks `query` matches, for `duban list QUERY`.

    For today's files, when every plan's snapshot is current (no file changed or failed since
    it was stored: repository.task_index), the query runs over the snapshot's columns and
    only the matching tasks are built; the selection then holds those tasks only. Otherwise,
    as select() and where().
    """
    if as_of is None and query.strip():
        chosen = list(plan_ids or repo.plan_ids())
        with repo.one_look():
            found = [repo.task_index(plan_id) for plan_id in chosen]
        indexes = [index for index in found if index is not None]
        if len(indexes) == len(found):
            # Deferred: loads duban.store.cache.task_index (4 duban modules in all) only when this runs
            from duban.store.cache.task_index import UnreadableSnapshot, build_tasks

            selection = Selection(repo, dt.date.today())
            try:
                for plan_id, index in zip(chosen, indexes):
                    # Stand-ins (cache.IndexedTask) where tasks go, made when first asked for.
                    selection._by_plan[plan_id] = _EntriesById(index)
                parsed = parse(query, selection.plans())
                matched: list[Task] = []
                for plan_id, index in zip(chosen, indexes):
                    positions = parsed.positions(plan_id, functools.partial(_column, selection, index), selection)
                    if positions is not None:
                        matched += index.tasks_at(positions)
                    else:  # a term the columns cannot answer: over the stand-ins, then built
                        entries: list[Any] = index.entries()
                        matched += build_tasks(cast(Any, parsed.filter(entries, selection)))
            except UnreadableSnapshot:
                pass  # a damaged snapshot: from the files, as below
            else:
                selection.tasks = matched
                return selection, matched
    selection = select(repo, plan_ids, as_of)
    return selection, selection.where(query)


class _EntriesById(Mapping[str, "IndexedTask"]):
    """A plan snapshot's stand-ins by task id, for the effective lead of a sub-item; made on
    first use (a query the columns answer never needs them)."""

    def __init__(self, index: TaskIndex) -> None:
        self._index = index
        self._by_id: dict[str, IndexedTask] | None = None

    def _made(self) -> dict[str, IndexedTask]:
        if self._by_id is None:
            self._by_id = {entry.id: entry for entry in self._index.entries()}
        return self._by_id

    def __getitem__(self, task_id: str) -> IndexedTask:
        return self._made()[task_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())


def _column(selection: Selection, index: TaskIndex, name: str) -> list[Any]:
    """A field's value for each task of a plan snapshot (query.Query.positions): the lead the
    effective one (a sub-item that names none has its parent's), the plan its id."""
    if name == "plan_id":
        return [index.plan_id] * len(index)
    values = index.column(name)
    if name == "lead" and not all(values):
        entries = index.entries()
        values = [lead or selection.lead(entries[at]) for at, lead in enumerate(values)]
    return values


def _with_office_statuses(repo: Repository, plan_id: str, tasks: list[Task], past: bool) -> list[Task]:
    """The tasks with the statuses the office set and when (lights: a task owes no report at a
    deadline once done or cancelled by the one before, rule 5, whatever its status now). A
    view of today reads them only where a task is done or cancelled, so that a `list` or the
    terminal UI does not wait on the plan's log; a past day's view (the documents) always."""
    wanted = past or any(Status.is_closed(task.status) for task in tasks)
    settings = _office_statuses(repo, plan_id) if wanted else {}
    if not settings:
        return tasks

    return [
        dataclasses.replace(task, office_statuses=settings[task.id]) if task.id in settings else task for task in tasks
    ]


def _has_history(repo: Repository, plan_id: str, day: dt.date) -> bool:
    """Whether git has a commit of the plan by the end of `day` (on the plan's own line): a
    past day's view then reads the plan from git, else from the files as they are."""
    git = repo.git
    try:
        git.check_repository()
        return git.commit_before(day.isoformat(), f"{PLANS}/{plan_id}") is not None
    except DubanError:
        return False


def _until(task: Task, day: dt.date, lead: tuple[str, ...], office: tuple[tuple[dt.date, str], ...]) -> Task:
    """The task of today's files as of `day`: its reports dated by then, and its status then
    (the office's sets replayed by date with the reports where it set one: status_on)."""
    kept = tuple(r for r in task.progress if r.date <= day)
    if office:
        status = status_on(day, office, kept, lead, figure_against(task.indicators))
    elif len(kept) == len(task.progress):
        return task
    else:
        status = status_as_of(task.status, task.progress, kept, lead, figure_against(task.indicators))
    return (
        task
        if kept == task.progress and status == task.status
        else dataclasses.replace(task, progress=kept, status=status)
    )


def _office_statuses(repo: Repository, plan_id: str) -> dict[str, tuple[tuple[dt.date, str], ...]]:
    # Deferred: loads duban.record.history (3 duban modules in all) only when this runs
    from duban.record.history import office_statuses

    return office_statuses(repo, plan_id)
