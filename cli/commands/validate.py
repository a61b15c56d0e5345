"""`duban validate`: schema and consistency checks, printed as path:line:col or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command
from duban.cli.context import Options
from duban.cli.exit_codes import ExitCode
from duban.cli.options import format_option
from duban.i18n import _, ngettext


@click.command(cls=Command)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(
    ["text", "json"], "text: path:line:col: severity: message [rule]; json: a list of objects.", default="text"
)
@click.option("--rules", "list_rules", is_flag=True, help="List the rules a problem can name, and exit.")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], output_format: str, list_rules: bool) -> None:
    """Check plan and task files against the schema and each other.

    PATHS may be task files, plan.yaml files, plan folders or the plans/ folder;
    the default is every plan in the repository. Exit 0 when there is no error
    (warnings allowed), 1 when there are errors.

    \b
    Examples:
      duban validate
      duban validate plans/2019-changning/tasks/18.yaml --format json
      duban validate --rules
    """
    if list_rules:
        _print_rules(output_format)
        return
    # Deferred: loads duban.store.layout and 1 more (28 duban modules in all) only when this runs
    from duban.store.layout import find_root
    from duban.validate.validation import validate as run_validation

    options = ctx.find_object(Options) or Options()
    root = None if paths else find_root(explicit=options.repo)
    report = run_validation(paths, root=root)
    if root is not None:  # the whole repository: its access file too
        # Deferred: loads duban.guard.access (4 duban modules in all) only when this runs
        from duban.guard.access import check_file

        report.problems[:0] = check_file(root)
    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json([problem.as_dict() for problem in report.problems])
    else:
        for problem in report.problems:
            click.echo(problem.format())
    files = ngettext("{count} file checked", "{count} files checked", report.files_checked)
    errors = ngettext("{count} error", "{count} errors", report.errors)
    warnings = ngettext("{count} warning", "{count} warnings", report.warnings)
    click.echo(
        _("{files}: {errors}, {warnings}").format(
            files=files.format(count=report.files_checked),
            errors=errors.format(count=report.errors),
            warnings=warnings.format(count=report.warnings),
        ),
        err=True,
    )
    ctx.exit(ExitCode.PROBLEMS if report.errors else ExitCode.OK)


def _print_rules(output_format: str) -> None:
    """Every rule of duban.problems.RULES: its id, its severity, what it finds and the fix."""
    # Deferred: loads duban.problems only when this runs
    from duban.problems import RULES

    if output_format == "json":
        # Deferred: loads duban.cli.output only when this runs
        from duban.cli.output import emit_json

        emit_json(
            [
                {
                    "rule": rule.id,
                    "severity": rule.severity.value,
                    "description": _(rule.description),
                    "fix": _(rule.fix),
                }
                for rule in RULES.values()
            ]
        )
        return
    width = max(len(rule_id) for rule_id in RULES)
    for rule in RULES.values():
        line = _("{description}; {fix}").format(description=_(rule.description), fix=_(rule.fix))
        click.echo(f"{rule.id:<{width}}  {rule.severity.value:<7}  {line}")
