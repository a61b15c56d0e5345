"""The monthly supervision circular (督查通报), as an office issues it: 版头 (masthead, 第N期,
the issuing office and the date in Chinese), title and 主送; 一、总体情况 against the month
before; 二、进展较好; 三、存在问题 naming the lagging units with their task numbers and titles,
the units that did not report on time and the escalation ladder; 四、下步要求 from plan.yaml;
附件 tables per task and per unit (lights, on-time rate, score, rank); 抄送/印发. The commit it
was built from is in the file's properties, not in its text (and on stderr).

Collectives (duban.units: 各相关涉改部门, 区26家签约单位) are no units: never ranked, counted,
named as late or lagging or asked to report; their tasks are named by number and followed up
by the office.

The document is built once as a list of blocks; Markdown, HTML (here) and .docx
(`circular_docx`) only lay the same blocks out, so the three carry the same content. Every
number comes from the core: lights and lateness from `selection`, scores from `scoring`.
"""
from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from duban.errors import DubanError
from duban.supervise.export import (addressees_of, chinese_date, clean, html_page, html_table, markdown_table,
                                    md_escape, note_parts, office_of, progress_words, subject_of, supporting_words,
                                    titled_by_number)
from duban.text.numbers import whole_percent
from duban.text.textwidth import cell_width
from duban.text.titles import title_lines
from duban.i18n import _
from duban.model import Plan, Task, natural_key
from duban.reading import deciding_report, figure_against, in_period
from duban.store.repository import Repository, chosen_plan
from duban.dates import parse_month
from duban.supervise import deadlines as reporting_calendar, lights
from duban.supervise.entries import Entry, entered_after_deadline
from duban.supervise.scoring import Scores, best_first, canonical, first_done, score
from duban.supervise.selection import Selection, select
from duban.units import is_collective
from duban.vocabulary import light_word

PLACEHOLDERS = ("月份", "截至日期", "下次报送截止日", "滞后单位", "未报送单位", "红灯单位", "任务总数", "滞后任务数")
NUMERALS = "一二三四五六七八九十"


@dataclass
class Block:
    """One piece of the document: kind is masthead, issue, office_date, title, to, h1, h2, p,
    attachments (附件说明: the first name in text, the others in extra, one a line), signature,
    attachment, table, cc or printed."""
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
    # The day the figures are read at: the month's end, or the deadline that reports on the
    # month when later (deadlines.month_as_of); and the report dates counted as the month's.
    as_of: dt.date
    reported_between: tuple[dt.date, dt.date]
    notes: list[str] = field(default_factory=list)     # for stderr, never in the body
    blocks: list[Block] = field(default_factory=list)
    # Reports dated in the month but typed in after their deadline: they count for the month
    # (a report belongs to its report date) and are listed so the office sees them.
    entered_late: list[Entry] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)  # files left out: the command says so


def counts(selection: Selection, tasks: Sequence[Task] | None = None) -> Counter[str]:
    """总体情况's counts of `tasks` (default: the selection's): done, on schedule, lagging, per
    light, and late. The site's plan page counts with this too."""
    found: Counter[str] = Counter()
    for task in selection.tasks if tasks is None else tasks:
        light = selection.light_of(task)
        done = lights.is_done(task, light)
        found["tasks"] += 1
        found["done"] += done
        found[light.colour] += 1
        found["on_schedule"] += light.colour == "green" and not done
        found["lagging"] += light.colour in ("red", "yellow")
        found["late"] += light.late
    return found


def _chosen_plan(repo: Repository, year: int, plan_id: str | None) -> str:
    return chosen_plan(repo, plan_id, year)


def first_month(plan: Plan) -> tuple[int, int]:
    """The month of the circular's 第1期: plan.yaml circular.first_month, else the month of the
    plan's first reporting deadline."""
    start = plan.circular.get("first_month")
    if start:
        year, month = (int(p) for p in start.split("-"))
        return year, month
    return reporting_calendar.first_period_month(plan)


def issue_number(plan: Plan, first: dt.date) -> int:
    """第N期: the reporting periods (months, two-month periods, quarters) from the circular's
    first month to the month of `first`, counting from 1 (0 or less before it)."""
    year, month = first_month(plan)
    return (reporting_calendar.period_number(plan, first.year, first.month)
            - reporting_calendar.period_number(plan, year, month) + 1)


