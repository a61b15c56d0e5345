"""Charts drawn as SVG when the site is built (no chart service, no script): a task's, an
area's or a unit's percent against the expected progress (序时进度) period by period, and the
lights of each unit at each period. Every chart has a title, text inside it for a screen
reader (<title>, <desc>) and lines told apart by their dashes as well as their colours; the
figures behind it are in a table on the same page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from duban.i18n import _
from duban.site.html import LIGHT_SHAPES, attr, esc, light_name
from duban.states import LIGHT_ORDER, LightColour

COLOURS = {
    LightColour.RED: "#c00000",
    LightColour.YELLOW: "#d4a300",
    LightColour.GREEN: "#2e8b57",
    LightColour.GREY: "#a0a0a0",
}


@dataclass(frozen=True)
class Point:
    label: str  # the period: 5月, 3-4月
    done: float  # the percent the reading gives
    expected: float  # 序时进度


def progress_chart(title: str, points: Sequence[Point]) -> str:
    """Two lines over the periods: the percent done (solid) and the expected progress (dashed)."""
    if not points:
        return ""
    width, height, left, right, top, bottom = 640, 260, 44, 16, 28, 40
    span_x = width - left - right
    span_y = height - top - bottom
    step = span_x / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(points) > 1 else span_x / 2)

    def y(value: float) -> float:
        return top + span_y * (1 - max(0.0, min(100.0, value)) / 100)

    grid = "".join(
        f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
        f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{v}%</text>'
        for v in (0, 25, 50, 75, 100)
    )
    labels = "".join(
        f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11">{esc(p.label)}</text>'
        for i, p in enumerate(points)
    )
    done_line = " ".join(f"{x(i):.1f},{y(p.done):.1f}" for i, p in enumerate(points))
    expected_line = " ".join(f"{x(i):.1f},{y(p.expected):.1f}" for i, p in enumerate(points))
    dots = "".join(
        f'<circle cx="{x(i):.1f}" cy="{y(p.done):.1f}" r="3.5" fill="#0645ad">'
        f"<title>{esc(p.label)}: {esc(_('done'))} {p.done:g}%, {esc(_('expected'))} {p.expected:g}%</title>"
        "</circle>"
        for i, p in enumerate(points)
    )
    done_words, expected_words = _("percent done"), _("expected progress (序时进度)")
    description = "; ".join(f"{p.label} {p.done:g}% / {p.expected:g}%" for p in points)
    legend = (
        f'<line x1="{left}" x2="{left + 24}" y1="14" y2="14" stroke="#0645ad" stroke-width="2.5"/>'
        f'<text x="{left + 30}" y="18" font-size="12">{esc(done_words)}</text>'
        f'<line x1="{left + 200}" x2="{left + 224}" y1="14" y2="14" stroke="#c00000" stroke-width="2"'
        f' stroke-dasharray="6 4"/><text x="{left + 230}" y="18" font-size="12">{esc(expected_words)}</text>'
    )
    return (
        f'<figure class="chart"><svg viewBox="0 0 {width} {height}" role="img" aria-label="{attr(title)}">'
        f"<title>{esc(title)}</title><desc>{esc(description)}</desc>{grid}{labels}{legend}"
        f'<polyline points="{expected_line}" fill="none" stroke="#c00000" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<polyline points="{done_line}" fill="none" stroke="#0645ad" stroke-width="2.5"/>{dots}</svg>'
        f"<figcaption>{esc(title)}</figcaption></figure>"
    )


@dataclass(frozen=True)
class Row:
    name: str
    href: str  # relative link to the unit's page
    counts: Sequence[dict[LightColour, int]]  # per period: light -> tasks led


def light_matrix(title: str, periods: Sequence[str], rows: Sequence[Row]) -> str:
    """One row per unit, one column per period: a bar split into the unit's red, yellow,
    green and grey tasks at that period, each part with its count as text."""
    if not periods or not rows:
        return ""
    name_width, cell, row_height, top = 150, 64, 22, 24
    width = name_width + cell * len(periods) + 8
    height = top + row_height * len(rows) + 8
    parts = [
        f'<text x="{name_width + cell * i + cell / 2:.0f}" y="16" text-anchor="middle" font-size="11">'
        f"{esc(label)}</text>"
        for i, label in enumerate(periods)
    ]
    for r, row in enumerate(rows):
        y = top + r * row_height
        parts.append(
            f'<a href="{attr(row.href)}"><text x="{name_width - 6}" y="{y + 15}" text-anchor="end" '
            f'font-size="12">{esc(row.name)}</text></a>'
        )
        for i, counts in enumerate(row.counts):
            total = sum(counts.values())
            x = name_width + cell * i + 2
            if not total:
                parts.append(
                    f'<text x="{x + cell / 2 - 2:.0f}" y="{y + 15}" text-anchor="middle" font-size="10" '
                    f'fill="#888">—</text>'
                )
                continue
            words = "，".join(f"{light_name(c)}{counts[c]}" for c in LIGHT_ORDER if counts.get(c))
            offset = 0.0
            for colour in LIGHT_ORDER:
                share = counts.get(colour, 0) / total * (cell - 4)
                if share:
                    parts.append(
                        f'<rect x="{x + offset:.1f}" y="{y + 3}" width="{share:.1f}" height="{row_height - 6}" '
                        f'fill="{COLOURS[colour]}"><title>{esc(row.name)} {esc(periods[i])}: {esc(words)}'
                        "</title></rect>"
                    )
                    # The light's shape beside its count (■5), the shape alone where the part is
                    # narrow: which light a part is never rests on its colour alone.
                    label = f"{LIGHT_SHAPES[colour]}{counts[colour]}" if share >= 20 else LIGHT_SHAPES[colour]
                    if share >= 7:
                        parts.append(
                            f'<text x="{x + offset + share / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                            f'font-size="10" fill="{"#000" if colour in (LightColour.YELLOW, LightColour.GREY) else "#fff"}">'
                            f"{label}</text>"
                        )
                    offset += share
    legend = " ".join(
        f'<span class="light light-{c}">{LIGHT_SHAPES[c]} {esc(light_name(c))}</span>' for c in LIGHT_ORDER
    )
    return (
        f'<figure class="chart matrix"><div class="scroll"><svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{attr(title)}"><title>{esc(title)}</title>{"".join(parts)}</svg></div>'
        f'<figcaption>{esc(title)} <span class="legend">{legend}</span></figcaption></figure>'
    )
