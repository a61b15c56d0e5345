"""The circular as a list of blocks, masthead to 印发, with the attached tables per task and
per unit (lights, on-time rate, score, rank)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from duban.reading import figure_against, in_period
from duban.states import LightColour
from duban.supervise import lights
from duban.supervise.circular.document import Block, Circular
from duban.supervise.circular.words import (
    excerpt,
    expected_percent,
    good_progress,
    overall,
    problems,
    requirements,
    unit_list,
)
from duban.supervise.export.ledger import supporting_words
from duban.supervise.export.naming import addressees_of, office_of, subject_of
from duban.supervise.export.text import chinese_date, clean, progress_words
from duban.supervise.scoring import best_first, canonical
from duban.units import is_collective
from duban.vocabulary import light_word

NUMERALS = "一二三四五六七八九十"


def task_table(c: Circular) -> Block:
    headers = ["序号", "任务名称", "牵头单位", "完成进度", "序时进度", "灯", "本月进展"]
    rows, colours = [], []
    since, until = c.reported_between

    def reported_in_period(date: dt.date) -> bool:
        return since <= date <= until

    for task in c.tasks:
        light = c.selection.light_of(task)
        report, supporting = in_period(
            task.progress, c.selection.lead(task), reported_in_period, figure_against(task.indicators)
        )
        said = progress_words(report.note) if report is not None else supporting_words(supporting)
        month = report is not None or supporting
        rows.append(
            [
                clean(task.id),
                clean(task.title),
                unit_list(list(dict.fromkeys(canonical(c.plan, u) for u in c.selection.lead(task)))),
                f"{light.percent:g}%",
                expected_percent(light),
                light_word(light.colour) + ("（迟报）" if light.late else ""),
                excerpt(clean(said)) if month else "本月未报送",
            ]
        )
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
        rows.append(
            [
                unit.shown_rank,
                clean(unit.unit),
                str(len(led)),
                str(done),
                str(colours[LightColour.GREEN]),
                str(colours[LightColour.YELLOW]),
                str(colours[LightColour.RED]),
                rate,
                f"{unit.score:g}",
            ]
        )
    return Block("table", headers=headers, rows=rows)


ATTACHMENTS = ("各项任务推进情况表", "各单位推进情况及考核得分排名")


def _collective_note(c: Circular) -> str | None:
    """注 under 附件2, one short line: the collectives are not ranked (their tasks are
    followed up by task), named by the shortest of them and counted."""
    names = sorted(
        {canonical(c.plan, u) for t in c.tasks for u in (*c.selection.lead(t), *t.support) if is_collective(c.plan, u)},
        key=lambda n: (len(n), n),
    )
    if not names:
        return None
    if len(names) == 1:
        return f"注：{clean(names[0])}为统称，不作为单位排名。"
    return f"注：{clean(names[0])}等{len(names)}个统称不作为单位排名。"


def blocks(c: Circular) -> list[Block]:
    office = office_of(c.plan)
    title = f"关于{subject_of(c.plan)}{c.first.month}月份推进情况的通报"
    out = [
        Block("masthead", clean(c.plan.circular.get("masthead", "督查通报"))),
        Block("issue", f"第{c.issue}期"),
        Block("office_date", office, chinese_date(c.issued)),
        Block("title", title),
        Block("to", (addressees_of(c.plan) or "各相关单位") + "："),
    ]
    out.append(Block("p", f"现将{subject_of(c.plan)}{c.first.month}月份推进情况通报如下。"))
    sections = [
        ("总体情况", [Block("p", t) for t in overall(c)]),
        ("进展较好的单位和主要成效", [Block("p", t) for t in good_progress(c)]),
    ]
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
    out.append(
        Block(
            "attachments",
            f"附件：1．{ATTACHMENTS[0]}",
            "\n".join(f"{n}．{name}" for n, name in enumerate(ATTACHMENTS[1:], start=2)),
        )
    )
    out.append(Block("signature", office, chinese_date(c.issued)))
    out += [
        Block("attachment", "附件1", ATTACHMENTS[0]),
        task_table(c),
        Block("attachment", "附件2", ATTACHMENTS[1]),
        unit_table(c),
    ]
    note = _collective_note(c)
    if note:
        out.append(Block("p", note))
    # 版记: 抄送 and 印发; the commit the circular was built from is in the file's properties
    # (.docx), a <meta> (HTML) and on stderr, never in the text the office issues.
    if c.plan.circular.get("cc"):
        out.append(Block("cc", "抄送：" + clean(c.plan.circular["cc"]) + "。"))
    out.append(Block("printed", clean(c.plan.circular.get("printed_by", office)), chinese_date(c.issued) + "印发"))
    return out
