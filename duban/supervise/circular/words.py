"""The circular's words: 总体情况 against the month before, 进展较好, 存在问题 naming the lagging
and late units (collectives by task, followed up by the office: docs/reading.md rule 8),
四、下步要求 from plan.yaml, and what the circular took a default for."""

from __future__ import annotations

import datetime as dt

from duban.i18n import _
from duban.model import Task, natural_key
from duban.reading import latest_by_lead
from duban.states import LightColour, Status
from duban.supervise import lights
from duban.supervise.circular.document import Circular
from duban.supervise.export.naming import addressees_of, office_of, subject_of, titled_by_number
from duban.supervise.export.text import chinese_date, clean, note_parts, progress_words
from duban.supervise.scoring import best_first, canonical
from duban.text.numbers import whole_percent
from duban.units import is_collective
from duban.vocabulary import light_word


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "0%"


def _change(now: int, before: int) -> str:
    if now == before:
        return "持平"
    return f"增加{now - before}项" if now > before else f"减少{before - now}项"


def _task_words(task: Task) -> str:
    return f"第{clean(task.id)}项“{clean(task.title)}”"


def unit_list(units: list[str]) -> str:
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
                if c.deadline is not None and lights.late_units(
                    task, c.plan, c.deadline, c.selection.sealed(task), c.selection.lead(task)
                ):
                    found.append(task)  # late for the deadline the circular judges, as the units named late
            elif c.selection.light_of(task).colour in _COLOUR_ORDER:
                found.append(task)
    return sorted(found, key=lambda t: natural_key(t.id))


def _by_collective(c: Circular, task: Task) -> str:
    """第52项“…”（牵头：各相关涉改部门）: a task led by collectives only, named by itself."""
    return f"{_task_words(task)}（牵头：{unit_list(_leads(c, task))}）"


def _the_task(c: Circular, task: Task) -> str:
    """由发改委牵头的第17项“…”, or 第52项“…”（牵头：各相关涉改部门） where no unit leads it."""
    units = _unit_leads(c, task)
    return f"由{unit_list(units)}牵头的{_task_words(task)}" if units else _by_collective(c, task)


def _followed_by(c: Circular) -> str:
    return f"由{office_of(c.plan)}跟踪督办"


def expected_percent(light: lights.Light) -> str:
    return f"{whole_percent(light.expected_exact)}%"


_STATE: dict[str, str] = {Status.BLOCKED: "受阻", Status.DELAYED: "已延期"}
_COLOUR_ORDER = {LightColour.RED: 0, LightColour.YELLOW: 1}


def _reason(c: Circular, task: Task) -> str:
    """What the lead said of a lagging task: the 存在问题 part of its deciding report's note,
    else the note; or that it has not reported."""
    report = c.selection.deciding_report(task, c.as_of)
    if report is None:
        return "，牵头单位尚未报送进展"
    said = note_parts(report.note)["存在问题"] or progress_words(report.note)
    said = clean(said).strip().rstrip("。；;，,")
    leads = _unit_leads(c, task)
    if len(leads) < 2:
        return f"，牵头单位反映：{excerpt(said)}" if said else "，牵头单位未说明原因"
    # Several leads: the words are the deciding report's unit's, named; the leads that have
    # not reported are named too, never covered by another's words (docs/reading.md rule 1).
    who = canonical(c.plan, report.by or "")
    spoke = {canonical(c.plan, r.by or "") for r in latest_by_lead(task.progress, c.selection.lead(task), c.as_of)}
    silent = [u for u in leads if u not in spoke]
    text = f"，{who}反映：{excerpt(said)}" if said else f"，{who}未说明原因"
    return text + (f"，{unit_list(silent)}尚未报送进展" if silent else "")


