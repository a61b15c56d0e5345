"""Reading the record: `duban history`, `duban log`, `duban diff`, `duban blame`."""
from __future__ import annotations

import os
import sys

import click

from duban.cli import completion
from duban.cli.base import Command
from duban.cli.context import repository
from duban.i18n import N_, _, ngettext
from duban.text.textwidth import truncate
from duban.vocabulary import shown

# The kinds of change `duban diff` names, for the catalog.
_CHANGE_KINDS = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed"),
                 "unreadable": N_("could not be read")}


def _when(iso: str) -> str:
    return iso[:16].replace("T", " ")


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.option("--patch", "-p", is_flag=True, help="Show each commit's diff (coloured on a terminal).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: for reading; json: for scripts.")
@click.pass_context
def history(ctx: click.Context, ref: str, patch: bool, output_format: str) -> None:
    """REF's commits, newest first: date, author, reporting unit, the report's own date
    where it differs from the commit's, message.

    \b
    Examples:
      duban history 2019-changning/3
      duban history 2019-changning/3 --patch
    """
    # Deferred: loads duban.record.history (14 duban modules in all) only when this runs
    from duban.record.history import task_history

    coloured = patch and sys.stdout.isatty() and not os.environ.get("NO_COLOR")  # no-color.org
    commits = task_history(repository(ctx), ref, patch=patch, color=coloured)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json([{"sha": c.sha, "date": c.date, "author": c.author, "email": c.email,
                    "subject": c.subject, "body": c.body, "trailers": c.trailers,
                    **({"patch": c.patch} if patch else {})} for c in commits])
        return
    for commit in commits:
        by = commit.trailers.get("Reported-by")
        reported = commit.trailers.get("Report-date", "")
        # a paper report typed in later: the day the unit reported, beside the day it was typed in
        late = f"  ({_('reported {date}').format(date=reported)})" if reported and reported != commit.date[:10] else ""
        click.echo(f"{commit.sha[:10]}  {_when(commit.date)}  {commit.author}"
                   + (f"  [{by}]" if by else "") + late + f"  {commit.subject}")
        if commit.body:
            click.echo("    " + commit.body.replace("\n", "\n    "))
        if patch and commit.patch:
            # Deferred: loads duban.cli.output only when this runs
            from duban.cli.output import echo_coloured

            echo_coloured(commit.patch)
            click.echo("")


@click.command("log", cls=Command)
@click.option("--plan", "plan_id", shell_complete=completion.plan_ids, metavar="PLAN-ID", help="Only this plan.")
@click.option("--since", metavar="YYYY-MM-DD",
              help="From this day (a report by its report date, any other change by its date).")
@click.option("--until", metavar="YYYY-MM-DD", help="Up to and including this day.")
@click.option("--unit", metavar="UNIT", shell_complete=completion.units,
              help="Only reports by this unit (name or alias).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: for reading; json: for scripts.")
@click.pass_context
def log(ctx: click.Context, plan_id: str | None, since: str | None, until: str | None, unit: str | None,
        output_format: str) -> None:
    """The plan-wide record of reports and changes, newest first.

    \b
    Examples:
      duban log --plan 2019-changning --since 2019-06-01
      duban log --unit 发改委 --format json
    """
    # Deferred: loads duban.record.history (14 duban modules in all) only when this runs
    from duban.record.history import plan_log

    repo = repository(ctx)
    # Deferred: loads duban.dates (2 duban modules in all) only when this runs
    from duban.dates import period_end

    # A month stands for its days: --since 2019-06 is from 1 June, --until 2019-06 to 30 June.
    since = period_end(since, "--since", last=False).isoformat() if since else None
    until = period_end(until, "--until", last=True).isoformat() if until else None
    commits = plan_log(repo, plan_id, since, until, _known_unit(repo, unit) if unit else None)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json([{"sha": c.sha, "date": c.date, "author": c.author, "subject": c.subject,
                    "trailers": c.trailers, "paths": c.paths} for c in commits])
        return
    for commit in commits:
        by = commit.trailers.get("Reported-by")
        reported = commit.trailers.get("Report-date", "")
        # a paper report typed in later: the day the unit reported, beside the day it was typed in
        late = f"  ({_('reported {date}').format(date=reported)})" if reported and reported != commit.date[:10] else ""
        click.echo(f"{commit.sha[:10]}  {_when(commit.date)}  {commit.author}"
                   + (f"  [{by}]" if by else "") + late + f"  {commit.subject}")
    click.echo(ngettext("{count} commit", "{count} commits", len(commits)).format(count=len(commits)), err=True)


