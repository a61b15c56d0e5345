"""HTML for the static site: escaping, the page around each body, tables, links between pages
and lights that do not rely on colour alone (a shape and a word beside the colour).

Every text from outside (titles, notes, names, commit subjects) goes through `esc`, which
cleans it the way the circular and the ledger do (duban.supervise.export.clean) and escapes
it, so a note holding `<script>` shows as written. Links are relative, so the site opens from
a folder, a CD or a USB stick (file://) with no server; nothing on any page names another host.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from duban.i18n import _, language
from duban.states import LightColour
from duban.supervise.export.text import clean
from duban.vocabulary import chinese, light_word, shown

LIGHT_SHAPES = {LightColour.RED: "■", LightColour.YELLOW: "▲", LightColour.GREEN: "●", LightColour.GREY: "○"}
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,60}$")


def esc(text: Any) -> str:
    """Outside text as HTML that shows it as written: cleaned, escaped, line breaks kept."""
    if text is None:
        return ""
    return html.escape(clean(text)).replace("\n", "<br>")


def attr(text: Any) -> str:
    return html.escape(clean(text), quote=True).replace("\n", " ")


def slug(name: str, prefix: str) -> str:
    """A file name for a task id or a unit: the id itself where it is plain ASCII (18, 14a,
    1-4), else a digest of the name, so every name has one stable file on every disk."""
    if _SAFE_NAME.match(name) and name not in (".", ".."):
        return name
    return prefix + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


@functools.lru_cache(maxsize=1 << 16)  # posixpath.relpath splits both paths each time; a site links the same few
def rel(source: str, target: str) -> str:
    """The relative link from page `source` to page `target` (both paths from the site's root)."""
    start = posixpath.dirname(source) or "."
    return posixpath.relpath(target, start)


def chinese_date(day: dt.date | str | None) -> str:
    if day is None:
        return ""
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day[:10])
        except ValueError:
            return esc(day)
    return f"{day.year}年{day.month}月{day.day}日" if _is_chinese() else day.isoformat()


def _is_chinese() -> bool:
    return language() == "zh"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:g}%"


def light_badge(colour: LightColour, late: bool = False) -> str:
    """A light as a shape, a word and a colour: readable in black and white and by a screen reader."""
    word = light_name(colour)
    late_words = f'<span class="late">{esc(_("late report"))}</span>' if late else ""
    return (
        f'<span class="light light-{colour}"><span aria-hidden="true">{LIGHT_SHAPES.get(colour, "")}</span> '
        f"{esc(word)}</span>{late_words}"
    )


def light_name(colour: str) -> str:
    return light_word(colour) if _is_chinese() else colour


def status_name(status: str) -> str:
    return shown("status", status) if status else ""


def field_name(key: str) -> str:
    return shown("field", key)


def quarter_name(key: str) -> str:
    return chinese("quarter", key) if _is_chinese() and key.startswith("Q") else key


@dataclass
class Column:
    """A table column: its header, and whether it may be hidden on a narrow screen."""

    header: str
    optional: bool = False
    numeric: bool = False


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    caption: str | None = None,
    css: str = "",
    row_classes: Sequence[str] | None = None,
) -> str:
    """A table of cells that are already HTML; headers are <th scope="col">. Wrapped so a wide
    table scrolls on a phone instead of squeezing its text into one column of characters; a
    table with the css class `stack` is instead laid out on a phone a row a block, each cell
    on its own line after its header (its data-label), so no column is out of sight."""
    head = "".join(f'<th scope="col"{_cell_class(c)}>{esc(c.header)}</th>' for c in columns)
    stacked = "stack" in css.split()
    colon = "：" if language() == "zh" else ": "
    labels = [f' data-label="{attr(c.header + colon)}"' if stacked else "" for c in columns]
    body = []
    for index, row in enumerate(rows):
        extra = f' class="{row_classes[index]}"' if row_classes and row_classes[index] else ""
        cells = "".join(f"<td{_cell_class(c)}{label}>{cell}</td>" for c, label, cell in zip(columns, labels, row))
        body.append(f"<tr{extra}>{cells}</tr>")
    caption_html = f"<caption>{esc(caption)}</caption>" if caption else ""
    empty = f'<tr><td colspan="{len(columns)}">{esc(_("none"))}</td></tr>' if not body else ""
    return (
        f'<div class="scroll"><table class="{css}">{caption_html}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}{empty}</tbody></table></div>"
    )


def _cell_class(column: Column) -> str:
    names = (["opt"] if column.optional else []) + (["num"] if column.numeric else [])
    return f' class="{" ".join(names)}"' if names else ""


def link(href: str, text: str, already_html: bool = False) -> str:
    return f'<a href="{attr(href)}">{text if already_html else esc(text)}</a>'


def definition_list(items: Iterable[tuple[str, str]]) -> str:
    return '<dl class="facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items if v) + "</dl>"


@dataclass
class Page:
    """One page of the site: where it goes, its title and breadcrumbs, its body (HTML)."""

    path: str  # from the site's root, with / between parts
    title: str
    body: str
    crumbs: tuple[tuple[str, str], ...] = ()  # (path from root, words), the page itself last
    nav: tuple[tuple[str, str], ...] = ()  # the plan's sections: (path from root, words)
    paper: str = "A4"  # "A4" or "A3": the widest table decides
    scripts: tuple[str, ...] = ()  # from the site's root

    def render(self, language: str) -> str:
        def to(target: str) -> str:
            return rel(self.path, target)

        crumbs = " › ".join(
            link(to(p), w) if p != self.path else f'<span aria-current="page">{esc(w)}</span>' for p, w in self.crumbs
        )
        nav = "".join(f"<li>{link(to(p), w)}</li>" for p, w in self.nav)
        scripts = "".join(f'<script src="{attr(to(s))}"></script>' for s in self.scripts)
        search = (
            f'<form class="search" action="{attr(to("search.html"))}" method="get" role="search">'
            f'<label for="q" class="hidden">{esc(_("Search tasks and units"))}</label>'
            f'<input id="q" name="q" type="search" placeholder="{attr(_("Search: words or pinyin initials"))}">'
            f'<button type="submit">{esc(_("Search"))}</button></form>'
        )
        paper = ' class="paper-a3"' if self.paper == "A3" else ""
        return (
            f'<!DOCTYPE html>\n<html lang="{"zh-CN" if language == "zh" else "en"}">'
            f'<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(self.title)}</title>"
            f'<link rel="stylesheet" href="{attr(to("assets/site.css"))}"></head>\n'
            f"<body{paper}>"
            f'<a class="skip" href="#main">{esc(_("Skip to the content"))}</a>'
            f'<header class="top"><nav aria-label="{attr(_("Where you are"))}" class="crumbs">{crumbs}</nav>'
            f"{search}</header>"
            + (f'<nav class="sections" aria-label="{attr(_("Sections"))}"><ul>{nav}</ul></nav>' if nav else "")
            + f'<main id="main">\n{self.body}\n</main>{scripts}</body></html>\n'
        )
