"""A self-contained HTML page and table, escaped, as the ledger and the circular print them."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from duban.supervise.export.text import LIGHT_FILLS, clean


def html_page(
    title: str,
    body: str,
    page: str = "A3 landscape",
    font: str = "10pt",
    meta: dict[str, str] | None = None,
    page_css: str | None = None,
) -> str:
    """A self-contained page; `meta` goes into <meta name=… content=…> tags (the commit a
    document was built from: in the page, not in its text); `page_css` the @page rules in
    place of `page` with 1.2 cm margins."""
    tags = "".join(
        f'<meta name="{html.escape(clean(k))}" content="{html.escape(clean(v))}">' for k, v in (meta or {}).items()
    )
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">{tags}<title>{html.escape(clean(title))}'
        '</title>\n<style>body{font-family:"FangSong","仿宋","Noto Serif CJK SC","Noto Sans CJK SC",'
        '"Microsoft YaHei",serif;margin:2em}table{border-collapse:collapse}'
        "td,th{border:1px solid #999;padding:4px 6px;vertical-align:top}th{background:#eee}"
        + (page_css or f"@page{{size:{page};margin:1.2cm}}")
        + f"@media print{{body{{margin:0;font-size:{font}}}}}"
        + "".join(f".light-{k}{{background:#{v}}}" for k, v in LIGHT_FILLS.items())
        + "</style></head><body>\n"
        + body
        + "</body></html>\n"
    )


def html_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    colours: Sequence[str] | None = None,
    light_column: int | None = None,
    widths: Sequence[float] | None = None,
    centred: set[int] | None = None,
) -> str:
    """A table; `widths` its columns' shares of the page in percent (a fixed layout: left
    to itself, a browser squeezed a ledger's short columns to one character a line), and
    `centred` the columns set centred."""
    fixed = ' class="fixed"' if widths else ""
    out = [f"<table{fixed}>"]
    if widths:
        out.append("<colgroup>" + "".join(f'<col style="width:{w:.2f}%">' for w in widths) + "</colgroup>")
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(clean(h))}</th>" for h in headers) + "</tr></thead>")
    column = len(headers) - 1 if light_column is None else light_column
    for index, row in enumerate(rows):
        cells = []
        for position, value in enumerate(row):
            classes = ([f"light-{colours[index]}"] if colours and position == column else []) + (
                ["c"] if centred and position in centred else []
            )
            css = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{css}>{html.escape(clean(value)).replace(chr(10), '<br>')}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out) + "\n"


# The HTML ledger prints A3 landscape in 8 pt, its scores on an A4 portrait page of their own
