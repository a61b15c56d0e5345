"""A document read by the importer, written into the repository as a plan: what `duban import`
does once the document is read, under the writers' lock (Repository.write_lock) so that no
report lands in the plan's folder while it is rebuilt, in a linked work tree too."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _
from duban.importing.result import ImportResult
from duban.importing.writer import write_plan
from duban.record.reimport import plan_replacement
from duban.store.leftovers import tidy_plans
from duban.store.repository import Repository
from duban.validate.validation import ValidationReport, validate


@dataclass
class PlanWritten:
    """What the import kept and wrote: notes for the user (translated), the plan's folder and
    its validation; no folder and no validation for a dry run."""

    notes: list[str] = field(default_factory=list)
    folder: Path | None = None
    report: ValidationReport | None = None


def write_imported(
    repo: Repository,
    result: ImportResult,
    plan_id: str,
    *,
    replace: bool = False,
    force: bool = False,
    dry_run: bool = False,
) -> PlanWritten:
    """Write `result` as plans/`plan_id`. With `replace`, the recorded reports and statuses and
    the office's own settings are kept (record/reimport.py), and a task with recorded work that
    the document no longer has refuses the rebuild unless `force`. A dry run says what would be
    kept and writes nothing."""
    written = PlanWritten()
    with repo.write_lock() as locked:
        if locked:
            tidy_plans(repo.root)  # what a killed import left, before this one looks at the plan (N21)
        if replace:
            replacement = plan_replacement(repo, plan_id)
            settings = replacement.carry_over_plan(result.plan, result.tasks)
            kept = replacement.carry_over(result.tasks)
            if settings:
                written.notes.append(
                    _("the office's own changes kept: {changes}").format(
                        changes=", ".join(settings[:8]) + (" …" if len(settings) > 8 else "")
                    )
                )
            written.notes.extend(replacement.describe_dropped())
            if kept:
                written.notes.append(_("{count} recorded reports kept").format(count=kept))
            if replacement.dropped and not force and not dry_run:
                raise DubanError(
                    _("the new document has no task for {count} tasks with recorded work").format(
                        count=len(replacement.dropped)
                    ),
                    hint=_("pass --force to drop them (they stay in git's history)"),
                )
        if dry_run:
            return written
        written.folder = write_plan(result, repo.plans_folder, plan_id, replace=replace)
    written.report = validate([written.folder])
    return written
