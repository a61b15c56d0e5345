"""The monthly supervision circular (督查通报), as an office issues it: 版头 (masthead, 第N期,
the issuing office and the date in Chinese), title and 主送; 一、总体情况 against the month
before; 二、进展较好; 三、存在问题 naming the lagging units with their task numbers and titles,
the units that did not report on time and the escalation ladder; 四、下步要求 from plan.yaml;
附件 tables per task and per unit (lights, on-time rate, score, rank); 抄送/印发; and the commit
it was built from.

The document is built once as a list of blocks; Markdown, HTML (here) and .docx
(`circular_docx`) only lay the same blocks out, so the three carry the same content. Every
number comes from the core: lights and lateness from `selection`, scores from `scoring`.
"""
from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from duban.errors import DubanError
from duban.supervise.export import (chinese_date, clean, html_page, html_table, markdown_table, md_escape,
                          note_parts, office_of, progress_words, subject_of)
from duban.i18n import _
from duban.model import Plan, Task, latest_report
from duban.store.repository import Repository
from duban.dates import parse_month
from duban.supervise.entries import Entry, entered_after_deadline
from duban.supervise.scoring import Scores, best_first, canonical, evaluation_days, is_collective, score
from duban.supervise.selection import Selection, select
from duban.vocabulary import light_word

PLACEHOLDERS = ("月份", "截至日期", "下次报送截止日", "滞后单位", "未报送单位", "红灯单位", "任务总数", "滞后任务数")
NUMERALS = "一二三四五六七八九十"


@dataclass
class Block:
    """One piece of the document: kind is masthead, issue, office_date, title, to, h1, h2, p,
    attachment, table, cc, printed or source."""
    kind: str
    text: str = ""
    extra: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    light_column: int | None = None


@dataclass
class Circular:
    plan: Plan
    month: str
    first: dt.date
    last: dt.date
    issue: int
    issued: dt.date
    commit: str | None
    counts: Counter[str]
    previous: Counter[str]
    tasks: list[Task]
    selection: Selection
    scores: Scores
    late: dict[str, list[Task]]
    lagging: dict[str, list[Task]]
    deadline: dt.date | None
    next_deadline: dt.date | None
    reported_units: list[str]
    reports: int
    completed: list[Task]
    notes: list[str] = field(default_factory=list)     # for stderr, never in the body
    blocks: list[Block] = field(default_factory=list)
    # Reports dated in the month but typed in after their deadline: they count for the month
    # (a report belongs to its report date) and are listed so the office sees them.
    entered_late: list[Entry] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)  # files left out: the command says so


def _counts(selection: Selection) -> Counter[str]:
    counts: Counter[str] = Counter()
    for task in selection.tasks:
        light = selection.light_of(task)
        done = task.status == "done" or (task.percent or 0) >= 100
        counts["tasks"] += 1
        counts["done"] += done
        counts[light.colour] += 1
        counts["on_schedule"] += light.colour == "green" and not done
        counts["lagging"] += light.colour in ("red", "yellow")
    return counts


def _chosen_plan(repo: Repository, year: int, plan_id: str | None) -> str:
    if plan_id is not None:
        return plan_id
    candidates = [p.id for p in repo.plans() if p.year == year]
    if len(candidates) != 1:
        raise DubanError(_("{count} plans cover {year}").format(count=len(candidates), year=year),
                         hint=_("choose one with --plan: {plans}").format(
                             plans=", ".join(candidates) or ", ".join(repo.plan_ids())))
    return candidates[0]


def first_month(plan: Plan) -> tuple[int, int]:
    """The month of the circular's 第1期: plan.yaml circular.first_month, else the month of the
    plan's first reporting deadline."""
    start = plan.circular.get("first_month")
    if start:
        year, month = (int(p) for p in start.split("-"))
        return year, month
    days = evaluation_days(plan, dt.date(plan.year, 12, 31))
    return (days[0].year, days[0].month) if days else (plan.year, 1)


def issue_number(plan: Plan, first: dt.date) -> int:
    """第N期: the months since the circular's first month, counting from 1 (0 or less before it)."""
    year, month = first_month(plan)
    return (first.year - year) * 12 + first.month - month + 1


