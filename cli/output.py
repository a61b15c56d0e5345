"""Printing data: tables sized for Chinese text, JSON and CSV on stdout."""
from __future__ import annotations

import csv
import json
import os
import sys
from typing import Any, Sequence

import click


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def emit_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> None:
    from duban.rows import csv_cell

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in fields])


def emit_table(rows: Sequence[Sequence[str]], headers: Sequence[str],
               wide: Sequence[int] = (), keep: Sequence[int] = (0,)) -> None:
    """A table measured in terminal cells (a CJK character is two), fitted to the terminal.

    When rows are too wide, the `wide` columns are cut first (with an ellipsis), then the
    others; `keep` columns (the ref, by default) are never cut. Piped output is fitted to $COLUMNS,
    or 200 when unset, so scripts get whole rows.
    """
    import shutil

    from duban.textwidth import cell_width, truncate

    if sys.stdout.isatty():
        width = shutil.get_terminal_size((120, 24)).columns
    else:
        width = int(os.environ.get("COLUMNS", "200"))
    gap = 2
    widths = [max([cell_width(h), *(cell_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    excess = sum(widths) + gap * (len(widths) - 1) - width
    others = [i for i in range(len(widths)) if i not in wide and i not in keep]
    for candidates, floor in ((list(wide), 24), (others, 8), (list(wide), 6), (others, 4)):
        while excess > 0:
            shrinkable = [i for i in candidates if widths[i] > floor]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            step = min(excess, widths[widest] - floor, max(1, widths[widest] // 4))
            widths[widest] -= step
            excess -= step

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            text = truncate(cell, widths[i])
            out.append(text + " " * (widths[i] - cell_width(text)))
        return (" " * gap).join(out).rstrip()

    click.echo(line(headers))
    click.echo((" " * gap).join("─" * w for w in widths))
    for row in rows:
        click.echo(line(row))
