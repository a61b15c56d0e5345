"""`duban import`: a task-decomposition document imported as a plan (the module's name avoids the keyword)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from duban.cli.base import Command
from duban.cli.context import Options
from duban.cli.exit_codes import ExitCode
from duban.i18n import _

LAYOUTS = ("auto", "general", "outline", "pipe-table", "cell-table", "narrative")


@click.command("import", cls=Command)
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--plan",
    "plan_id",
    required=True,
    metavar="PLAN-ID",
    help="Id of the plan to create, e.g. 2019-changning (a leading year is the plan's year).",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="auto",
    show_default=True,
    help="How the document is laid out; auto detects it.",
)
@click.option("--dry-run", is_flag=True, help="Parse and report, but write nothing.")
@click.option("--replace", is_flag=True, help="Rebuild the plan folder if it exists, keeping its reports and statuses.")
@click.option(
    "--force", is_flag=True, help="With --replace: rebuild even if tasks with reports are not in the document."
)
@click.option(
    "--year",
    type=click.IntRange(1949, 2100),
    default=None,
    help="The plan's year, where the document does not state it.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Print each line of the document, what it became and by which rule (implies --dry-run).",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the full import report (every skipped line and why) to this file.",
)
@click.option(
    "--recipe",
    "recipe_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Corrections to how the document is read (default: DOCUMENT.recipe.yaml beside it or "
    "beside the plan's source copy); kept in source/ with the copy.",
)
@click.option(
    "--preview", is_flag=True, help="Print each task with its units, and what the recipe changed, and write nothing."
)
@click.pass_context
def import_plan(
    ctx: click.Context,
    document: Path,
    plan_id: str,
    layout: str,
    dry_run: bool,
    replace: bool,
    force: bool,
    report_path: Path | None,
    year: int | None = None,
    explain: bool = False,
    recipe_path: Path | None = None,
    preview: bool = False,
) -> None:
    """Import a task-decomposition DOCUMENT as plans/PLAN-ID: plan.yaml and one file per task.

    Reads UTF-8 or GB18030 text, .docx and .xlsx (.doc, .xls, .wps and .et through
    LibreOffice, where it is installed). Every line of the document ends up
    in a task, in plan.yaml, or in the report as skipped with its reason. The new
    plan is validated after writing.

    \b
    Examples:
      duban import notice.docx --plan 2024-somewhere --dry-run --report report.md
      duban import table.xlsx --plan 2019-changning --replace
      duban import notice.docx --plan 2024-somewhere --recipe notice.docx.recipe.yaml --preview
    """
    # Deferred: loads duban.errors and 3 more (20 duban modules in all) only when this runs
    from duban.errors import DubanError
    from duban.importing.importer import import_document
    from duban.importing.report import full_report, summary
    from duban.store.layout import find_root

    if not re.fullmatch(r"[0-9a-z]+(-[0-9a-z]+)*", plan_id):
        raise DubanError(
            _("plan id {plan!r} is not valid").format(plan=plan_id),
            hint=_("use lower-case letters, digits and hyphens, e.g. 2019-changning"),
        )
    dry_run = dry_run or preview
    options = ctx.find_object(Options) or Options()
    root = None
    if not explain:
        try:  # before reading: a long import is not thrown away for want of a repository
            root = find_root(explicit=options.repo)
        except DubanError:
            if not dry_run:  # a dry run needs no repository; with one, it says what --replace would keep
                raise
    # Deferred: loads duban.importing.recipe (3 duban modules in all) only when this runs
    from duban.importing.recipe import find_recipe, load_recipe

    found = recipe_path or find_recipe(document, root / "plans" / plan_id / "source" if root else None)
    recipe = load_recipe(found) if found is not None else None
    if recipe is not None:
        click.echo(_("note: reading with the recipe {path}").format(path=found), err=True)
    result = import_document(document, plan_id, layout, year=year, recipe=recipe)
    if preview:
        # Deferred: loads duban.importing.preview (12 duban modules in all) only when this runs
        from duban.importing.preview import preview as preview_table

        baseline = None
        if recipe is not None:
            try:
                baseline = import_document(document, plan_id, layout, year=year or recipe.year)
            except DubanError:  # without the recipe the document reads as nothing: every task is new
                # Deferred: loads duban.importing.result (11 duban modules in all) only when this runs
                from duban.importing.result import ImportResult

                baseline = ImportResult(layout="none", document=result.document)
        click.echo(preview_table(result, baseline), nl=False)
        dry_run = True
    if explain:
        # Deferred: loads duban.importing.explain (12 duban modules in all) only when this runs
        from duban.importing.explain import explain as explain_lines

        click.echo(explain_lines(result), nl=False)
        dry_run = True
    if report_path is not None:
        # Deferred: loads duban.store.files (3 duban modules in all) only when this runs
        from duban.store.files import write_output

        write_output(report_path, full_report(result, plan_id).encode("utf-8"))
    click.echo(summary(result, plan_id), err=True)
    shown = 5
    for note in result.notes[:shown]:
        click.echo(_("note: {note}").format(note=note), err=True)  # notes come translated from the importer
    if len(result.notes) > shown:
        where = _("in {path}").format(path=report_path) if report_path else _("with --report FILE")
        click.echo(
            _("note: … and {count} more notes on units and rows ({where})").format(
                count=len(result.notes) - shown, where=where
            ),
            err=True,
        )
    if root is None or (dry_run and not replace) or preview:
        return
    # Deferred: loads duban.record.plan_import and 1 more (44 duban modules in all; yaml) only when this runs
    from duban.record.plan_import import write_imported
    from duban.store.repository import Repository

    written = write_imported(Repository(root), result, plan_id, replace=replace, force=force, dry_run=dry_run)
    for note in written.notes:
        click.echo(_("note: {note}").format(note=note), err=True)
    if written.folder is None or written.report is None:
        return
    for problem in written.report.problems:
        click.echo(problem.format())
    click.echo(
        _("wrote {count} task files to {folder}; validation: {errors} errors, {warnings} warnings").format(
            count=len(result.tasks),
            folder=written.folder,
            errors=written.report.errors,
            warnings=written.report.warnings,
        ),
        err=True,
    )
    if written.report.errors:
        ctx.exit(ExitCode.PROBLEMS)