def _commit(repo: Repository) -> tuple[str | None, dt.date | None]:
    from duban.store.gitstore import Git

    git = Git(repo.root)
    try:
        git.check_repository()
        if not git.has_commits():
            return None, None
        sha, day = git.out("log", "-1", "--format=%H %cs", "HEAD").split()
        return sha, dt.date.fromisoformat(day)
    except (DubanError, ValueError):
        return None, None


def build(repo: Repository, month: str, plan_id: str | None = None, issue: int | None = None,
          issued: dt.date | None = None) -> Circular:
    first, last = parse_month(month)
    plan_id = _chosen_plan(repo, first.year, plan_id)
    plan = repo.plan(plan_id)
    if issue is None and issue_number(plan, first) < 1:
        # Every month before the first would be 第1期 too: two circulars with one number.
        year, number = first_month(plan)
        raise DubanError(_("{month} is before the circulars of {plan} begin ({start}), so it has no issue "
                           "number").format(month=month, plan=plan_id, start=f"{year}-{number:02d}"),
                         hint=_("give one with --issue N, or set circular.first_month in plan.yaml"))
    now = select(repo, [plan_id], last)
    before = select(repo, [plan_id], first - dt.timedelta(days=1))
    commit, committed = _commit(repo)
    # The issue date must not depend on the day it is built, so a rebuild is the same document.
    issued = issued or (committed if committed and committed > last else last)
    deadlines = [d for d in evaluation_days(plan, last) if d >= first] if plan.reporting else []
    following = [d for d in evaluation_days(plan, dt.date(plan.year, 12, 31)) if d > last] if plan.reporting else []
    late: dict[str, list[Task]] = {}
    lagging: dict[str, list[Task]] = {}
    reported: dict[str, int] = {}
    completed = []
    for task in now.tasks:
        light = now.light_of(task)
        leads = list(dict.fromkeys(canonical(plan, u) for u in now.lead(task)))
        for unit in leads:
            if light.late and deadlines:
                late.setdefault(unit, []).append(task)
            if light.colour in ("red", "yellow"):
                lagging.setdefault(unit, []).append(task)
        for report in task.progress:
            if first.isoformat() <= report.date <= last.isoformat():
                unit = canonical(plan, report.by) if report.by else (leads[0] if leads else "")
                reported[unit] = reported.get(unit, 0) + 1
        done_on = next((r.date for r in task.progress if r.percent >= 100), None)
        if done_on and first.isoformat() <= done_on <= last.isoformat():
            completed.append(task)
    circular = Circular(
        plan, f"{first.year}-{first.month:02d}", first, last, issue or issue_number(plan, first), issued, commit,
        _counts(now), _counts(before), now.tasks, now, score(repo, plan_id, last, final=now), late, lagging,
        deadlines[-1] if deadlines else None, following[0] if following else None,
        sorted(u for u in reported if u), sum(reported.values()), completed,
        notes=[n for n in dict.fromkeys([now.note, before.note]) if n])
    circular.entered_late = entered_after_deadline(repo, plan_id, first, last)
    circular.problems = now.problems + [p for p in before.problems if p not in now.problems]
    circular.blocks = blocks(circular)
    return circular


# ---- the document's words -----------------------------------------------------------------------

def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "0%"


def _change(now: int, before: int) -> str:
    if now == before:
        return "持平"
    return f"增加{now - before}项" if now > before else f"减少{before - now}项"


def _task_words(task: Task) -> str:
    return f"第{clean(task.id)}项“{clean(task.title)}”"


def _unit_list(units: list[str]) -> str:
    return "、".join(clean(u) for u in units) or "无"


def requirements(c: Circular) -> list[str]:
    """四、下步要求: plan.yaml's paragraphs with their placeholders filled in."""
    values = {
        "月份": f"{c.first.month}月份", "截至日期": chinese_date(c.last),
        "下次报送截止日": chinese_date(c.next_deadline) if c.next_deadline else "下次报送截止日",
        "滞后单位": _unit_list(list(c.lagging)), "未报送单位": _unit_list(list(c.late)),
        "红灯单位": _unit_list([u for u, ts in c.lagging.items() if any(c.selection.light_of(t).colour == "red"
                                                                    for t in ts)]),
        "任务总数": str(c.counts["tasks"]), "滞后任务数": str(c.counts["lagging"]),
    }
    return [clean(text).format_map(values) for text in c.plan.circular.get("requirements", ())]


