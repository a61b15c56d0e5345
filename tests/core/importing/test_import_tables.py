"""Tables read the way a person reads them: grids in every shape, columns decided by header and
content, rows however they are numbered. Every document here is written for its rule (none is
a copy of a corpus file); the Word and Excel files are built with python-docx and openpyxl."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml import parse_xml

from duban.importing.columns import decide_kinds, is_header, number_style, row_number
from duban.importing.importer import import_document
from duban.importing.source import document_from_text


def _import(text: str, **kwargs):
    return import_document(None, "2024-x", document=document_from_text(text, "doc.txt"), year=2024, **kwargs)


def _by_text(result, needle: str) -> dict:
    found = [t for t in result.tasks if needle in t["text"]]
    assert found, (needle, [t["text"] for t in result.tasks])
    return found[0]


# ---- row numbers and headers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "number", "style"),
    [
        ("12", "12", "bare"),
        ("(3)", "3", "paren"),
        ("（3）", "3", "paren"),
        ("1*", "1", "star"),
        ("7.", "7", "dot"),
        ("二", None, "bare"),
        ("2024年", None, "bare"),
    ],
)
def test_row_numbers_in_every_writing(cell: str, number: str | None, style: str) -> None:
    assert row_number(cell) == number
    if number:
        assert number_style(cell) == style


def test_a_header_with_topic_words_and_a_period_is_still_a_header() -> None:
    assert is_header(["序号", "民生实事", "责任单位", "完成时限"])
    assert is_header(["序号", "建设地点", "2022年预期目标", "牵头部门", "1-9月份完成情况"])
    assert is_header(["序號", "實事項目", "牽頭單位"])  # traditional script
    assert not is_header(["1", "新建学校3所", "区教育局"])


def test_unknown_columns_are_decided_by_their_cells() -> None:
    kinds = decide_kinds(
        ["序号", "类别", "事项", "分管", "单位", "时间"],
        [
            ["1", "2"],
            ["教育", "卫生"],
            ["新建学校3所,新增学位2000个", "建成社区卫生服务中心2家"],
            ["李明", "王芳"],
            ["区教育局", "区卫健委、区财政局"],
            ["12月底前", "9月底前"],
        ],
    )
    assert kinds == ["seq", "other", "text", "leaders", "unlabelled", "due"]
    assert decide_kinds(["序号", "民生实事", "责任单位"], [["1"], ["新建公园2座"], ["区住建局"]])[1] == "text"


# ---- text tables in every shape ------------------------------------------------------------

FLATTENED = """2024年民生实事分解表

序号

民生实事

责任单位

完成时限

1

新建城区公园2座。

区住建局

区园林中心

12月底前

2

开工建设区第三中学。

区教育局

6月底前动工

开工建设区第四小学。

12月底前

3

新增养老床位300张。

区民政局

11月底前
"""


def test_flattened_table_with_a_topic_header_units_one_per_line_and_a_sub_row() -> None:
    result = _import(FLATTENED)
    assert len(result.tasks) == 4
    park = _by_text(result, "新建城区公园")
    assert park["lead"] == ["区住建局", "区园林中心"]
    fourth = _by_text(result, "第四小学")  # a second row under item 2's merged number and units
    assert fourth["lead"] == ["区教育局"] and str(fourth["id"]) == "2b"


PARENS = """序号 | 目标与任务 | 牵头责任单位 | 责任单位 |
一、主要预期目标 | |||
(1) | 地区生产总值增长6%。 | 区发展改革委 | 各街道、 园区管委会 |
(2) | 一般公共预算收入增长3%。 | 区财政局 区税务局 | 各街道 |
二、重点工作 | |||
1 | 扩大有效投资。 | ||
(3) | 开工建设重大项目20个。 | 区发展改革委 | 区住建局 |
"""


def test_rows_opened_by_parenthesised_numbers_with_section_rows_and_a_numbered_subheading() -> None:
    result = _import(PARENS)
    assert [t["text"] for t in result.tasks] == [
        "地区生产总值增长6%。",
        "一般公共预算收入增长3%。",
        "开工建设重大项目20个。",
    ]
    assert _by_text(result, "一般公共预算")["lead"] == ["区财政局", "区税务局"]
    assert "各街道" in _by_text(result, "地区生产总值")["support"]
    assert [a["name"] for a in result.plan["areas"]][-1] == "扩大有效投资"


TWO_TABLES = """一、省定任务

序号

重点工作任务(本区3项)

责任单位

(一)张三副区长牵头

1

推进粮食生产功能区建设。

区农业农村局、区发改局

省牵头单位:省农业农村厅

