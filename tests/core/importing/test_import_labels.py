"""Labels and prose as offices write them, and the choice between readings by evidence. Each
document is written for its rule (none is copied from the corpus)."""

from __future__ import annotations

import pytest

from duban.importing.clauses import read_clauses
from duban.importing.explain import explain
from duban.importing.importer import import_document
from duban.importing.names import split_names
from duban.importing.source import document_from_text
from duban.importing.vocabulary import label_role


def _import(text: str, **kwargs):
    return import_document(None, "2024-x", document=document_from_text(text, "doc.txt"), year=2024, **kwargs)


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("协同责任单位", "support"),
        ("协同配合单位", "support"),
        ("牵头负责领导", "leaders"),
        ("牵头责任领导", "leaders"),
        ("包保领导", "leaders"),
        ("省牵头单位", "lead"),
        ("具体实施单位", "responsible"),
        ("配合责任部门", "support"),
        ("县级各部门", None),
        ("部门分工", None),
    ],
)
def test_compound_labels_are_read_by_their_parts(word: str, role: str | None) -> None:
    assert label_role(word) == role


COMPOUND = """2024年区政府重点工作责任分解
一、稳增长
    1. 地区生产总值增长6%。
    牵头负责领导:赵一。
    牵头责任单位:区发改委。
    协同责任单位:区经信局、区商务局等,各街道。
    2. 一般公共预算收入增长4%。
    牵头负责领导:赵一。
    牵头责任单位:区财政局。
    协同配合单位:区税务局。
"""


def test_compound_label_lines_never_become_tasks() -> None:
    result = _import(COMPOUND)
    assert [(t["lead"], t.get("support"), t.get("leaders")) for t in result.tasks] == [
        (["区发改委"], ["区经信局", "区商务局", "各街道"], ["赵一"]),
        (["区财政局"], ["区税务局"], ["赵一"]),
    ]


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("推进X。(区教育局、区体育局分别牵头)", [("lead", "区教育局"), ("lead", "区体育局")]),
        ("推进X。部门分工:区商务局牵头,区财政局配合。", [("lead", "区商务局"), ("support", "区财政局")]),
        (
            "推进X。(区教育局、区科技局等相关部门,各街道按职责分工负责)",
            [("responsible", "区教育局"), ("responsible", "区科技局"), ("responsible", "各街道")],
        ),
        ("推进X。责任单位:区财政局、区审计局。", [("responsible", "区财政局"), ("responsible", "区审计局")]),
        ("推进X。牵头单位:区农业农村局分别牵头", [("lead", "区农业农村局")]),
    ],
)
def test_prose_roles(text: str, units: list) -> None:
    assert read_clauses(text).units == units


def test_names_are_never_invented() -> None:
    assert split_names("各县(市、区)政府(管委会)、市发改委等相关部门。") == ["各县(市、区)政府(管委会)", "市发改委"]
    result = _import("1.建设产业园。(责任单位:各县(市、区)政府(管委会))\n2.建设物流园。(责任单位:市商务局)\n")
    assert result.tasks[0]["lead"] == ["各县(市、区)政府(管委会)"]
    assert "管委会" not in [u["name"] for u in result.plan["units"]]


OTHER = """2024年重点工作
(一)

强化科技支撑

1

建设区级实验室2家。(牵头单位:区科技局)

2

培育国字号品牌3个。(牵头单位:区市场监管局)
"""


def test_a_number_or_a_heading_marker_alone_on_its_line_and_words_that_only_look_like_chrome() -> None:
    result = _import(OTHER)
    assert [(t["area"], t["text"], t["lead"]) for t in result.tasks] == [
        ("强化科技支撑", "建设区级实验室2家。", ["区科技局"]),
        ("强化科技支撑", "培育国字号品牌3个。", ["区市场监管局"]),
    ]


MIXED = """2024年重点工作
序号 | 任务 | 牵头单位 |
1 | 完成道路改造3条 | 区建设局 |
2 | 新建停车位500个 | 区建设局 |
3 | 建成垃圾中转站1座 | 区城管局 |
附:工作要求
1.各单位要高度重视。
"""


def test_explain_says_which_reading_won_and_which_came_second() -> None:
    result = _import(MIXED)
    assert len(result.tasks) == 3 and result.readings[0][0] == "general: tables"
    shown = explain(result)
    assert "reading: general: tables" in shown and "second: general: outline" in shown


def test_a_stated_convention_beats_a_fitted_layout() -> None:
    text = "\n".join(
        [
            "2024年重点工作责任分解",
            "一、发展",
            *(f"{n}.推进第{n}项工作。\n责任单位:区发改委、区财政局(列第一位者为牵头单位)" for n in range(1, 4)),
        ]
    )
    result = _import(text)
    assert [t["lead"] for t in result.tasks] == [["区发改委"]] * 3
    assert all(t["support"] == ["区财政局"] for t in result.tasks)
