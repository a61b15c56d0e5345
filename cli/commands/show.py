"""`duban show`: one task in full, wrapped for Chinese text, or as YAML or JSON."""
from __future__ import annotations

import shutil

import click

from duban.cli import completion
from duban.cli.base import Command

from duban.i18n import _

from duban.cli.context import repository


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.option("--format", "output_format", type=click.Choice(["text", "yaml", "json"]),
              default="text", show_default=True,
              help="text: for reading; yaml: the file as stored; json: fields plus ref and effective lead.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Show the task as it stood on that day (from git).")
@click.pass_context
def show(ctx: click.Context, ref: str, output_format: str, as_of: str | None) -> None:
    """Show one task: REF is PLAN-ID/ID, or ID alone when only one plan has it.

    \b
    Examples:
      duban show 2019-changning/18
      duban show 2008-baoshan/1-4 --format yaml
      duban show 2019-changning/3 --as-of 2019-06-30
    """
    from duban.model import effective_lead

    repo = repository(ctx)
    if as_of:
        from duban.history import tasks_as_of

        current = repo.resolve(ref)
        then = {t.id: t for t in tasks_as_of(repo, current.plan_id, as_of)}
        if current.id not in then:
            from duban.errors import DubanError

            raise DubanError(_("{ref} did not exist on {date}").format(ref=current.ref, date=as_of))
        task, lineage = then[current.id], then
    else:
        task = repo.resolve(ref)
        lineage = repo.lineage(task)
    lead = effective_lead(task, lineage)
    if output_format == "yaml":
        if as_of:
            from duban.history import task_text_as_of

            click.echo(task_text_as_of(repo, task.ref, as_of), nl=False)
        else:
            click.echo(task.path.read_text(encoding="utf-8"), nl=False)
    elif output_format == "json":
        from dataclasses import asdict

        from duban.cli.output import emit_json

        data = asdict(task)
        data.update(ref=task.ref, path=repo.display(task.path), effective_lead=list(lead))
        emit_json(data)
    else:
        width = min(shutil.get_terminal_size((100, 24)).columns, 120)
        click.echo("\n".join(render_text(task, lead, repo.plan(task.plan_id), repo.display(task.path), width)))


def render_text(task, lead, plan, shown_path: str, width: int) -> list[str]:  # noqa: ANN001
    from duban.textwidth import cell_width, wrap
    from duban.vocabulary import shown

    role = plan.roles
    lead_label = f"{_('lead')} ({role['lead']})" if "lead" in role else _("lead")
    support_label = f"{_('support')} ({role['support']})" if "support" in role else _("support")
    label_width = max(12, cell_width(lead_label) + 2, cell_width(support_label) + 2)
    lines = [*wrap(f"{task.ref}  {task.title}", width), "─" * min(width, 60)]

    def field(label: str, value: str | None) -> None:
        if not value:
            return
        body = wrap(value, width - label_width)
        pad = " " * max(label_width - cell_width(label), 1)
        lines.append(f"{label}{pad}{body[0]}")
        lines.extend(" " * label_width + more for more in body[1:])

    field(_("area"), " › ".join(x for x in (task.area, task.section) if x))
    field(_("category"), task.category)
    field(_("parent"), f"{task.plan_id}/{task.parent}" if task.parent else None)
    lead_text = "、".join(lead) + ("  " + _("(inherited from parent)") if lead and not task.lead else "")
    field(lead_label, lead_text)
    field(support_label, "、".join(task.support))
    if task.type:
        field(_("type"), f"{task.type} {plan.target_types.get(task.type, '')}".strip())
    latest = task.latest
    status = _(task.status) + (" · " + _("{percent:g}% on {date}").format(percent=latest.percent, date=latest.date)
                               if latest else "")
    field(_("status"), status)
    field(_("due"), task.due)
    lines.append("")
    lines.extend(wrap(task.text, width))
    if task.milestones:
        lines += ["", _("milestones")]
        for key, value in task.milestones.items():
            field(f"  {key}", value)
    if task.indicators:
        lines += ["", _("indicators")]
        for indicator in task.indicators:
            name = indicator.get("name", "")
            field(f"  {shown('indicator', indicator['kind'])}", f"{name} {indicator['value']:g} {indicator['unit']}".strip())
    if task.progress:
        lines += ["", _("progress")]
        for report in task.progress:
            by = f" ({report.by})" if report.by else ""
            field(f"  {report.date}", f"{report.percent:g}%{by} {report.note or ''}".rstrip())
    lines.append("")
    source = task.source
    if source:
        span = source.get("lines")
        field(_("source"), source["document"] + (" " + _("lines {first}-{last}").format(first=span[0], last=span[1])
                                                 if span else ""))
    field(_("file"), shown_path)
    return lines
