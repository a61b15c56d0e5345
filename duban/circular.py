"""The monthly supervision circular (督查通报): the overall picture at the month's end, each
unit's reports that month from the git record, tasks newly red or yellow, units that missed
the reporting deadline, and two charts drawn as inline SVG (no network needed)."""
from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from duban.i18n import _
from duban.errors import DubanError
from duban.export import LIGHT_FILLS, html_page, html_table, markdown_table
from duban.repository import Repository
from duban.selection import Selection, select

LIGHT_ORDER = ("red", "yellow", "green", "grey")
LIGHT_NAMES = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "灰灯"}


@dataclass
class Circular:
    plan_id: str
    plan_title: str
    month: str
    first: dt.date
    last: dt.date
    totals: Counter[str]
    previous_totals: Counter[str]
    done: int
    tasks: int
    reports: list[dict[str, Any]] = field(default_factory=list)       # per unit, from git
    newly: list[dict[str, Any]] = field(default_factory=list)         # newly red or yellow
    missed: list[dict[str, Any]] = field(default_factory=list)        # units that missed the deadline
    by_area: dict[str, Counter[str]] = field(default_factory=dict)
    progress_by_unit: list[tuple[str, float]] = field(default_factory=list)
    deadline: dt.date | None = None
    notes: list[str] = field(default_factory=list)
    # Reports dated in the month but typed in after their deadline: they count for the
    # month (a report belongs to its report date) and are listed so the office sees them.
    entered_late: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)  # files left out: the command says so


def _month(text: str) -> tuple[dt.date, dt.date]:
    from duban.dates import parse_month

    return parse_month(text)


def build(repo: Repository, month: str, plan_id: str | None = None) -> Circular:
    first, last = _month(month)
    month = f"{first:%Y-%m}"  # 2019-6 and 2019年6月 are headed 2019-06
    if plan_id is None:
        candidates = [p.id for p in repo.plans() if p.year == first.year]
        if len(candidates) != 1:
            raise DubanError(_("{count} plans cover {year}").format(count=len(candidates), year=first.year),
                             hint=_("choose one with --plan: {plans}").format(
                                 plans=", ".join(candidates) or ", ".join(repo.plan_ids())))
        plan_id = candidates[0]
    plan = repo.plan(plan_id)
    now = select(repo, [plan_id], last)
    before = select(repo, [plan_id], first - dt.timedelta(days=1))
    circular = Circular(plan_id, plan.title, month, first, last, Counter(), Counter(), 0, len(now.tasks))
    circular.notes = [n for n in {now.note, before.note} if n]
    circular.problems = now.problems + [p for p in before.problems if p not in now.problems]
    previous = {t.ref: before.light_of(t).colour for t in before.tasks}
    led: dict[str, list[float]] = defaultdict(list)
    missed: dict[str, list[str]] = defaultdict(list)
    for task in now.tasks:
        light = now.light_of(task)
        circular.totals[light.colour] += 1
        circular.done += task.status == "done" or (task.percent or 0) >= 100
        circular.by_area.setdefault(task.area, Counter())[light.colour] += 1
        was = previous.get(task.ref)
        if light.colour in ("red", "yellow") and was != light.colour and not (was == "red" and light.colour == "yellow"):
            circular.newly.append({"ref": task.ref, "title": task.title, "light": light.colour, "was": was,
                                   "lead": "、".join(now.lead(task)), "why": light.reasons[0] if light.reasons else ""})
        for unit in now.lead(task):
            led[unit].append(task.percent or 0.0)
            if light.late:
                missed[unit].append(task.ref)
    circular.previous_totals = Counter(previous.values())
    circular.missed = [{"unit": unit, "tasks": refs} for unit, refs in sorted(missed.items(), key=lambda i: -len(i[1]))]
    circular.progress_by_unit = sorted(((u, sum(v) / len(v)) for u, v in led.items()), key=lambda i: i[1])
    circular.reports = _reports_from_git(repo, plan_id, first, last, now)
    circular.entered_late = _entered_late(repo, plan_id, first, last)
    from duban.lights import reporting_deadlines

    deadlines = [d for d in reporting_deadlines(plan, last) if d >= first]
    circular.deadline = deadlines[-1] if deadlines else None
    return circular