def _commit(repo: Repository, plan: Plan) -> tuple[str | None, dt.date | None]:
    """The commit the circular is built from (HEAD), and the day of the latest commit that
    changed this plan: another plan's work (a 2019 report in the same repository) does not
    date a 2013 circular."""

    git = repo.git
    try:
        git.check_repository()
        if not git.has_commits():
            return None, None
        sha = git.out("log", "-1", "--format=%H", "HEAD").strip()
        day = git.out("log", "-1", "--format=%cs", "HEAD", "--", git.relative(plan.folder)).strip()
        return sha, dt.date.fromisoformat(day) if day else None
    except (DubanError, ValueError):
        return None, None


def plan_year(repo: Repository, plan_id: str | None) -> int | None:
    """The year a month typed without one (6月份) is in: the named plan's, or the only plan's."""
    ids = [plan_id] if plan_id else repo.plan_ids()
    return repo.plan(ids[0]).year if len(ids) == 1 else None


def build(repo: Repository, month: str, plan_id: str | None = None, issue: int | None = None,
          issued: dt.date | None = None) -> Circular:
    first, last = parse_month(month, year=plan_year(repo, plan_id))
    plan_id = _chosen_plan(repo, first.year, plan_id)
    plan = repo.plan(plan_id)
    if issue is None and issue_number(plan, first) < 1:
        # Every month before the first would be 第1期 too: two circulars with one number.
        year, number = first_month(plan)
        raise DubanError(_("{month} is before the circulars of {plan} begin ({start}), so it has no issue "
                           "number").format(month=month, plan=plan_id, start=f"{year}-{number:02d}"),
                         hint=_("give one with --issue N, or set circular.first_month in plan.yaml"))
    # The month's circular judges the deadlines that report on the month (reports due 5 June
    # are May's), read as the record stood at the last of them when that is after the month.
    judged = reporting_calendar.covering(plan, first.year, first.month) if plan.reporting else ()
    as_of = reporting_calendar.month_as_of(plan, first.year, first.month)
    since, until = reporting_calendar.filed_range(plan, first.year, first.month)
    prior = (judged[0].first if judged else first) - dt.timedelta(days=1)  # the previous period's circular
    now = select(repo, [plan_id], as_of)
    before = select(repo, [plan_id], reporting_calendar.month_as_of(plan, prior.year, prior.month))
    commit, committed = _commit(repo, plan)
    # The issue date must not depend on the day it is built, so a rebuild is the same document.
    issued = issued or (committed if committed and committed > as_of else as_of)
    deadlines = [d.day for d in judged]
    following = [d for d in reporting_calendar.days(plan, dt.date.max) if d > as_of]
    late: dict[str, list[Task]] = {}
    lagging: dict[str, list[Task]] = {}
    reported: dict[str, int] = {}
    completed = []
    for task in now.tasks:
        light = now.light_of(task)
        leads = list(dict.fromkeys(canonical(plan, u) for u in now.lead(task)))
        # Each lead that did not report is named by itself (docs/reading.md rule 6), for the
        # deadlines the month's circular judges (C8), not a later one before the day it is read at
        # (two dates in one month: the second reports on the next month).
        missing = {canonical(plan, u) for u in lights.late_units(task, plan, deadlines[-1], now.sealed(task),
                                                                 now.lead(task))} if deadlines else set()
        for unit in leads:
            if unit in missing and deadlines:
                late.setdefault(unit, []).append(task)
            if light.colour in ("red", "yellow"):
                lagging.setdefault(unit, []).append(task)
        for report in task.progress:
            if since.isoformat() <= report.date <= until.isoformat():
                unit = canonical(plan, report.by) if report.by else (leads[0] if leads else "")
                reported[unit] = reported.get(unit, 0) + 1
        done_on = first_done(task, plan, now.lead(task))
        if done_on and since <= done_on <= until and lights.is_done(task, light):
            completed.append(task)
    circular = Circular(
        plan, f"{first.year}-{first.month:02d}", first, last, issue or issue_number(plan, first), issued, commit,
        counts(now), counts(before), now.tasks, now, score(repo, plan_id, as_of, final=now), late, lagging,
        deadlines[-1] if deadlines else None, following[0] if following else None,
        sorted(u for u in reported if u), sum(reported.values()), completed, as_of=as_of,
        reported_between=(since, until),
        notes=[n for n in dict.fromkeys([now.note, before.note]) if n])
    circular.entered_late = entered_after_deadline(repo, plan_id, since, until)
    circular.problems = now.problems + [p for p in before.problems if p not in now.problems]
    circular.blocks = blocks(circular)
    circular.notes += unset_words(circular)
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


