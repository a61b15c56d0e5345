"""`duban explain`, `duban report`, `duban export` and `duban circular`."""
from __future__ import annotations

from pathlib import Path

import click

from duban.cli import completion
from duban.cli.base import Command, Word
from duban.cli.context import left_out, repository, selection as select_tasks
from duban.cli.output import emit_csv, emit_document, emit_json, emit_table
from duban.i18n import N_, _, pgettext
from duban.vocabulary import shown

REPORT_GROUPS = ("unit", "area", "type", "plan")

# Table headers of `duban report` (JSON and CSV keep the field names).
_BY_WORDS = {"unit": N_("unit"), "area": N_("area"), "type": N_("type"), "plan": N_("plan")}
_REPORT_COLUMNS = {"role": N_("role"), "done": N_("done"), "green": N_("green"),
                   "yellow": N_("yellow"), "red": N_("red"), "grey": N_("grey"), "late": N_("late"),
                   "on_time_rate": N_("on-time %")}


@click.command(cls=Command)
@click.argument("ref", shell_complete=completion.refs)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Date of the light (default today; a past date reads git).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: for reading; json: for scripts.")
@click.pass_context
def explain(ctx: click.Context, ref: str, as_of: str | None, output_format: str) -> None:
    """Why REF has its warning light (and whether its report is late).

    \b
    Example:
      duban explain 2019-changning/7 --as-of 2019-06-30
    """
    # Deferred: loads duban.supervise (8 duban modules in all) only when this runs
    from duban.supervise import lights

    current = repository(ctx).resolve(ref)
    selection = select_tasks(ctx, [current.plan_id], as_of)
    task = next((t for t in selection.tasks if t.id == current.id), None)
    if task is None:
        # Deferred: loads duban.record.history (14 duban modules in all) only when this runs
        from duban.record.history import absent_from_view

        raise absent_from_view(current.ref, current.id, str(as_of), selection.problems)
    data = lights.explain(task, selection.plan(task), selection.as_of, selection.sealed(task), selection.lead(task))
    if output_format == "json":
        emit_json(data)
        return
    click.echo(_("{ref}: {light} as of {date} (reported {percent:g}%, expected {expected:g}%)").format(
        ref=task.ref, light=_(data["light"]), date=data["as_of"], percent=data["percent"], expected=data["expected"]))
    for reason in data["reasons"]:
        click.echo(f"  - {reason}")
    if data["late"]:
        click.echo(f"  - {_('late report')}: {data['late_reason']}")
    for part in data["supporting"]:
        click.echo("  - " + _("{unit} (supporting) reported {percent:g}% on {date}: its own part, not the task's "
                              "percent").format(unit=part["unit"], percent=part["percent"], date=part["date"]))


@click.command("report", cls=Command)
@click.argument("query", nargs=-1, shell_complete=completion.query_terms)
@click.option("--plan", "plan_ids", shell_complete=completion.plan_ids, multiple=True, metavar="PLAN-ID",
              help="Only this plan (repeatable). Default: every plan.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The lights as of that day (default today; a past "
              "date reads git).")
@click.option("--by", "by", type=Word("field", REPORT_GROUPS), default="unit", show_default=True,
              help="What to group by (the English or Chinese word: unit 单位, area 领域, type 类型, plan 计划).")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv", "md"]), default="table",
              show_default=True, help="table or md: for reading; json and csv: for scripts.")
@click.pass_context
def report_command(ctx: click.Context, query: tuple[str, ...], plan_ids: tuple[str, ...], as_of: str | None,
                   by: str, output_format: str) -> None:
    """Tasks, done, lights, late reports and on-time reporting rate per unit (as lead and
    as support), area, type or plan, worst first. QUERY narrows the tasks (see duban list).

    \b
    Examples:
      duban report --as-of 2019-06-30 lead:fgw
      duban report --by 领域 --format md
    """
    # Deferred: loads duban.supervise.reports (24 duban modules in all) only when this runs
    from duban.supervise.reports import COLUMNS, report

    selection = select_tasks(ctx, plan_ids, as_of)
    tallies = report(selection, selection.where(" ".join(query)), by)
    rows = [t.as_dict() for t in tallies]
    columns = COLUMNS if by == "unit" else tuple(c for c in COLUMNS if c != "role")
    if output_format == "json":
        emit_json(rows)
    elif output_format == "csv":
        emit_csv(rows, columns)
    else:
        # Deferred: loads duban.supervise.rows (23 duban modules in all) only when this runs
        from duban.supervise.rows import plain_cell

        cells = [[shown("role", tally.role) if c == "role" else plain_cell(row[c]) for c in columns]
                 for tally, row in zip(tallies, rows)]
        headers = [_(_BY_WORDS[by]) if c == "group" else pgettext("count", "tasks") if c == "tasks"
                   else _(_REPORT_COLUMNS.get(c, c)) for c in columns]
        if output_format == "md":
            # Deferred: loads duban.supervise.export.text (25 duban modules in all) only when this runs
            from duban.supervise.export.text import markdown_table

            click.echo(markdown_table(headers, cells), nl=False)
        else:
            emit_table(cells, headers, wide=(0,), keep=tuple(range(1, len(columns))))
    click.echo(_("as of {date}; {count} groups").format(date=selection.as_of.isoformat(), count=len(rows)), err=True)
    left_out(ctx, selection.problems)