def _lagging(c: Circular, task: Task) -> str:
    """One lagging task: who leads it, 受阻/已延期/进展滞后 as it is, its light and figures, the
    lead's reason; a task only collectives lead is followed up by the office."""
    light = c.selection.light_of(task)
    state = _STATE.get(task.status, "进展滞后")
    figures = f"（{light_word(light.colour)}，完成{light.percent:g}%，序时进度{expected_percent(light)}）"
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
    named = {
        "滞后单位": list(lagging),
        "未报送单位": list(late),
        "红灯单位": [
            u for u, ts in lagging.items() if any(c.selection.light_of(t).colour == LightColour.RED for t in ts)
        ],
    }
    values = {
        "月份": f"{c.first.month}月份",
        "截至日期": chinese_date(c.as_of),
        "下次报送截止日": chinese_date(c.next_deadline) if c.next_deadline else "下次报送截止日",
        **{key: unit_list(units) for key, units in named.items()},
        "任务总数": str(c.counts["tasks"]),
        "滞后任务数": str(c.counts["lagging"]),
        "督查室": office_of(c.plan),
    }
    texts = c.plan.circular.get("requirements") or DEFAULT_REQUIREMENTS
    return [
        clean(text).format_map(values)
        for text in texts
        if not any("{" + key + "}" in text and not named[key] for key in _NAMING)
    ]


def overall(c: Circular) -> list[str]:
    n, p = c.counts, c.previous
    first = (
        f"截至{chinese_date(c.as_of)}，{n['tasks']}项任务中，已完成{n['done']}项（{_percent(n['done'], n['tasks'])}），"
        f"序时推进{n['on_schedule']}项（{_percent(n['on_schedule'], n['tasks'])}），"
        f"滞后{n['lagging']}项（{_percent(n['lagging'], n['tasks'])}，其中红灯{n['red']}项、黄灯{n['yellow']}项），"
        f"未到序时节点或未启动{n['grey']}项（{_percent(n['grey'], n['tasks'])}）。"
    )
    second = (
        f"与上月末相比，已完成{_change(n['done'], p['done'])}，序时推进{_change(n['on_schedule'], p['on_schedule'])}，"
        f"滞后{_change(n['lagging'], p['lagging'])}（红灯{_change(n['red'], p['red'])}、"
        f"黄灯{_change(n['yellow'], p['yellow'])}）。"
    )
    units = [u for u in c.scores.units]  # collectives are not scored (duban.units): not in the rate
    met = sum(u.met for u in units)
    due = sum(u.due for u in units)
    reporting = [u for u in c.reported_units if not is_collective(c.plan, u)]
    followed = _followed_up(c, late=True)
    third = (
        f"本月共有{len(reporting)}个单位报送进展{c.reports}次"
        + (
            f"；截至{chinese_date(c.deadline)}报送截止日，{len(_units(c, c.late))}个单位未按时报送"
            + (f"，另有{len(followed)}项由统称牵头的任务未报送" if followed else "")
            if c.deadline
            else ""
        )
        + (f"；全年累计按时报送率{_percent(met, due)}。" if due else "。")
    )
    unread = len(c.selection.problems)
    # First, where the counts are read: a task left out changes every number after it.
    return ([f"另有{unread}个任务文件无法读取，未计入本通报，请核对后重新生成。"] if unread else []) + [
        first,
        second,
        third,
    ]


def good_progress(c: Circular) -> list[str]:
    lines = []
    leads = {canonical(c.plan, u) for t in c.tasks for u in c.selection.lead(t)}
    clean_units = [
        u.unit
        for u in best_first(c.scores.units)
        if u.unit in leads and u.unit not in c.lagging and u.unit not in c.late
    ]
    if clean_units:
        lines.append(f"{unit_list(clean_units)}等{len(clean_units)}个单位牵头的任务均按序时推进，并按时报送进展。")
    for task in c.completed:
        note = note_parts(next((r.note for r in task.progress if r.percent >= 100), None))["进展"]
        lines.append(f"{_the_task(c, task)}已于本月完成" + (f"：{excerpt(clean(note))}" if note else "") + "。")
    return lines or ["本月暂无进展突出的单位。"]