# ---- collectives: named by task, followed up by the office (docs/reading.md rule 8) ----

def _leads(c: Circular, task: Task) -> list[str]:
    return list(dict.fromkeys(canonical(c.plan, u) for u in c.selection.lead(task)))


def _unit_leads(c: Circular, task: Task) -> list[str]:
    """The task's lead units that are units: a collective (各相关涉改部门) is none."""
    return [u for u in _leads(c, task) if not is_collective(c.plan, u)]


def _units(c: Circular, named: dict[str, list[Task]]) -> dict[str, list[Task]]:
    """`named` (the late or the lagging, by lead) without the collectives: they are no unit to
    name, count or ask to report."""
    return {unit: tasks for unit, tasks in named.items() if not is_collective(c.plan, unit)}


def _followed_up(c: Circular, late: bool) -> list[Task]:
    """The late (else the lagging) tasks that only collectives lead, by 序号: no unit to name,
    so the office follows them up by task."""
    found = []
    for task in c.tasks:
        if _leads(c, task) and not _unit_leads(c, task):
            if late:
                if c.deadline is not None and lights.late_units(task, c.plan, c.deadline, c.selection.sealed(task),
                                                                c.selection.lead(task)):
                    found.append(task)  # late for the deadline the circular judges, as the units named late
            elif c.selection.light_of(task).colour in _COLOUR_ORDER:
                found.append(task)
    return sorted(found, key=lambda t: natural_key(t.id))


def _by_collective(c: Circular, task: Task) -> str:
    """第52项“…”（牵头：各相关涉改部门）: a task led by collectives only, named by itself."""
    return f"{_task_words(task)}（牵头：{_unit_list(_leads(c, task))}）"


def _the_task(c: Circular, task: Task) -> str:
    """由发改委牵头的第17项“…”, or 第52项“…”（牵头：各相关涉改部门） where no unit leads it."""
    units = _unit_leads(c, task)
    return f"由{_unit_list(units)}牵头的{_task_words(task)}" if units else _by_collective(c, task)


def _followed_by(c: Circular) -> str:
    return f"由{office_of(c.plan)}跟踪督办"


def _expected(light: lights.Light) -> str:
    return f"{whole_percent(light.expected_exact)}%"


_STATE = {"blocked": "受阻", "delayed": "已延期"}
_COLOUR_ORDER = {"red": 0, "yellow": 1}


def _reason(c: Circular, task: Task) -> str:
    """What the lead said of a lagging task: the 存在问题 part of its deciding report's note,
    else the note; or that it has not reported."""
    report = deciding_report(task.progress, c.selection.lead(task), c.as_of.isoformat())
    if report is None:
        return "，牵头单位尚未报送进展"
    said = note_parts(report.note)["存在问题"] or progress_words(report.note)
    said = clean(said).strip().rstrip("。；;，,")
    return f"，牵头单位反映：{_excerpt(said)}" if said else "，牵头单位未说明原因"


def _lagging(c: Circular, task: Task) -> str:
    """One lagging task: who leads it, 受阻/已延期/进展滞后 as it is, its light and figures, the
    lead's reason; a task only collectives lead is followed up by the office."""
    light = c.selection.light_of(task)
    state = _STATE.get(task.status, "进展滞后")
    figures = f"（{light_word(light.colour)}，完成{light.percent:g}%，序时进度{_expected(light)}）"
    text = f"{_the_task(c, task)}{state}{figures}{_reason(c, task)}"
    return text + (f"，{_followed_by(c)}。" if not _unit_leads(c, task) else "。")