def overall(c: Circular) -> list[str]:
    n, p = c.counts, c.previous
    first = (f"截至{chinese_date(c.last)}，{n['tasks']}项任务中，已完成{n['done']}项（{_percent(n['done'], n['tasks'])}），"
             f"序时推进{n['on_schedule']}项（{_percent(n['on_schedule'], n['tasks'])}），"
             f"滞后{n['lagging']}项（{_percent(n['lagging'], n['tasks'])}，其中红灯{n['red']}项、黄灯{n['yellow']}项），"
             f"未到序时节点或未启动{n['grey']}项（{_percent(n['grey'], n['tasks'])}）。")
    second = (f"与上月末相比，已完成{_change(n['done'], p['done'])}，序时推进{_change(n['on_schedule'], p['on_schedule'])}，"
              f"滞后{_change(n['lagging'], p['lagging'])}（红灯{_change(n['red'], p['red'])}、"
              f"黄灯{_change(n['yellow'], p['yellow'])}）。")
    units = [u for u in c.scores.units]
    met = sum(u.met for u in units)
    due = sum(u.due for u in units)
    third = (f"本月共有{len(c.reported_units)}个单位报送进展{c.reports}次"
             + (f"；截至{chinese_date(c.deadline)}报送截止日，{len(c.late)}个单位未按时报送" if c.deadline else "")
             + (f"；全年累计按时报送率{_percent(met, due)}。" if due else "。"))
    unread = len(c.selection.problems)
    # First, where the counts are read: a task left out changes every number after it.
    return ([f"另有{unread}个任务文件无法读取，未计入本通报，请核对后重新生成。"] if unread else []) + [first, second, third]


def good_progress(c: Circular) -> list[str]:
    lines = []
    leads = {canonical(c.plan, u) for t in c.tasks for u in c.selection.lead(t)}
    clean_units = [u.unit for u in best_first(c.scores.units)
                   if u.unit in leads and u.unit not in c.lagging and u.unit not in c.late]
    if clean_units:
        lines.append(f"{_unit_list(clean_units)}等{len(clean_units)}个单位牵头的任务均按序时推进，并按时报送进展。")
    for task in c.completed:
        note = note_parts(next((r.note for r in task.progress if r.percent >= 100), None))["进展"]
        lead = _unit_list(list(dict.fromkeys(canonical(c.plan, u) for u in c.selection.lead(task))))
        lines.append(f"由{lead}牵头的{_task_words(task)}已于本月完成" + (f"：{_excerpt(clean(note))}" if note else "") + "。")
    return lines or ["本月暂无进展突出的单位。"]


def problems(c: Circular) -> list[tuple[str, list[str]]]:
    sections = []
    lagging = []
    for unit, tasks in sorted(c.lagging.items(), key=lambda i: (-len(i[1]), i[0])):
        described = []
        for task in tasks:
            light = c.selection.light_of(task)
            described.append(f"{_task_words(task)}（{light_word(light.colour)}，完成{light.percent:g}%，"
                             f"序时进度{light.expected:.0f}%）")
        lagging.append(f"由{clean(unit)}牵头的" + "、".join(described) + "进展滞后。")
    sections.append(("进展滞后的任务", lagging or ["本月没有进展滞后的任务。"]))
    if c.deadline:
        late = [f"{clean(unit)}（" + "、".join(f"第{clean(t.id)}项" for t in tasks) + "）"
                for unit, tasks in sorted(c.late.items(), key=lambda i: (-len(i[1]), i[0]))]
        sections.append(("未按时报送的单位", [f"截至{chinese_date(c.deadline)}报送截止日，以下单位未按时报送进展："
                                        + "；".join(late) + "。"] if late else ["所有单位均按时报送。"]))
    if c.entered_late:
        entered = [f"{clean(e.unit or '')}第{clean(e.ref.rpartition('/')[2])}项"
                   f"（{chinese_date(dt.date.fromisoformat(e.report_date))}报送，"
                   f"{chinese_date(dt.date.fromisoformat(e.recorded_at[:10]))}录入）" for e in c.entered_late]
        sections.append(("截止后录入的报送", ["以下报送按报送日期计入本月，但在报送截止日之后才录入："
                                        + "；".join(entered) + "。"]))
    steps: dict[tuple[str, str, int], dict[str, list[str]]] = {}
    for step in c.scores.escalations:
        for unit in step.units:
            steps.setdefault((step.action, step.light, len(step.days)), {}).setdefault(unit, []).append(
                f"第{clean(step.task.id)}项")
    if steps:
        sections.append(("督办措施", [
            f"以下单位牵头的任务{'连续' + str(times) + '个' if times > 1 else '在'}报送截止日为{light_word(light)}"
            + ("及以上" if light == "yellow" else "") + f"，拟{clean(action)}："
            + "；".join(f"{clean(unit)}（{'、'.join(ids)}）" for unit, ids in units.items()) + "。"
            for (action, light, times), units in steps.items()]))
    return sections


