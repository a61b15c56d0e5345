"""The importer's shared rules, one by one, on phrases taken from the seed documents."""

from __future__ import annotations

import pytest

from duban.errors import DubanError
from duban.importing import rules
from duban.importing.cells import split_unit_cell
from duban.importing.importer import detect_layout
from duban.importing.metadata import parse_date_line, read_metadata
from duban.importing.source import decode_document, document_from_text


def test_trailing_unit_clause_respects_nested_brackets() -> None:
    line = "▲城镇居民家庭人均可支配收入增长10%左右。(牵头单位:发改委;责任单位:新农村建设办公室<农委>及各街镇)"
    text, clause = rules.trailing_unit_clause(line)
    assert text == "▲城镇居民家庭人均可支配收入增长10%左右。"
    assert clause == "牵头单位:发改委;责任单位:新农村建设办公室<农委>及各街镇"


def test_trailing_parenthesis_without_role_word_is_text() -> None:
    assert rules.trailing_unit_clause("力争列入国家、市创新基(资)金") is None


def test_full_width_and_ascii_punctuation() -> None:
    assert rules.split_clause("牵头单位：市发改委；责任单位：市财政局") == [
        ("lead", "牵头单位", "市发改委"),
        ("support", "责任单位", "市财政局"),
    ]
    assert rules.UNIT_LINE.match("责任单位:市民宗局,相关县(市、区)政府")


def test_split_units_keeps_brackets_and_splits_ji_only_between_units() -> None:
    assert rules.split_units("市民宗局,相关县(市、区)政府") == ["市民宗局", "相关县(市、区)政府"]
    assert rules.split_units("相关委办局、各街镇及工业园区") == ["相关委办局", "各街镇", "工业园区"]
    assert rules.split_units("老镇及旧房改造指挥部") == ["老镇及旧房改造指挥部"]
    assert rules.split_units("绿化工程指挥部及顾村镇", known={"顾村镇"}) == ["绿化工程指挥部", "顾村镇"]


@pytest.mark.parametrize(
    ("cell", "units"),
    [
        (
            "发改委  科  委卫计委  人社局  教育局  司法局         市场监管局    公安分局",
            ["发改委", "科委", "卫计委", "人社局", "教育局", "司法局", "市场监管局", "公安分局"],
        ),
        (
            "商务委  发改委科  委  国资委环保局  临空办    税务局         市场监管局     各街(镇)",
            ["商务委", "发改委", "科委", "国资委", "环保局", "临空办", "税务局", "市场监管局", "各街(镇)"],
        ),
        ("区政务公开与  “互联网+政务服务”领导小组  成员单位", ["区政务公开与“互联网+政务服务”领导小组成员单位"]),
        ("环境保护和建设协调委员会成员单位", ["环境保护和建设协调委员会成员单位"]),
        ("民防办周桥街道", ["民防办", "周桥街道"]),
        ("公安分局 社建办", ["公安分局", "社建办"]),
        ("区府办(电子政务办)", ["区府办(电子政务办)"]),
    ],
)
def test_split_unit_cell(cell: str, units: list[str]) -> None:
    assert split_unit_cell(cell) == units


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("加强经济运行分析,确保完成主要指标。", "加强经济运行分析,确保完成主要指标"),
        (
            "制定并部署2019年长宁区稳增长举措实施方案,建立工作联席机制,保持经济持续发展,人均GDP、地均GDP稳定增长。",
            "制定并部署2019年长宁区稳增长举措实施方案",
        ),
    ],
)
def test_title_is_first_sentence_or_clause(text: str, title: str) -> None:
    assert rules.title_of(text) == title