# 四、下步要求 where plan.yaml has none: every plan gets one; a paragraph naming nobody is left out.
DEFAULT_REQUIREMENTS = (
    "请{滞后单位}对照序时进度查找原因，制定整改措施，于{下次报送截止日}前将整改情况报送{督查室}。",
    "请{未报送单位}严格执行报送制度，按时报送工作进展。",
    "各牵头单位要切实履行牵头责任，加强与配合单位的沟通协调，确保各项任务按序时进度推进、按期完成。",
)
_NAMING = ("滞后单位", "未报送单位", "红灯单位")


def requirements(c: Circular) -> list[str]:
    """四、下步要求: plan.yaml's paragraphs (else DEFAULT_REQUIREMENTS) with their placeholders
    filled in. The units named are units: a collective is followed up by the office, never
    told to report. A paragraph whose units are none (no unit lags) is left out."""
    lagging, late = _units(c, c.lagging), _units(c, c.late)
    named = {"滞后单位": list(lagging), "未报送单位": list(late),
             "红灯单位": [u for u, ts in lagging.items() if any(c.selection.light_of(t).colour == "red" for t in ts)]}
    values = {
        "月份": f"{c.first.month}月份", "截至日期": chinese_date(c.as_of),
        "下次报送截止日": chinese_date(c.next_deadline) if c.next_deadline else "下次报送截止日",
        **{key: _unit_list(units) for key, units in named.items()},
        "任务总数": str(c.counts["tasks"]), "滞后任务数": str(c.counts["lagging"]),
        "督查室": office_of(c.plan),
    }
    texts = c.plan.circular.get("requirements") or DEFAULT_REQUIREMENTS
    return [clean(text).format_map(values) for text in texts
            if not any("{" + key + "}" in text and not named[key] for key in _NAMING)]