# The formats a file's name says; a name duban does not know leaves it to --format.
FORMAT_OF_SUFFIX = {".docx": "docx", ".xlsx": "xlsx", ".csv": "csv", ".md": "md", ".markdown": "md",
                    ".html": "html", ".htm": "html"}
BINARY_FORMATS = ("docx", "xlsx")


def chosen_format(given: str | None, output: Path | None, choices: tuple[str, ...], default: str | None) -> str:
    """--format, or the format the file's name says; refused at the door when the two disagree
    (Markdown written into 通报.docx cannot be opened by Word) or a binary format would go to
    standard output (`-o -` or no -o)."""
    # Deferred: loads duban.errors only when this runs
    from duban.errors import DubanError

    if output is not None and output.suffix.lower() == ".pdf":
        raise DubanError(_("duban does not write PDF: {path}").format(path=output),
                         hint=_("write .{first}, then save it as PDF from Word, WPS or LibreOffice").format(
                             first="docx" if "docx" in choices else choices[0]))
    named = FORMAT_OF_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if named is not None and named not in choices:
        named = None
    if given is not None and named is not None and given != named:
        raise DubanError(_("--format {format} does not match the file name {path} ({named})").format(
            format=given, path=output, named=named),
            hint=_("drop --format, or name the file .{format}").format(format=given))
    # The default is for standard output only: a file named 通报 or x.pdf would get Markdown
    # that nothing opens by that name.
    fmt = given or named or (default if output is None else None)
    if fmt is None and output is None:
        shown = [choice for choice in choices if choice not in BINARY_FORMATS]
        raise DubanError(_("which format for standard output?"),
                         hint=_("add --format ({choices})").format(choices=", ".join(shown)))
    if fmt is None:
        raise DubanError(_("which format? {path} does not say").format(path=output),
                         hint=_("add --format ({choices}), or name the file .{first}").format(
                             choices=", ".join(choices), first=choices[0]))
    if fmt in BINARY_FORMATS and output is None:
        raise DubanError(_("a .{format} file cannot go to standard output").format(format=fmt),
                         hint=_("add -o FILE.{format}").format(format=fmt))
    return fmt


def output_file(output: Path | None) -> Path | None:
    """The file -o names; None for standard output (no -o, or `-o -`)."""
    return None if output is None or str(output) == "-" else output


def output_folder(path: Path) -> None:
    """Refuse an output path whose folder does not exist, in one line rather than a crash."""
    # Deferred: loads duban.errors only when this runs
    from duban.errors import DubanError

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise DubanError(_("folder {folder} does not exist").format(folder=folder),
                         hint=_("create it first, or write to an existing folder"))


@click.command("export", cls=Command)
@click.argument("query", nargs=-1, shell_complete=completion.query_terms)
@click.option("--plan", "plan_id", shell_complete=completion.plan_ids,
              metavar="PLAN-ID", help="The plan to export (default: the only plan here, or of the --as-of year).")
@click.option("--format", "output_format", type=click.Choice(["xlsx", "csv", "md", "html"]),
              help="xlsx for Excel or WPS; csv, md or html. Default: what the file's name says.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path), required=True,
              help="File to write (- for standard output: csv, md or html).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Date of the ledger (default today; for a past plan, its last reporting deadline).")
@click.option("--sheets", type=click.Choice(["single", "area"]), default="single", show_default=True,
              help="xlsx: one filterable sheet, or one sheet per area.")
