"""`duban units`: a plan's units, their other names, and how many tasks each leads and supports."""

from __future__ import annotations

from typing import Any

import click

from duban.cli.base import Command
from duban.cli.context import selection as select_tasks
from duban.cli.exit_codes import ExitCode
from duban.cli.options import format_option
from duban.i18n import N_, _

# The kinds plan.schema.json allows, for the catalog.
_KINDS = {
    "department": N_("department"),
    "government": N_("government"),
    "street": N_("street"),
    "town": N_("town"),
    "company": N_("company"),
    "group": N_("group"),
    "collective": N_("collective"),
    "other": N_("other"),
}


@click.command(cls=Command)
@click.option(
    "--plan", "plan_ids", multiple=True, metavar="PLAN-ID", help="Only this plan (repeatable). Default: every plan."
)
@format_option(["table", "json"], "table: for reading; json: for scripts.", default="table")
@click.pass_context
def units(ctx: click.Context, plan_ids: tuple[str, ...], output_format: str) -> None:
    """List each plan's units: name, kind, aliases, pinyin initials, tasks led and supported.

    The names here are the ones --by, lead:, support: and unit: accept; so are the
    aliases and the pinyin initials (fgw for 发改委).

    \b
    Example:
      duban units --plan 2019-changning
    """
    # Deferred: loads duban.text.pinyin (2 duban modules in all) only when this runs
    from duban.text.pinyin import common_initials

    def initials(name: str) -> str:
        # The common readings (体育局: tyj): a clerk types those. The rarer ones match too, but
        # shown as [bct][yz]j they read as a regular expression, not as something to type.
        return common_initials(name)

    selection = select_tasks(ctx, plan_ids, None)
    rows: list[dict[str, Any]] = []
    for plan in selection.repo.plans():
        if plan_ids and plan.id not in plan_ids:
            continue
        tasks = [task for task in selection.tasks if task.plan_id == plan.id]
        for unit in plan.units:
            leads = sum(1 for task in tasks if unit.name in selection.lead(task))
            supports = sum(1 for task in tasks if unit.name in task.support)
            rows.append(
                {
                    "plan": plan.id,
                    "unit": unit.name,
                    "kind": unit.kind,
                    "aliases": list(unit.aliases),
                    "initials": initials(unit.name),
                    "leads": leads,
                    "supports": supports,
                }
            )
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json(rows)
    else:
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_table

        emit_table(
            [
                [
                    r["plan"],
                    r["unit"],
                    _(_KINDS.get(r["kind"], r["kind"])),
                    "、".join(r["aliases"]),
                    r["initials"],
                    str(r["leads"]),
                    str(r["supports"]),
                ]
                for r in rows
            ],
            [_("plan"), _("unit"), _("kind"), _("aliases"), _("initials"), _("leads"), _("supports")],
            wide=(1, 3),
        )
    for problem in selection.problems:
        click.echo(_("{problem} (left out; run `duban validate`)").format(problem=problem.format()), err=True)
    ctx.exit(ExitCode.PROBLEMS if selection.problems else ExitCode.OK)