def overall(c: Circular) -> list[str]:
    n, p = c.counts, c.previous
    first = (f"截至{chinese_date(c.as_of)}，{n['tasks']}项任务中，已完成{n['done']}项（{_percent(n['done'], n['tasks'])}），"
             f"序时推进{n['on_schedule']}项（{_percent(n['on_schedule'], n['tasks'])}），"
             f"滞后{n['lagging']}项（{_percent(n['lagging'], n['tasks'])}，其中红灯{n['red']}项、黄灯{n['yellow']}项），"
             f"未到序时节点或未启动{n['grey']}项（{_percent(n['grey'], n['tasks'])}）。")
    second = (f"与上月末相比，已完成{_change(n['done'], p['done'])}，序时推进{_change(n['on_schedule'], p['on_schedule'])}，"
              f"滞后{_change(n['lagging'], p['lagging'])}（红灯{_change(n['red'], p['red'])}、"
              f"黄灯{_change(n['yellow'], p['yellow'])}）。")
    units = [u for u in c.scores.units]  # collectives are not scored (duban.units): not in the rate
    met = sum(u.met for u in units)
    due = sum(u.due for u in units)
    reporting = [u for u in c.reported_units if not is_collective(c.plan, u)]
    followed = _followed_up(c, late=True)
    third = (f"本月共有{len(reporting)}个单位报送进展{c.reports}次"
             + (f"；截至{chinese_date(c.deadline)}报送截止日，{len(_units(c, c.late))}个单位未按时报送"
                + (f"，另有{len(followed)}项由统称牵头的任务未报送" if followed else "") if c.deadline else "")
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
        lines.append(f"{_the_task(c, task)}已于本月完成" + (f"：{_excerpt(clean(note))}" if note else "") + "。")
    return lines or ["本月暂无进展突出的单位。"]


def problems(c: Circular) -> list[tuple[str, list[str]]]:
    sections = []
    # One paragraph a task, red before yellow, each colour by 序号, with what its lead said.
    tasks = {t.ref: t for t in (*(t for ts in c.lagging.values() for t in ts), *_followed_up(c, late=False))}
    ordered = sorted(tasks.values(), key=lambda t: (_COLOUR_ORDER.get(c.selection.light_of(t).colour, 2), natural_key(t.id)))
    sections.append(("进展滞后的任务", [_lagging(c, t) for t in ordered] or ["本月没有进展滞后的任务。"]))
    if c.deadline:
        late = [f"{clean(unit)}（" + "、".join(f"第{clean(t.id)}项" for t in tasks) + "）"
                for unit, tasks in sorted(_units(c, c.late).items(), key=lambda i: (-len(i[1]), i[0]))]
        followed = _followed_up(c, late=True)
        lines = [f"截至{chinese_date(c.deadline)}报送截止日，以下单位未按时报送进展：" + "；".join(late) + "。"] \
            if late else [] if followed else ["所有单位均按时报送。"]
        if followed:
            lines.append("、".join(_by_collective(c, t) for t in followed) + f"未按时报送进展，{_followed_by(c)}。")
        sections.append(("未按时报送的单位", lines))
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
    since, until = (day.isoformat() for day in c.reported_between)

    def reported_in_period(date: str) -> bool:
        return since <= date <= until

    for task in c.tasks:
        light = c.selection.light_of(task)
        report, supporting = in_period(task.progress, c.selection.lead(task), reported_in_period,
                                       figure_against(task.indicators))
        said = progress_words(report.note) if report is not None else supporting_words(supporting)
        month = report is not None or supporting
        rows.append([clean(task.id), clean(task.title),
                     _unit_list(list(dict.fromkeys(canonical(c.plan, u) for u in c.selection.lead(task)))),
                     f"{light.percent:g}%", _expected(light),
                     light_word(light.colour) + ("（迟报）" if light.late else ""),
                     _excerpt(clean(said)) if month else "本月未报送"])
        colours.append(light.colour)
    return Block("table", headers=headers, rows=rows, colours=colours, light_column=5)


def unit_table(c: Circular) -> Block:
    headers = ["名次", "单位", "牵头任务", "已完成", "绿灯", "黄灯", "红灯", "按时报送率", "得分"]
    rows = []
    for unit in (u for u in best_first(c.scores.units) if u.rank is not None):  # no "—" padding rows
        led = [t for t in c.tasks if unit.unit in {canonical(c.plan, x) for x in c.selection.lead(t)}]
        colours = Counter(c.selection.light_of(t).colour for t in led)
        done = sum(lights.is_done(t, c.selection.light_of(t)) for t in led)
        rate = "—" if unit.on_time_rate is None else f"{unit.on_time_rate:g}%"
        rows.append([unit.shown_rank, clean(unit.unit), str(len(led)), str(done), str(colours["green"]),
                     str(colours["yellow"]), str(colours["red"]), rate, f"{unit.score:g}"])
    return Block("table", headers=headers, rows=rows)


ATTACHMENTS = ("各项任务推进情况表", "各单位推进情况及考核得分排名")


def _collective_note(c: Circular) -> str | None:
    """注 under 附件2, one short line: the collectives are not ranked (their tasks are
    followed up by task), named by the shortest of them and counted."""
    names = sorted({canonical(c.plan, u) for t in c.tasks for u in (*c.selection.lead(t), *t.support)
                    if is_collective(c.plan, u)}, key=lambda n: (len(n), n))
    if not names:
        return None
    if len(names) == 1:
        return f"注：{clean(names[0])}为统称，不作为单位排名。"
    return f"注：{clean(names[0])}等{len(names)}个统称不作为单位排名。"


def blocks(c: Circular) -> list[Block]:
    office = office_of(c.plan)
    title = f"关于{subject_of(c.plan)}{c.first.month}月份推进情况的通报"
    out = [Block("masthead", clean(c.plan.circular.get("masthead", "督查通报"))),
           Block("issue", f"第{c.issue}期"),
           Block("office_date", office, chinese_date(c.issued)),
           Block("title", title),
           Block("to", (addressees_of(c.plan) or "各相关单位") + "：")]
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
    # 附件说明: "附件：1．…", each further name under the first (GB/T 9704), one per line.
    out.append(Block("attachments", f"附件：1．{ATTACHMENTS[0]}",
                     "\n".join(f"{n}．{name}" for n, name in enumerate(ATTACHMENTS[1:], start=2))))
    out.append(Block("signature", office, chinese_date(c.issued)))
    out += [Block("attachment", "附件1", ATTACHMENTS[0]), task_table(c),
            Block("attachment", "附件2", ATTACHMENTS[1]), unit_table(c)]
    note = _collective_note(c)
    if note:
        out.append(Block("p", note))
    # 版记: 抄送 and 印发; the commit the circular was built from is in the file's properties
    # (.docx), a <meta> (HTML) and on stderr, never in the text the office issues.
    if c.plan.circular.get("cc"):
        out.append(Block("cc", "抄送：" + clean(c.plan.circular["cc"]) + "。"))
    out.append(Block("printed", clean(c.plan.circular.get("printed_by", office)),
                     chinese_date(c.issued) + "印发"))
    return out


def signature_indents(office: str, date: str, autospace: float = 0.0) -> tuple[float, float]:
    """How far from the right margin, in characters of the body's size, the 署名 and the 成文
    日期 end (GB/T 9704-2012 7.3.5.1, as for a document the office seals): the date 右空四字,
    the office centred over it. Measured in cells, a digit half a character, plus `autospace`
    characters where Chinese meets a digit or a Latin letter (a word processor's spacing)."""
    def chars(text: str) -> float:
        meets = sum(a.isascii() != b.isascii() for a, b in zip(text, text[1:]))
        return cell_width(text) / 2 + autospace * meets

    return max(0.0, 4 + (chars(date) - chars(office)) / 2), 4.0


TITLE_SIZE = 22  # pt, 二号


def title_lines_in(title: str, width_pt: float) -> list[str]:
    """The title's lines in a text area `width_pt` wide at 二号 (duban.text.titles)."""
    return title_lines(title, int(2 * width_pt / TITLE_SIZE))


def unset_words(c: Circular) -> list[str]:
    """What the circular took a default for, and where plan.yaml says it (for stderr), and the
    commit it was built from."""
    plan, circular = c.plan, c.plan.circular
    notes = []
    if not circular.get("office"):
        notes.append(_("plan.yaml has no circular.office: the masthead names {office}; set circular.office to "
                       "the name of the office that issues the circular").format(office=office_of(plan)))
    if not circular.get("subject") and titled_by_number(plan):
        notes.append(_("the plan's title is its document number: the circular calls the plan {subject}; set "
                       "circular.subject to the plan's name").format(subject=subject_of(plan)))
    if addressees_of(plan) is None:
        notes.append(_("plan.yaml has no circular.to: the circular is addressed to 各相关单位; set circular.to"))
    if not circular.get("requirements"):
        notes.append(_("plan.yaml has no circular.requirements: 四、下步要求 has duban's default paragraphs; write "
                       "the office's own in circular.requirements"))
    if c.commit:
        notes.append(_("built from commit {commit}").format(commit=c.commit))
    return notes


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
               "cc": "---\n\n{text}\n", "attachments": "{text}  \n　　　{extra}\n"},
    default="{text}\n", escape_text=md_escape,
    # 附件说明's further names, each on a line of its own under the first (a hard break).
    escape_extra=lambda text: "  \n　　　".join(md_escape(line) for line in text.split("\n")),
    table=lambda block: markdown_table(block.headers, block.rows))