@click.option("--title-rows", is_flag=True,
              help="csv: begin with the ledger's title and 编制单位/截至 lines, as it prints (default: the header "
                   "first, as spreadsheets and scripts read a CSV).")
@click.pass_context
def export_command(ctx: click.Context, query: tuple[str, ...], plan_id: str | None, output_format: str, output: Path,
                   as_of: str | None, sheets: str, title_rows: bool) -> None:
    """Export the plan's ledger (台账) as an office prints it: title, 截至 date, the source
    table's columns, 完成进度, light, status, one column per reporting month, and the units'
    scores. QUERY narrows the tasks (see duban list).

    \b
    Examples:
      duban export --plan 2019-changning -o 台账.xlsx --as-of 2019-06-30
      duban export --plan 2019-changning -o red.csv light:red
    """
    # Deferred: loads duban.dates and 3 more (34 duban modules in all) only when this runs
    from duban.dates import parse_day
    from duban.store.repository import chosen_plan
    from duban.supervise.export.formats import export
    from duban.supervise.scoring import default_as_of

    plan_id = chosen_plan(repository(ctx), plan_id, parse_day(as_of, "--as-of").year if as_of else None)
    path = output_file(output)
    output_format = chosen_format(output_format, path, ("xlsx", "csv", "md", "html"), None)
    if path is not None:
        output_folder(path)
    if as_of is None:
        as_of = default_as_of(repository(ctx).plan(plan_id)).isoformat()
    selection = select_tasks(ctx, [plan_id], as_of)
    tasks = selection.where(" ".join(query))
    _ledger, text = export(selection, tasks, output_format, path, per_area=sheets == "area", plan_id=plan_id,
                           title_rows=title_rows)
    if text is not None:
        emit_document(text)
    click.echo(_("wrote {count} tasks to {path}").format(count=len(tasks), path=path or "-"), err=True)
    left_out(ctx, selection.problems)


@click.command(cls=Command)
@click.option("--month", required=True, metavar="YYYY-MM", help="The month the circular covers.")
@click.option("--plan", "plan_id", shell_complete=completion.plan_ids,
              metavar="PLAN-ID", help="Default: the only plan of the month's year.")
@click.option("--format", "output_format", type=click.Choice(["md", "html", "docx"]),
              help="docx: the document to issue; md: Markdown; html: one self-contained page. "
                   "Default: what the file's name says, else md.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="File to write (default or -: standard output; a file for docx).")
@click.option("--issue", type=click.IntRange(min=1), metavar="N",
              help="The issue number 第N期 (default: counted per month from plan.yaml's circular.first_month).")
@click.option("--date", "issued", metavar="YYYY-MM-DD",
              help="The issue date (default: the date of the commit it is built from, or the month's end if later).")
@click.pass_context
def circular(ctx: click.Context, month: str, plan_id: str | None, output_format: str, output: Path | None,
             issue: int | None, issued: str | None) -> None:
    """The monthly supervision circular (督查通报) as .docx, Markdown or self-contained HTML.

    \b
    Example:
      duban circular --month 2019-06 -o 通报.docx
    """
    # Deferred: loads duban.dates and 2 more (40 duban modules in all) only when this runs
    from duban.dates import parse_day
    from duban.supervise.circular.building import build
    from duban.supervise.circular.rendering import to_html, to_markdown

    output = output_file(output)
    output_format = chosen_format(output_format, output, ("md", "html", "docx"), "md")
    if output is not None:
        output_folder(output)
    day = parse_day(issued, "--date") if issued else None
    data = build(repository(ctx), month, plan_id, issue=issue, issued=day)
    for note in data.notes:
        click.echo(_("note: {note}").format(note=note), err=True)
    if output_format == "docx":
        # Deferred: loads duban.supervise.circular.docx (33 duban modules in all) only when this runs
        from duban.supervise.circular.docx import write_docx

        assert output is not None, "chosen_format sends no .docx to standard output"
        write_docx(data, output)
        click.echo(_("wrote {path}").format(path=output), err=True)
        left_out(ctx, data.problems)
        return
    text = to_html(data) if output_format == "html" else to_markdown(data)
    if output is None:
        emit_document(text)
    else:
        # Deferred: loads duban.store.files (3 duban modules in all) only when this runs
        from duban.store.files import write_output

        write_output(output, text.encode("utf-8"))
        click.echo(_("wrote {path}").format(path=output), err=True)
    left_out(ctx, data.problems)