def problems(c: Circular) -> list[tuple[str, list[str]]]:
    sections = []
    # One paragraph a task, red before yellow, each colour by 序号, with what its lead said.
    tasks = {t.ref: t for t in (*(t for ts in c.lagging.values() for t in ts), *_followed_up(c, late=False))}
    ordered = sorted(
        tasks.values(), key=lambda t: (_COLOUR_ORDER.get(c.selection.light_of(t).colour, 2), natural_key(t.id))
    )
    sections.append(("进展滞后的任务", [_lagging(c, t) for t in ordered] or ["本月没有进展滞后的任务。"]))
    if c.deadline:
        late = [
            f"{clean(unit)}（" + "、".join(f"第{clean(t.id)}项" for t in tasks) + "）"
            for unit, tasks in sorted(_units(c, c.late).items(), key=lambda i: (-len(i[1]), i[0]))
        ]
        followed = _followed_up(c, late=True)
        lines = (
            [f"截至{chinese_date(c.deadline)}报送截止日，以下单位未按时报送进展：" + "；".join(late) + "。"]
            if late
            else []
            if followed
            else ["所有单位均按时报送。"]
        )
        if followed:
            lines.append("、".join(_by_collective(c, t) for t in followed) + f"未按时报送进展，{_followed_by(c)}。")
        sections.append(("未按时报送的单位", lines))
    if c.entered_late:
        entered = [
            f"{clean(e.unit or '')}第{clean(e.ref.rpartition('/')[2])}项"
            f"（{chinese_date(dt.date.fromisoformat(e.report_date))}报送，"
            f"{chinese_date(dt.date.fromisoformat(e.recorded_at[:10]))}录入）"
            for e in c.entered_late
        ]
        sections.append(
            ("截止后录入的报送", ["以下报送按报送日期计入本月，但在报送截止日之后才录入：" + "；".join(entered) + "。"])
        )
    steps: dict[tuple[str, str, int], dict[str, list[str]]] = {}
    for step in c.scores.escalations:
        for unit in step.units:
            steps.setdefault((step.action, step.light, len(step.days)), {}).setdefault(unit, []).append(
                f"第{clean(step.task.id)}项"
            )
    if steps:
        sections.append(
            (
                "督办措施",
                [
                    f"以下单位牵头的任务{'连续' + str(times) + '个' if times > 1 else '在'}报送截止日为{light_word(light)}"
                    + ("及以上" if light == LightColour.YELLOW else "")
                    + f"，拟{clean(action)}："
                    + "；".join(f"{clean(unit)}（{'、'.join(ids)}）" for unit, ids in units.items())
                    + "。"
                    for (action, light, times), units in steps.items()
                ],
            )
        )
    return sections


EXCERPT = 200  # characters of a report's note in the circular; the ledger keeps it whole


def excerpt(text: str) -> str:
    """A note as the circular quotes it: whole up to EXCERPT characters, else cut and marked.
    One 2,500-character note made one row of 附件1 run over twelve pages."""
    return text if len(text) <= EXCERPT else text[:EXCERPT].rstrip() + "……（全文见台账）"


def unset_words(c: Circular) -> list[str]:
    """What the circular took a default for, and where plan.yaml says it (for stderr), and the
    commit it was built from."""
    plan, circular = c.plan, c.plan.circular
    notes = []
    if not circular.get("office"):
        notes.append(
            _(
                "plan.yaml has no circular.office: the masthead names {office}; set circular.office to "
                "the name of the office that issues the circular"
            ).format(office=office_of(plan))
        )
    if not circular.get("subject") and titled_by_number(plan):
        notes.append(
            _(
                "the plan's title is its document number: the circular calls the plan {subject}; set "
                "circular.subject to the plan's name"
            ).format(subject=subject_of(plan))
        )
    if addressees_of(plan) is None:
        notes.append(_("plan.yaml has no circular.to: the circular is addressed to 各相关单位; set circular.to"))
    if not circular.get("requirements"):
        notes.append(
            _(
                "plan.yaml has no circular.requirements: 四、下步要求 has duban's default paragraphs; write "
                "the office's own in circular.requirements"
            )
        )
    if c.commit:
        notes.append(_("built from commit {commit}").format(commit=c.commit))
    return notes