def to_markdown(c: Circular) -> str:
    return "\n".join(_MARKDOWN.render(c.blocks)).rstrip("\n") + "\n"


# Printed as GB/T 9704 sets a document: A4, margins 37 mm top, 35 bottom, 28 left, 26 right
# (a 156 × 225 mm text area), 三号 body on a 28 pt line, 二号 title; page numbers "— N —" in
# 4号, on odd pages at the right and on even pages at the left, one character in, 7 mm under
# the text area (CSS @page margin boxes and :left/:right pages, printed by Chromium 131 on).
PAGE_CSS = ("@page{size:A4;margin:37mm 26mm 35mm 28mm}"
            + "".join(f"@page :{side}{{@bottom-{side}{{content:\"— \" counter(page) \" —\";font-size:14pt;"
                      f"font-family:\"SimSun\",\"宋体\",\"Noto Serif CJK SC\",serif;vertical-align:top;"
                      f"padding-top:7mm;margin-{side}:14pt}}}}" for side in ("right", "left")))
TEXT_WIDTH_PT = 156 / 25.4 * 72  # the text area's width

_CSS = ("body{max-width:60em;margin:2em auto;line-height:1.8}"
        ".masthead{color:#c00000;text-align:center;font-size:2.4em;font-family:\"FZXiaoBiaoSong-B05S\",\"方正小标宋简体\","
        "\"SimSun\",\"Noto Serif CJK SC\",serif;letter-spacing:.2em;margin:0}"
        ".issue{text-align:center;margin:.3em 0}.office-date{display:flex;justify-content:space-between;"
        "border-bottom:3px solid #c00000;padding-bottom:.3em}h2.title{text-align:center;font-size:1.6em}"
        "h3{font-family:\"SimHei\",\"黑体\",\"Noto Sans CJK SC\",sans-serif}p{text-indent:2em;margin:.3em 0}"
        ".signature{text-align:right;text-indent:0;margin:0}.signature.office{margin-top:1.8em}"
        ".attachment{page-break-before:always;font-weight:bold}"
        ".attachments{text-indent:-3em;padding-left:5em}table{width:100%;font-size:.85em}"
        # 版记: 抄送 and 印发 in 4号 between a thick rule above and below and a thin one between,
        # 印发机关 and 印发日期 on one line, each one character in from the edge.
        ".imprint{margin-top:2em;border-top:1pt solid #000;border-bottom:1pt solid #000;break-inside:avoid}"
        ".imprint p{display:flex;justify-content:space-between;gap:1em;text-indent:0;margin:0;padding:0 1em;"
        "font-size:14pt;line-height:28pt}.imprint p+p{border-top:.7pt solid #000}.imprint span{white-space:nowrap}"
        "@media print{body{max-width:none;font-size:16pt;line-height:28pt}p{margin:0}.masthead{line-height:1.4}"
        "h2.title{font-size:22pt;line-height:36pt}h3,h4{font-size:16pt;margin:0;font-weight:normal}"
        "table{font-size:10.5pt;line-height:1.4}}")