EXCERPT = 200  # characters of a report's note in the circular; the ledger keeps it whole


def _excerpt(text: str) -> str:
    """A note as the circular quotes it: whole up to EXCERPT characters, else cut and marked.
    One 2,500-character note made one row of 附件1 run over twelve pages."""
    return text if len(text) <= EXCERPT else text[:EXCERPT].rstrip() + "……（全文见台账）"


def task_table(c: Circular) -> Block:
    headers = ["序号", "任务名称", "牵头单位", "完成进度", "序时进度", "灯", "本月进展"]
    rows, colours = [], []
    for task in c.tasks:
        light = c.selection.light_of(task)
        month = [r for r in task.progress if c.first.isoformat() <= r.date <= c.last.isoformat()]
        said = progress_words(latest_report(tuple(month), task.lead).note) if month else ""  # type: ignore[union-attr]
        rows.append([clean(task.id), clean(task.title),
                     _unit_list(list(dict.fromkeys(canonical(c.plan, u) for u in c.selection.lead(task)))),
                     f"{light.percent:g}%", f"{light.expected:.0f}%",
                     light_word(light.colour) + ("（迟报）" if light.late else ""),
                     _excerpt(clean(said)) if month else "本月未报送"])
        colours.append(light.colour)
    return Block("table", headers=headers, rows=rows, colours=colours, light_column=5)


def unit_table(c: Circular) -> Block:
    headers = ["名次", "单位", "牵头任务", "已完成", "绿灯", "黄灯", "红灯", "按时报送率", "得分"]
    rows = []
    for unit in best_first(c.scores.units):
        led = [t for t in c.tasks if unit.unit in {canonical(c.plan, x) for x in c.selection.lead(t)}]
        colours = Counter(c.selection.light_of(t).colour for t in led)
        done = sum(t.status == "done" or (t.percent or 0) >= 100 for t in led)
        rate = "—" if unit.on_time_rate is None else f"{unit.on_time_rate:g}%"
        rows.append([unit.shown_rank, clean(unit.unit), str(len(led)), str(done), str(colours["green"]),
                     str(colours["yellow"]), str(colours["red"]), rate, f"{unit.score:g}"])
    return Block("table", headers=headers, rows=rows)


def blocks(c: Circular) -> list[Block]:
    office = office_of(c.plan)
    title = f"关于{subject_of(c.plan)}{c.first.month}月份推进情况的通报"
    out = [Block("masthead", clean(c.plan.circular.get("masthead", "督查通报"))),
           Block("issue", f"第{c.issue}期"),
           Block("office_date", office, chinese_date(c.issued)),
           Block("title", title),
           Block("to", clean(c.plan.circular.get("to", "各相关单位")) + "：")]
    out.append(Block("p", f"现将{subject_of(c.plan)}{c.first.month}月份推进情况通报如下。"))
    sections = [("总体情况", [Block("p", t) for t in overall(c)]),
                ("进展较好的单位和主要成效", [Block("p", t) for t in good_progress(c)])]
    found = []
    for number, (heading, lines) in enumerate(problems(c)):
        found.append(Block("h2", f"（{NUMERALS[number]}）{heading}"))
        found += [Block("p", line) for line in lines]
    sections.append(("存在问题", found))
    asks = requirements(c)
    if asks:
        sections.append(("下步要求", [Block("p", t) for t in asks]))
    for number, (heading, content) in enumerate(sections):
        out.append(Block("h1", f"{NUMERALS[number]}、{heading}"))
        out += content
    out.append(Block("p", "附件：1．各项任务推进情况表\n　　　2．各单位推进情况及考核得分排名"))
    out.append(Block("signature", office, chinese_date(c.issued)))
    out += [Block("attachment", "附件1", "各项任务推进情况表"), task_table(c),
            Block("attachment", "附件2", "各单位推进情况及考核得分排名"), unit_table(c)]
    collective = sorted({canonical(c.plan, u) for t in c.tasks for u in (*c.selection.lead(t), *t.support)
                         if is_collective(c.plan, u)})
    if collective:
        out.append(Block("p", f"注：{_unit_list(collective)}等统称不作为单位排名。"))
    if c.plan.circular.get("cc"):
        out.append(Block("cc", "抄送：" + clean(c.plan.circular["cc"]) + "。"))
    out.append(Block("printed", clean(c.plan.circular.get("printed_by", office)),
                     chinese_date(c.issued) + "印发"))
    if c.commit:
        out.append(Block("source", f"本通报依据督办记录 {c.commit} 生成"))
    return out


