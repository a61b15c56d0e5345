"""`duban site`: the record as a static site for reviewers, written into a folder."""

from __future__ import annotations

from pathlib import Path

import click

from duban.cli.base import Command
from duban.cli.context import repository
from duban.cli.options import as_of_option, plan_option
from duban.i18n import _, set_language
from duban.i18n import language as interface_language


@click.command("site", cls=Command)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    metavar="DIR",
    help="Folder to write the site into (made if missing). Files an earlier build wrote there and this "
    "one does not make are removed; nothing else in it is touched.",
)
@plan_option("Only this plan (repeatable). Default: every plan.", several=True)
@as_of_option("The day the site shows (default: today while a plan runs, else its last reporting deadline).")
@click.option(
    "--lang",
    "site_language",
    type=click.Choice(["zh", "en"]),
    help="Language of the site (default: Chinese, or English where duban --lang en is given).",
)
@click.pass_context
def site(
    ctx: click.Context, output: Path, plan_ids: tuple[str, ...], as_of: str | None, site_language: str | None
) -> None:
    """Write the record as a static site for reviewers: the plan's 对照表 and lights, each unit,
    each task's whole story, each period with its circular, and the seals with their check.
    HTML, CSS and a little JavaScript that open from the folder (file://, a CD, a USB stick)
    with no server and no network. The site is Chinese unless --lang en is given.
    Rebuilding rewrites only the files that changed; progress goes to stderr.

    \b
    Examples:
      duban site -o 督办网页
      duban site --plan 2019-changning --as-of 2019-06-30 -o site
    """
    # Deferred: loads duban.dates and 1 more (14 duban modules in all) only when this runs
    from duban.dates import parse_day
    from duban.site import build

    repo = repository(ctx)
    for plan_id in plan_ids:
        repo.plan(plan_id)
    day = parse_day(as_of, "--as-of") if as_of else None
    output.mkdir(parents=True, exist_ok=True)

    def progress(line: str) -> None:
        click.echo(_("site: {step}").format(step=line), err=True)

    # The site speaks Chinese whatever the locale; English only when asked for by name
    # (duban --lang en, DUBAN_LANG=en). The interface's language comes back afterwards.
    language = site_language or ctx.find_root().params.get("lang") or "zh"
    before = interface_language()
    set_language(language)
    try:
        result = build(repo, output, plan_ids, day, language, progress)
    finally:
        set_language(before)
    click.echo(
        _("wrote {written} files, {unchanged} unchanged, {removed} removed: {path}").format(
            written=len(result.written),
            unchanged=len(result.unchanged),
            removed=len(result.removed),
            path=output / "index.html",
        ),
        err=True,
    )