_HTML = _Format(
    templates={"masthead": '<h1 class="masthead">{text}</h1>', "issue": '<p class="issue">{text}</p>',
               "office_date": '<div class="office-date"><span>{text}</span><span>{extra}</span></div>',
               "title": '<h2 class="title">{text}</h2>', "to": '<p style="text-indent:0">{text}</p>',
               "h1": "<h3>{text}</h3>", "h2": "<h4>{text}</h4>",
               "attachment": '<p class="attachment">{text}</p><h3 style="text-align:center">{extra}</h3>',
               "attachments": '<p class="attachments">{text}<br>{extra}</p>'},
    default='<p class="{kind}">{text}</p>', escape_text=lambda text: html.escape(text).replace("\n", "<br>"),
    escape_extra=lambda text: html.escape(text).replace("\n", "<br>"),
    table=lambda block: html_table(block.headers, block.rows, block.colours or None, block.light_column))


def _html_block(block: Block, blocks: list[Block]) -> str | None:
    """The blocks HTML lays out by itself: the title in its lines, the signature placed as
    GB/T 9704 places it, and the 版记 (抄送 with 印发) between its rules."""
    if block.kind == "title":
        lines = title_lines_in(block.text, TEXT_WIDTH_PT)
        return '<h2 class="title">' + "<br>".join(html.escape(line) for line in lines) + "</h2>"
    if block.kind == "signature":
        office, date = signature_indents(block.text, block.extra)
        return (f'<p class="signature office" style="padding-right:{office:g}em">{html.escape(block.text)}</p>'
                f'<p class="signature date" style="padding-right:{date:g}em">{html.escape(block.extra)}</p>')
    if block.kind == "cc":
        return ""  # in the 版记, with 印发
    if block.kind == "printed":
        cc = next((b for b in blocks if b.kind == "cc"), None)
        return ('<div class="imprint">' + (f'<p class="cc"><span>{html.escape(cc.text)}</span></p>' if cc else "")
                + f'<p class="printed"><span>{html.escape(block.text)}</span><span>{html.escape(block.extra)}</span>'
                "</p></div>")
    return None


def to_html(c: Circular) -> str:
    parts = [_html_block(block, c.blocks) for block in c.blocks]
    body = [f"<style>{_CSS}</style>", *(own if own is not None else _HTML.render([block])[0]
                                       for own, block in zip(parts, c.blocks) if own != "")]
    title = next(b.text for b in c.blocks if b.kind == "title")
    return html_page(title, "\n".join(body) + "\n", page_css=PAGE_CSS, font="16pt",
                     meta={"duban-commit": c.commit} if c.commit else None)