def _reports_from_git(repo: Repository, plan_id: str, first: dt.date, last: dt.date,
                      now: Selection) -> list[dict[str, Any]]:
    """Each unit's reports dated in the month, from the record as of its last day (whenever
    they were typed in), with the people who entered them from the git record."""
    from duban.entries import entries

    authors: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for entry in entries(repo, plan_id, first, last):
        authors[(entry.ref, entry.report_date, entry.unit or "")].add(entry.author)
    per_unit: dict[str, dict[str, Any]] = {}
    for task in now.tasks:
        registry = now.plan(task).units
        for report in task.progress:
            if not (first.isoformat() <= report.date <= last.isoformat()) or not report.by:
                continue
            found = registry.resolve(report.by)
            unit = found.name if found else report.by
            entry = per_unit.setdefault(unit, {"unit": unit, "reports": 0, "tasks": [], "authors": set()})
            entry["reports"] += 1
            if task.ref not in entry["tasks"]:
                entry["tasks"].append(task.ref)
            entry["authors"] |= authors.get((task.ref, report.date, report.by), set())
    return [{**e, "authors": sorted(e["authors"])} for e in sorted(per_unit.values(), key=lambda e: -e["reports"])]


def _entered_late(repo: Repository, plan_id: str, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    from duban.entries import entered_after_deadline

    return [entry.as_dict() for entry in entered_after_deadline(repo, plan_id, first, last)]


# ---- rendering ---------------------------------------------------------------------------------

def _summary_rows(c: Circular) -> list[list[str]]:
    return [[LIGHT_NAMES[k], str(c.totals[k]), str(c.previous_totals[k]),
             f"{c.totals[k] - c.previous_totals[k]:+d}"] for k in LIGHT_ORDER]


def to_markdown(c: Circular) -> str:
    out = [f"# 督查通报 {c.month}", "", f"**{c.plan_title}** (`{c.plan_id}`), 截至 {c.last.isoformat()}", ""]
    out += [f"> 注: {note}" for note in c.notes] + ([""] if c.notes else [])
    out += ["## 总体情况", "", f"共 {c.tasks} 项任务, 已完成 {c.done} 项。", ""]
    out.append(markdown_table(["灯", "本月末", "上月末", "变化"], _summary_rows(c)))
    out += ["## 各单位本月报送情况 (git 记录)", ""]
    out.append(markdown_table(["单位", "报送次数", "涉及任务", "报送人"],
                              [[r["unit"], str(r["reports"]), "、".join(r["tasks"]), "、".join(r["authors"])]
                               for r in c.reports]) if c.reports else "本月没有报送记录。\n")
    out += ["", "## 新亮红灯、黄灯的任务", ""]
    out.append(markdown_table(["任务", "名称", "灯", "上月", "牵头单位", "原因"],
                              [[n["ref"], n["title"], LIGHT_NAMES[n["light"]], LIGHT_NAMES.get(n["was"], "-"),
                                n["lead"], n["why"]] for n in c.newly]) if c.newly else "无。\n")
    deadline = f" (报送截止 {c.deadline.isoformat()})" if c.deadline else ""
    out += ["", f"## 未按时报送的单位{deadline}", ""]
    out.append(markdown_table(["单位", "未报送任务数", "任务"], [[m["unit"], str(len(m["tasks"])), "、".join(m["tasks"])]
                                                         for m in c.missed]) if c.missed else "无。\n")
    out += ["", "## 截止后录入的报送", ""]
    out.append(markdown_table(["任务", "报送单位", "报送日期", "截止日期", "录入时间"], _late_rows(c))
               if c.entered_late else "无。\n")
    out += ["", "图表见 HTML 版本 (`duban circular --format html`)。", ""]
    return "\n".join(out)


def _bar_chart(title: str, rows: list[tuple[str, list[tuple[float, str]]]], maximum: float, unit: str = "") -> str:
    """A horizontal (stacked) bar chart as SVG; labels escaped."""
    bar_height, gap, label_width, width = 18, 6, 220, 420
    height = 30 + len(rows) * (bar_height + gap)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_width + width + 60}" height="{height}" '
             f'role="img" aria-label="{html.escape(title)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{html.escape(title)}</text>']
    for index, (label, segments) in enumerate(rows):
        y = 28 + index * (bar_height + gap)
        parts.append(f'<text x="{label_width - 6}" y="{y + 13}" font-size="12" text-anchor="end">{html.escape(label)}</text>')
        x = float(label_width)
        total = 0.0
        for value, colour in segments:
            w = width * value / maximum if maximum else 0
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="#{colour}"/>')
            x += w
            total += value
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="11">{total:g}{unit}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def to_html(c: Circular) -> str:
    body = [f"<h1>督查通报 {html.escape(c.month)}</h1>",
            f"<p><b>{html.escape(c.plan_title)}</b> ({html.escape(c.plan_id)}), 截至 {c.last.isoformat()}</p>"]
    body += [f"<p><i>注: {html.escape(n)}</i></p>" for n in c.notes]
    body += [f"<h2>总体情况</h2><p>共 {c.tasks} 项任务, 已完成 {c.done} 项。</p>",
             html_table(["灯", "本月末", "上月末", "变化"], _summary_rows(c))]
    most = max((sum(counts.values()) for counts in c.by_area.values()), default=0)
    body.append(_bar_chart("各领域红黄绿灯", [(area, [(counts[k], LIGHT_FILLS[k]) for k in LIGHT_ORDER])
                                        for area, counts in c.by_area.items()], most))
    body.append(_bar_chart("各牵头单位平均进度", [(unit, [(round(value, 1), "5B9BD5")])
                                         for unit, value in c.progress_by_unit[:30]], 100, "%"))
    body += ["<h2>各单位本月报送情况 (git 记录)</h2>",
             html_table(["单位", "报送次数", "涉及任务", "报送人"],
                        [[r["unit"], str(r["reports"]), "、".join(r["tasks"]), "、".join(r["authors"])]
                         for r in c.reports]) if c.reports else "<p>本月没有报送记录。</p>"]
    body += ["<h2>新亮红灯、黄灯的任务</h2>",
             html_table(["任务", "名称", "灯", "上月", "牵头单位", "原因"],
                        [[n["ref"], n["title"], LIGHT_NAMES[n["light"]], LIGHT_NAMES.get(n["was"], "-"), n["lead"],
                          n["why"]] for n in c.newly]) if c.newly else "<p>无。</p>"]
    deadline = f" (报送截止 {c.deadline.isoformat()})" if c.deadline else ""
    body += [f"<h2>未按时报送的单位{deadline}</h2>",
             html_table(["单位", "未报送任务数", "任务"], [[m["unit"], str(len(m["tasks"])), "、".join(m["tasks"])]
                                                   for m in c.missed]) if c.missed else "<p>无。</p>"]
    body += ["<h2>截止后录入的报送</h2>",
             html_table(["任务", "报送单位", "报送日期", "截止日期", "录入时间"], _late_rows(c))
             if c.entered_late else "<p>无。</p>"]
    return html_page(f"督查通报 {c.month}", "\n".join(body) + "\n")


def _late_rows(c: Circular) -> list[list[str]]:
    return [[e["ref"], e["unit"] or "", e["report_date"], e["deadline"] or "", e["recorded_at"][:16].replace("T", " ")]
            for e in c.entered_late]