def test_indicators() -> None:
    assert rules.indicators_in("11000人", "新增城镇就业人数") == [
        {"name": "新增城镇就业人数", "value": 11000, "unit": "人", "kind": "level", "text": "11000人"}
    ]
    assert [(i["kind"], i["value"]) for i in rules.indicators_in("万元生产总值综合能耗下降5%左右")] == [("decrease", 5)]
    assert [
        (i["name"], i["kind"], i["value"], i["unit"]) for i in rules.target_indicators("区级财政收入118亿元,增长8%")
    ] == [("区级财政收入", "level", 118, "亿元"), ("区级财政收入", "growth", 8, "%")]
    assert rules.target_indicators("单位增加值能耗下降3.5%")[0]["name"] == "单位增加值能耗"
    assert rules.target_indicators("城镇登记失业人数控制在21040人以内") == [
        {"name": "城镇登记失业人数", "value": 21040, "unit": "人", "kind": "ceiling", "text": "控制在21040人以内"}
    ]


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("(二OO八年二月二十六日)", "2008-02-26"),
        ("2019年2月15日", "2019-02-15"),
        ("2013年3月2日", "2013-03-02"),
        ("二〇一九年十二月三十一日", "2019-12-31"),
        ("2019年2月30日", None),
    ],
)
def test_date_lines(line: str, iso: str | None) -> None:
    assert parse_date_line(line) == iso


def test_metadata_reporting_rule_and_target_types() -> None:
    doc = document_from_text(
        "文号 | 平政办〔2013〕11号 | 索引号 | 005452065/2013-00024 |\n"
        "具体落实情况请于每月5日前,以正式文件分别报送市政府办公室各对口科室和市督查局,市督查局按月汇总。\n"
        "(注:A类指责任目标;B类指激励目标;C类指争先创优目标)\n",
        "x.txt",
    )
    found = read_metadata(doc.lines).fields
    assert found["document_number"] == "平政办〔2013〕11号" and found["year"] == 2013
    assert found["index_number"] == "005452065/2013-00024"
    assert found["reporting"]["day_of_month"] == 5
    assert found["reporting"]["to"] == "市政府办公室各对口科室和市督查局"
    assert found["target_types"] == {"A": "责任目标", "B": "激励目标", "C": "争先创优目标"}


def test_gb18030_is_decoded() -> None:
    assert decode_document("牵头单位：市发改委".encode("gb18030"), "x") == ("牵头单位：市发改委", "gb18030")


def test_unknown_layout_is_one_clear_error() -> None:
    with pytest.raises(DubanError) as caught:
        detect_layout(document_from_text("这是一封普通的信。\n没有任务。\n", "letter.txt"))
    message = str(caught.value)
    assert message.startswith("letter.txt: no known layout found")
    for layout in ("outline", "pipe-table", "cell-table", "narrative"):
        assert layout in message


def test_outline_mixes_both_unit_styles() -> None:
    """An unseen document: unit lines and trailing parentheses, full-width colons, ASCII numbering."""
    from duban.importing.importer import import_document

    text = (
        "某某区人民政府办公室关于印发2024年重点工作任务分解的通知\n一、经济发展\n"
        "1. 稳定工业增长,规上工业产值增长6%。\n牵头单位：区经信局\n责任单位：区统计局、各街道\n"
        "2、推进招商引资。(牵头单位：区商务局；责任单位：区投促中心)\n"
        "▲引进重点项目20个。(责任单位：区投促中心)\n二、社会民生\n3.办好民生实事。\n责任单位：区民政局\n"
    )
    doc = document_from_text(text, "new.txt")
    result = import_document(None, "2024-somewhere", document=doc)  # type: ignore[arg-type]
    tasks = {str(t["id"]): t for t in result.tasks}
    assert set(tasks) == {"1", "2", "2-1", "3"}
    assert tasks["1"]["lead"] == ["区经信局"] and tasks["1"]["support"] == ["区统计局", "各街道"]
    assert tasks["2-1"]["parent"] == 2 and "lead" not in tasks["2-1"]
    # task 3 names only 责任单位: by the convention they answer for it, as its lead
    assert tasks["3"]["area"] == "社会民生" and tasks["3"]["lead"] == ["区民政局"]
    assert result.plan["year"] == 2024 and result.plan["roles"] == {"lead": "牵头单位", "support": "责任单位"}