def _known_unit(repo, name: str) -> str:
    """The unit `name` names in some plan (a name, an alias or pinyin initials), or an error
    with the nearest names: an unknown unit must not give an empty log."""
    # Deferred: loads duban.errors and 1 more (14 duban modules in all) only when this runs
    from duban.errors import DubanError
    from duban.record.typed_values import unit_by_initials

    plans = repo.plans()
    for plan in plans:
        unit = plan.units.resolve(name) or unit_by_initials(plan, name)
        if unit is not None:
            return name if plan.units.resolve(name) else unit.name
    close = list(dict.fromkeys(s for plan in plans for s in plan.units.suggest(name)))[:3]
    raise DubanError(_("no plan has a unit {name!r}").format(name=name),
                     hint=_("did you mean {names}?").format(names=_(" or ").join(repr(c) for c in close)) if close
                     else _("`duban units` lists them"))


@click.command(cls=Command)
@click.option("--since", required=True, metavar="YYYY-MM-DD", help="First day of the period, or a month (2019-06).")
@click.option("--until", metavar="YYYY-MM-DD",
              help="Last day of the period, or a month. Default: the end of --since's month when it is one.")
@click.option("--plan", "plan_id", shell_complete=completion.plan_ids, metavar="PLAN-ID", help="Only this plan.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: for reading; json: for scripts.")
@click.pass_context
def diff(ctx: click.Context, since: str, until: str | None, plan_id: str | None, output_format: str) -> None:
    """What changed in a period, task by task and field by field: new reports, status
    changes, changed milestones. The basis of a monthly supervision circular.

    \b
    Example:
      duban diff --since 2019-06-01 --until 2019-06-30 --plan 2019-changning
      duban diff --since 2019-06
    """
    # Deferred: loads duban.dates and 1 more (14 duban modules in all) only when this runs
    from duban.dates import period_end
    from duban.record.changes import diff_between

    first = period_end(since, "--since", last=False)
    if until is None:
        # Deferred: loads duban.errors only when this runs
        from duban.errors import DubanError

        if first == period_end(since, "--since", last=True):
            raise DubanError(_("--since {since} is a day: give --until too").format(since=since),
                             hint=_("or give a month: --since 2019-06"))
    final = period_end(until if until is not None else since, "--until", last=True)
    changes = diff_between(repository(ctx), first.isoformat(), final.isoformat(), plan_id)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json([c.as_dict() for c in changes])
        return

    for change in changes:
        click.echo(f"{change.ref}  ({_(_CHANGE_KINDS.get(change.kind, change.kind))})")
        if change.problem is not None:
            click.echo(f"  ! {change.problem}")
        for report in change.new_reports:
            by = f" [{report['by']}]" if report.get("by") else ""
            note = f"  {report['note']}" if report.get("note") else ""
            # A status given with the report belongs to it, like its percent (docs/reading.md rule 4).
            status = f" ({shown('status', report['status'])})" if report.get("status") else ""
            click.echo("  + " + _("report {date}").format(date=report["date"])
                       + f"  {report['percent']:g}%{status}{by}{note}")
        for field_change in change.changes:
            click.echo(f"  ~ {_field(field_change.field)}: {_short(field_change.field, field_change.before)} -> "
                       f"{_short(field_change.field, field_change.after)}")
    click.echo(ngettext("{count} task changed from {since} to {until}", "{count} tasks changed from {since} to {until}",
                        len(changes)).format(count=len(changes), since=first.isoformat(), until=final.isoformat()), err=True)


def _field(name: str) -> str:
    """A task file's field (or milestones.Q2) as the interface names it."""
    head, dot, tail = name.partition(".")
    return shown("field", head) + dot + tail


def _short(field: str, value: object) -> str:
    if value is None:
        return _("(none)")
    if field == "status" and isinstance(value, str):
        return shown("status", value)
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    return truncate(str(value), 60)


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: for reading; json: for scripts.")
@click.pass_context
def blame(ctx: click.Context, ref: str, output_format: str) -> None:
    """For each field of REF, who last changed it and when.

    \b
    Examples:
      duban blame 2019-changning/3
      duban blame 2019-changning/3 --format json
    """
    # Deferred: loads duban.cli.output and 1 more (15 duban modules in all) only when this runs
    from duban.cli.output import emit_json, emit_table
    from duban.record.changes import blame_fields

    found = blame_fields(repository(ctx), ref)
    if output_format == "json":
        # The field's key and the commit's whole id, as the other commands' JSON gives them.
        emit_json([{"field": b.field, "date": b.date, "author": b.author, "unit": b.reported_by, "sha": b.sha,
                    "subject": b.summary} for b in found])
        return
    rows = [[_field(b.field), b.date, b.author, b.reported_by or "", b.sha[:10], b.summary] for b in found]
    headers = (N_("field"), N_("date"), N_("author"), N_("unit"), N_("commit"), N_("message"))
    emit_table(rows, [_(h) for h in headers], wide=(5,), keep=(0, 1, 4))