二、区定任务

序号

重点工作任务

责任单位

(一)李四副区长牵头

1*

建设科创走廊。

科创园管委会,区科技局

2

新建口袋公园5个。

区园林中心
"""


def test_several_flattened_tables_restarting_numbers_and_a_starred_row() -> None:
    result = _import(TWO_TABLES)
    assert len(result.tasks) == 3
    grain = _by_text(result, "粮食生产")
    assert "区农业农村局" in grain["lead"] and "省农业农村厅" not in grain.get("lead", []) + grain.get("support", [])
    assert _by_text(result, "科创走廊")["lead"][0] == "科创园管委会"


WRAPPED_HEADER = """序号

重点工作

区政府

分管领导

牵头单位

配合单位

一、强化创新。

(一)

建设创新平台。

1

建设区级实验室2家。

刘 洋

区科技局

区财政局



2

新增高新技术企业50家。

刘 洋

区科技局

区市场监管局
"""


def test_a_header_word_wrapped_over_two_lines_and_a_heading_marker_alone() -> None:
    result = _import(WRAPPED_HEADER)
    lab = _by_text(result, "实验室")
    assert lab["lead"] == ["区科技局"] and lab["support"] == ["区财政局"]
    assert lab.get("leaders") == ["刘 洋"]
    assert lab["section"] == "建设创新平台" or lab["area"] == "建设创新平台"


# ---- Word and Excel ------------------------------------------------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbering(document) -> None:
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(f"""<w:abstractNum {W_NS} w:abstractNumId="70">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
    </w:abstractNum>""")
    )
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="70"><w:abstractNumId w:val="70"/></w:num>'))


def _auto_number(paragraph) -> None:
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="70"/></w:numPr>')
    )


def test_docx_auto_numbered_sequence_column_merged_units_and_a_section_row(tmp_path: Path) -> None:
    """序号 drawn by Word's numbering (the cells' text is empty), a 类别 and a 牵头单位 cell
    merged down, a section row merged across the table."""
    document = docx.Document()
    _numbering(document)
    document.add_paragraph("2024年区政府民生实事项目责任分解表")
    rows = [
        ("序号", "类别", "实事项目", "牵头单位", "完成时限"),
        ("", "教育", "新增学位2000个", "区教育局", "9月底前"),
        ("", "教育", "改造学校食堂10所", "区教育局", "12月底前"),
        ("二、卫生健康", "", "", "", ""),
        ("", "卫生", "建成社区卫生服务中心2家", "区卫健委", "12月底前"),
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
        if i and i != 3:
            _auto_number(table.cell(i, 0).paragraphs[0])
    table.cell(1, 1).merge(table.cell(2, 1)).text = "教育"
    table.cell(1, 3).merge(table.cell(2, 3)).text = "区教育局"
    table.cell(3, 0).merge(table.cell(3, 4)).text = "二、卫生健康"
    path = tmp_path / "ledger.docx"
    document.save(str(path))
    result = import_document(path, "2024-x", year=2024)
    assert [str(t["id"]) for t in result.tasks] == ["1", "2", "3"]
    assert [t["lead"] for t in result.tasks] == [["区教育局"], ["区教育局"], ["区卫健委"]]
    assert result.tasks[2]["area"] == "卫生健康"


def test_xlsx_merged_title_two_row_header_section_rows_and_merged_lead(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年县政府重点工作任务分解表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "工作任务", "责任分工", None, "完成时限"])
    sheet.append([None, None, "牵头单位", "责任单位", None])
    for column in "ABE":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("C2:D2")
    sheet.append(["一、稳增长"])
    sheet.merge_cells("A4:E4")
    sheet.append([1, "规上工业增加值增长7%", "县经信局", "各乡镇", "12月底前"])
    sheet.append([2, "新增规上企业30家", None, "各乡镇", "12月底前"])
    sheet.merge_cells("C5:C6")
    sheet.append(["二、惠民生"])
    sheet.merge_cells("A7:E7")
    sheet.append([3, "新增城镇就业5000人", "县人社局", "各乡镇", "12月底前"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    result = import_document(path, "2024-x")
    assert [(t["text"], t["lead"], t.get("support")) for t in result.tasks] == [
        ("规上工业增加值增长7%", ["县经信局"], ["各乡镇"]),
        ("新增规上企业30家", ["县经信局"], ["各乡镇"]),
        ("新增城镇就业5000人", ["县人社局"], ["各乡镇"]),
    ]
    assert [t["area"] for t in result.tasks] == ["稳增长", "稳增长", "惠民生"]
    assert result.plan["year"] == 2024
