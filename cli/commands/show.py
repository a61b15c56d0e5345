"""`duban show`: one task in full, wrapped for Chinese text, or as YAML or JSON."""

from __future__ import annotations

import shutil
from dataclasses import asdict

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.options import as_of_option, format_option
from duban.cli.output import emit_document, emit_json


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@format_option(
    ["text", "yaml", "json"],
    "text: for reading; yaml: the file as stored; json: fields plus ref and effective lead.",
    default="text",
)
@as_of_option("Show the task as it stood on that day (from git).")
@click.pass_context
def show(ctx: click.Context, ref: str, output_format: str, as_of: str | None) -> None:
    """Show one task: REF is PLAN-ID/ID, or ID alone when only one plan has it.

    \b
    Examples:
      duban show 2019-changning/18
      duban show 2008-baoshan/1-4 --format yaml
      duban show 2019-changning/3 --as-of 2019-06-30
    """
    # Deferred: loads duban.model (3 duban modules in all) only when this runs
    from duban.model import effective_lead, written_milestones

    repo = repository(ctx)
    if as_of:
        # Deferred: loads duban.record.history (14 duban modules in all) only when this runs
        from duban.record.history import absent_from_view, tasks_and_problems_as_of

        current = repo.resolve(ref)
        found, problems = tasks_and_problems_as_of(repo, current.plan_id, as_of)
        then = {t.id: t for t in found}
        if current.id not in then:
            raise absent_from_view(current.ref, current.id, as_of, problems)
        task, lineage = then[current.id], then
    else:
        task = repo.resolve(ref)
        lineage = repo.lineage(task)
    lead = effective_lead(task, lineage)
    if output_format == "yaml":
        if as_of:
            # Deferred: loads duban.record.history (14 duban modules in all) only when this runs
            from duban.record.history import task_text_as_of

            emit_document(task_text_as_of(repo, task.ref, as_of))
        else:
            emit_document(task.path.read_text(encoding="utf-8"))
    elif output_format == "json":
        data = asdict(task)
        data.update(milestones=written_milestones(task.milestones))  # a day as a key, as the file writes it
        data.update(ref=task.ref, path=repo.display(task.path), effective_lead=list(lead))
        emit_json(data)
    else:
        width = min(shutil.get_terminal_size((100, 24)).columns, 120)
        # Deferred: loads duban.supervise.card (6 duban modules in all) only when this runs
        from duban.dates import parse_day
        from duban.supervise.card import task_card

        until = parse_day(as_of, "--as-of") if as_of else None
        click.echo(
            "\n".join(task_card(task, lead, repo.plan(task.plan_id), repo.display(task.path), width, until=until))
        )
