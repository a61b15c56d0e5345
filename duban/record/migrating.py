"""`duban migrate`: every task file of the repository rewritten with its reports kept by unit
(duban/progress.py), in one commit.

Run once, in one clone, with nothing uncommitted under plans/; every other clone then syncs
before it records again. Running it again changes nothing. A task whose legacy reports
include one that names no unit is left as it is, and named, since such a report has no key
to go under.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from duban import progress as progress_layout
from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.record.task_document import canonical_in, keep_keys_in_step, progress_keys, put_field
from duban.record.writer import InvalidEdit, write_atomically
from duban.store import yaml_round_trip, yamlio
from duban.store.leftovers import tidy
from duban.store.lineform import LineForm
from duban.store.repository import Repository
from duban.validate.validation import check_task_text


@dataclass
class Migration:
    changed: list[Path] = field(default_factory=list)
    left: list[tuple[Path, str]] = field(default_factory=list)  # file, the date of its report with no unit
    sha: str | None = None


def _keyed_document(repo: Repository, task: Task, document: CommentedMap) -> str | None:
    """Rewrite `document`'s progress by unit in place; the date of a report that names no unit
    when it cannot be (the document is then unchanged)."""
    progress = document.get("progress")
    if progress_layout.is_keyed(progress):
        keep_keys_in_step(repo, task, document)  # a key every unit of the task lacks is added
        return None
    keys = progress_keys(repo, task)
    if not keys:
        return None  # a task with no unit keeps its list: its reports name none
    canonical = canonical_in(repo, task.plan_id)
    shaped = CommentedMap((key, None) for key in keys)
    for report in progress or ():
        unit = report.get("by") if isinstance(report, dict) else None
        if not isinstance(unit, str) or not unit.strip():
            return str(report.get("date", "?")) if isinstance(report, dict) else "?"
    for report in progress or ():
        key = progress_layout.key_of(report["by"], shaped, canonical) or report["by"]
        del report["by"]  # the same node, so the report's quoting and comments stay
        if shaped.get(key) is None:
            shaped[key] = CommentedSeq()
        shaped[key].append(report)
    put_field(document, "progress", shaped)
    return None


def migrate(repo: Repository) -> Migration:
    git = repo.git
    git.check_repository()
    migration = Migration()
    with repo.write_lock():
        tidy(repo.root)  # what killed writers left in plans/ would count as untracked files (N21)
        state = git.state_in_progress()
        if state:
            raise DubanError(
                _("a git {state} is in progress in {root}").format(state=state, root=repo.root),
                hint=_("finish it (git {state} --continue or git commit) or abort it first").format(state=state),
            )
        if not git.on_branch():
            raise DubanError(
                _("HEAD is detached: a commit here would belong to no branch"),
                hint=_("git switch <branch> first (git switch - goes back to the last one)"),
            )
        pending = [path for _code, path in git.status("plans", untracked="all")]
        if pending:
            raise DubanError(
                _(
                    "plans/ has changes that are not committed ({first}); the migration commits every task file at once"
                ).format(first=pending[0]),
                hint=_("commit or drop them first (git status -- plans)"),
            )
        originals: dict[Path, bytes] = {}
        for plan_id in repo.plan_ids():
            loaded = repo.load_tasks(plan_id)
            if getattr(loaded, "problems", None):
                first = loaded.problems[0]
                raise DubanError(
                    _("{path} cannot be read, so the plan cannot be migrated").format(path=first.path),
                    hint=_("fix the files (duban validate shows where), then migrate again"),
                )
            for task in loaded.tasks:
                data = task.path.read_bytes()
                form = LineForm.of(data)  # its BOM and line endings kept (N19)
                text = yamlio.decode(data, repo.display(task.path)).replace("\r\n", "\n")
                document = yaml_round_trip.load_round_trip(text, repo.display(task.path))
                unitless = _keyed_document(repo, task, document)
                if unitless is not None:
                    migration.left.append((task.path, unitless))
                    continue
                new_text = yaml_round_trip.dump_round_trip(document)
                if form.encode(new_text) == data:
                    continue
                problems = [p for p in check_task_text(task.path, new_text) if p.is_error]
                if problems:
                    raise InvalidEdit(problems)
                originals[task.path] = data
                migration.changed.append(task.path)
                write_atomically(task.path, form.encode(new_text))
        if not migration.changed:
            return migration
        message = (
            f"迁移: 报送记录按单位存放({len(migration.changed)} 个任务)\n\n"
            f"Migrated: progress by unit\nFiles: {len(migration.changed)}\n"
        )
        try:
            migration.sha = git.commit_paths(migration.changed, message)
        except BaseException:
            git.run("reset", "--quiet", "--", *(git.relative(p) for p in migration.changed), check=False)
            for path, data in originals.items():
                write_atomically(path, data)
            raise
    return migration
