"""Reading the record: `duban history`, `duban log`, `duban diff`, `duban blame`."""
from __future__ import annotations

import sys

import click

from duban.cli.context import repository
from duban.i18n import N_, _, ngettext

# The kinds of change `duban diff` names, for the catalog.
_CHANGE_KINDS = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed")}


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


@click.command()
@click.argument("ref")
@click.option("--patch", "-p", is_flag=True, help="Show each commit's diff (coloured on a terminal).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def history(ctx: click.Context, ref: str, patch: bool, output_format: str) -> None:
    """REF's commits, newest first: date, author, reporting unit, message."""
    from duban.history import task_history

    commits = task_history(repository(ctx), ref, patch=patch, color=patch and sys.stdout.isatty())
    if output_format == "json":
        from duban.cli.output import emit_json

        emit_json([{"sha": c.sha, "date": c.date, "author": c.author, "email": c.email,
                    "subject": c.subject, "body": c.body, "trailers": c.trailers,
                    **({"patch": c.patch} if patch else {})} for c in commits])
        return
    for commit in commits:
        by = commit.trailers.get("Reported-by")
        click.echo(f"{commit.sha[:10]}  {_when(commit.date)}  {commit.author}"
                   + (f"  [{by}]" if by else "") + f"  {commit.subject}")
        if commit.body:
            click.echo("    " + commit.body.replace("\n", "\n    "))
        if patch and commit.patch:
            from duban.cli.output import echo_coloured

            echo_coloured(commit.patch)
            click.echo("")


@click.command("log")
@click.option("--plan", "plan_id", metavar="PLAN-ID", help="Only this plan.")
@click.option("--since", metavar="YYYY-MM-DD",
              help="From this day (a report by its report date, any other change by its date).")
@click.option("--until", metavar="YYYY-MM-DD", help="Up to and including this day.")
@click.option("--unit", metavar="UNIT", help="Only reports by this unit (name or alias).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def log(ctx: click.Context, plan_id: str | None, since: str | None, until: str | None, unit: str | None,
        output_format: str) -> None:
    """The plan-wide record of reports and changes, newest first."""
    from duban.history import plan_log

    commits = plan_log(repository(ctx), plan_id, since, until, unit)
    if output_format == "json":
        from duban.cli.output import emit_json

        emit_json([{"sha": c.sha, "date": c.date, "author": c.author, "subject": c.subject,
                    "trailers": c.trailers, "paths": c.paths} for c in commits])
        return
    for commit in commits:
        by = commit.trailers.get("Reported-by")
        click.echo(f"{commit.sha[:10]}  {_when(commit.date)}  {commit.author}"
                   + (f"  [{by}]" if by else "") + f"  {commit.subject}")
    click.echo(ngettext("{count} commit", "{count} commits", len(commits)).format(count=len(commits)), err=True)


@click.command()
@click.option("--since", required=True, metavar="YYYY-MM-DD", help="First day of the period.")
@click.option("--until", required=True, metavar="YYYY-MM-DD", help="Last day of the period.")
@click.option("--plan", "plan_id", metavar="PLAN-ID", help="Only this plan.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def diff(ctx: click.Context, since: str, until: str, plan_id: str | None, output_format: str) -> None:
    """What changed in a period, task by task and field by field: new reports, status
    changes, changed milestones. The basis of a monthly supervision circular."""
    from duban.history import diff_between

    changes = diff_between(repository(ctx), since, until, plan_id)
    if output_format == "json":
        from duban.cli.output import emit_json

        emit_json([c.as_dict() for c in changes])
        return
    for change in changes:
        click.echo(f"{change.ref}  ({_(_CHANGE_KINDS.get(change.kind, change.kind))})")
        for report in change.new_reports:
            by = f" [{report['by']}]" if report.get("by") else ""
            note = f"  {report['note']}" if report.get("note") else ""
            click.echo("  + " + _("report {date}").format(date=report["date"]) + f"  {report['percent']:g}%{by}{note}")
        for field_change in change.changes:
            click.echo(f"  ~ {field_change.field}: {_short(field_change.before)} -> {_short(field_change.after)}")
    click.echo(ngettext("{count} task changed from {since} to {until}", "{count} tasks changed from {since} to {until}",
                        len(changes)).format(count=len(changes), since=since, until=until), err=True)


def _short(value: object) -> str:
    from duban.textwidth import truncate

    if value is None:
        return "(none)"
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    return truncate(str(value), 60)


@click.command()
@click.argument("ref")
@click.pass_context
def blame(ctx: click.Context, ref: str) -> None:
    """For each field of REF, who last changed it and when."""
    from duban.cli.output import emit_table
    from duban.history import blame_fields

    rows = [[b.field, b.date, b.author, b.reported_by or "", b.sha[:10], b.summary]
            for b in blame_fields(repository(ctx), ref)]
    headers = (N_("field"), N_("date"), N_("author"), N_("unit"), N_("commit"), N_("message"))
    emit_table(rows, [_(h) for h in headers], wide=(5,), keep=(0, 1, 4))
