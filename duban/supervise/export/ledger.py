"""The ledger's rows (台账): the plan's tasks in the source table's layout, a column per
reporting month with that month's report, and the units' scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from duban.model import Plan, Report, Task
from duban.reading import figure_against, in_period
from duban.states import LightColour
from duban.supervise.deadlines import Deadline, periods
from duban.supervise.export.naming import office_of, subject_of
from duban.supervise.export.text import (
    LIGHT_WORDS,
    QUARTERS,
    chinese_date,
    clean,
    note_parts,
    progress_words,
    status_word,
    without_justification,
)
from duban.supervise.rows import task_row
from duban.supervise.selection import Selection


def reporting_periods(plan: Plan, as_of: dt.date) -> list[Deadline]:
    """The periods of the plan's reporting calendar (its months where it has no reporting
    rule) that have begun by `as_of`: one ledger column each, 5月进展 holding the reports the
    calendar files under May (reports due 5 June are May's)."""
    return [period for period in periods(plan) if period.first <= as_of]


@dataclass
class Ledger:
    title: str
    office: str
    as_of: dt.date
    headers: list[str]
    rows: list[list[Any]]
    colours: list[LightColour]
    light_column: int
    widths: dict[int, int] = field(default_factory=dict)  # column -> maximum width
    scores: tuple[list[str], list[list[Any]]] | None = None
    unread: int = 0  # task files that could not be read: said on the ledger itself, not only on stderr

    @property
    def subtitle(self) -> str:
        missing = f"　　另有{self.unread}个任务文件无法读取，未列入本台账" if self.unread else ""
        # The office compiles its own ledger: 编制单位 (a unit's own form says 填报单位).
        return f"编制单位：{self.office}　　截至{chinese_date(self.as_of)}{missing}"


def ledger(selection: Selection, tasks: list[Task]) -> Ledger:
    """The ledger's rows. Header words are the ones `duban import` reads back, with the plan's
    own role words; the month columns hold the last report dated in each month."""
    plan = selection.plan(tasks[0]) if tasks else None
    roles = plan.roles if plan else {}
    as_of = selection.as_of
    has = {
        "category": any(t.category for t in tasks),
        "quarters": any(t.milestones for t in tasks),
        "type": any(t.type for t in tasks),
        "due": any(t.due for t in tasks),
    }
    months = reporting_periods(plan, as_of) if plan else []
    deciding = {t.ref: selection.deciding_report(t) for t in tasks}
    latest_parts = {ref: note_parts(report.note if report else None) for ref, report in deciding.items()}
    has["problems"] = any(p["存在问题"] for p in latest_parts.values())
    has["next"] = any(p["下步计划"] for p in latest_parts.values())
    headers = ["序号", "领域"] + (["重要项目"] if has["category"] else []) + ["任务名称", "指标要求"]
    headers += [word for _key, word in QUARTERS] if has["quarters"] else []
    headers += [roles.get("lead", "牵头单位"), roles.get("support", "配合单位")]
    headers += (["目标类型"] if has["type"] else []) + (["完成时限"] if has["due"] else [])
    headers += ["完成进度(%)", "灯", "状态"] + [f"{period.label}进展" for period in months]
    headers += (["存在问题"] if has["problems"] else []) + (["下步计划"] if has["next"] else [])
    rows: list[list[Any]] = []
    colours: list[LightColour] = []
    # 序号 of one type: numbers where every task's is a whole number, else all text (14a,
    # 14b among 1…59): a column of numbers and text sorts and filters in two runs.
    numbered = all(task.id.isdigit() for task in tasks)
    for task in tasks:
        shared = task_row(selection, task)
        light = shared.light
        row: list[Any] = [int(task.id) if numbered else clean(task.id), clean(task.area)]
        row += [without_justification(clean(task.category or ""))] if has["category"] else []
        row += [clean(task.title), clean(task.text)]
        if has["quarters"]:
            row += [clean(task.milestones.get(q, "——")) for q, _word in QUARTERS]
        row += ["、".join(clean(u) for u in shared.lead), "、".join(clean(u) for u in task.support)]
        row += ([task.type or ""] if has["type"] else []) + (
            [chinese_date(task.due) if task.due else ""] if has["due"] else []
        )
        row += [
            shared.value("percent") or 0,
            LIGHT_WORDS[light.colour] + ("(迟报)" if light.late else ""),
            status_word(task.status),
        ]
        for period in months:
            row.append(period_cell(task, shared.lead, period.files))
        parts = latest_parts[task.ref]
        row += ([clean(parts["存在问题"])] if has["problems"] else []) + (
            [clean(parts["下步计划"])] if has["next"] else []
        )
        rows.append(row)
        colours.append(light.colour)
    widths = {
        i: {
            "序号": 6,
            "灯": 8,
            "状态": 8,
            "完成进度(%)": 8,
            "目标类型": 6,
            "领域": 10,
            "重要项目": 10,
            "任务名称": 24,
            "指标要求": 40,
            "完成时限": 10,
        }.get(h, 16 if h.endswith("季度") or h.endswith("进展") else 18)
        for i, h in enumerate(headers)
    }
    title = (
        clean(plan.circular.get("ledger_title"))
        if plan and plan.circular.get("ledger_title")
        else (subject_of(plan) + "推进情况台账" if plan else "台账")
    )
    return Ledger(
        title,
        office_of(plan) if plan else "",
        as_of,
        headers,
        rows,
        colours,
        headers.index("灯"),
        widths,
        unread=len(selection.problems),
    )


def period_cell(task: Task, lead: tuple[str, ...], dated_in: Callable[[dt.date], bool]) -> str:
    """A ledger's period cell: the lead's report of the period, else who did report in it. A
    supporting unit's report is its own part, under its own name (docs/reading.md rule 1)."""
    report, supporting = in_period(task.progress, lead, dated_in, figure_against(task.indicators))
    if report is not None:
        return f"{report.percent:g}%　{clean(progress_words(report.note))}".strip()
    return supporting_words(supporting)


def supporting_words(supporting: list[Report]) -> str:
    """牵头单位未报送; each supporting unit's report of the period under its name, or ""."""
    if not supporting:
        return ""
    return "牵头单位未报送；" + "；".join(
        f"{clean(r.by or '')}（配合）{r.percent:g}%　{clean(progress_words(r.note))}".rstrip() for r in supporting
    )


def with_scores(result: Ledger, selection: Selection, plan_id: str, scores: Any = None) -> Ledger:
    """The units' scores and ranks as of the ledger's date, for its second table; `scores`
    where the caller has already worked them out for that day (scoring.Scores)."""
    # Deferred: loads duban.supervise.scoring (2 duban modules in all) only when this runs
    from duban.supervise.scoring import best_first, score

    scores = scores if scores is not None else score(selection.repo, plan_id, selection.as_of, final=selection)
    headers = ["名次", "单位", "得分", "按时报送率(%)", "涉及任务"]
    # The ranked units only: a unit with nothing to be ranked by has no row (no "—" padding);
    # collectives are never scored (duban.units).
    rows = [
        [u.rank, clean(u.unit), u.score, u.on_time_rate if u.on_time_rate is not None else "", len(u.tasks)]
        for u in best_first(scores.units)
        if u.rank is not None
    ]
    result.scores = (headers, rows)
    return result