# ---- Markdown and HTML --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Format:
    """How one format writes each kind of block: a template with {text}, {extra} and {kind},
    filled with the block's text and extra escaped for the format; tables by `table`."""
    templates: dict[str, str]
    default: str
    escape_text: Callable[[str], str]
    escape_extra: Callable[[str], str]
    table: Callable[[Block], str]

    def render(self, blocks: list[Block]) -> list[str]:
        return [self.table(block) if block.kind == "table" else
                self.templates.get(block.kind, self.default).format(
                    text=self.escape_text(block.text), extra=self.escape_extra(block.extra), kind=block.kind)
                for block in blocks]


_MARKDOWN = _Format(
    templates={"masthead": "# {text}\n", "issue": "**{text}**\n", "office_date": "{text}　　{extra}\n",
               "signature": "{text}　　{extra}\n", "printed": "{text}　　{extra}\n", "title": "---\n\n## {text}\n",
               "h1": "### {text}\n", "h2": "#### {text}\n", "attachment": "---\n\n**{text}**\n\n### {extra}\n",
               "cc": "---\n\n{text}\n", "source": "\n\n{text}\n"},
    default="{text}\n", escape_text=md_escape, escape_extra=md_escape,
    table=lambda block: markdown_table(block.headers, block.rows))


def to_markdown(c: Circular) -> str:
    return "\n".join(_MARKDOWN.render(c.blocks)).rstrip("\n") + "\n"


_CSS = ("body{max-width:60em;margin:2em auto;line-height:1.8}"
        ".masthead{color:#c00000;text-align:center;font-size:2.4em;font-family:\"FZXiaoBiaoSong-B05S\",\"方正小标宋简体\","
        "\"SimSun\",\"Noto Serif CJK SC\",serif;letter-spacing:.2em;margin:0}"
        ".issue{text-align:center;margin:.3em 0}.office-date{display:flex;justify-content:space-between;"
        "border-bottom:3px solid #c00000;padding-bottom:.3em}h2.title{text-align:center;font-size:1.6em}"
        "h3{font-family:\"SimHei\",\"黑体\",\"Noto Sans CJK SC\",sans-serif}p{text-indent:2em;margin:.3em 0}"
        ".signature,.printed{text-align:right}.attachment{page-break-before:always;font-weight:bold}"
        ".source{color:#666;font-size:.8em}table{width:100%;font-size:.85em}")


_HTML = _Format(
    templates={"masthead": '<h1 class="masthead">{text}</h1>', "issue": '<p class="issue">{text}</p>',
               "office_date": '<div class="office-date"><span>{text}</span><span>{extra}</span></div>',
               "title": '<h2 class="title">{text}</h2>', "to": '<p style="text-indent:0">{text}</p>',
               "h1": "<h3>{text}</h3>", "h2": "<h4>{text}</h4>",
               "attachment": '<p class="attachment">{text}</p><h3 style="text-align:center">{extra}</h3>',
               "signature": '<p class="{kind}">{text}<br>{extra}</p>', "printed": '<p class="{kind}">{text}<br>{extra}</p>'},
    default='<p class="{kind}">{text}</p>', escape_text=lambda text: html.escape(text).replace("\n", "<br>"),
    escape_extra=html.escape,
    table=lambda block: html_table(block.headers, block.rows, block.colours or None, block.light_column))


def to_html(c: Circular) -> str:
    body = [f"<style>{_CSS}</style>", *_HTML.render(c.blocks)]
    title = next(b.text for b in c.blocks if b.kind == "title")
    return html_page(title, "\n".join(body) + "\n", page="A4", font="14pt")

