"""The general layout's rules one by one, on phrases of the genre (not copied from one file)."""

from __future__ import annotations

import pytest

from duban.errors import DubanError
from duban.importing.align import align
from duban.importing.clauses import group_statement, read_clauses
from duban.importing.dates import deadline, milestones
from duban.importing.importer import import_document
from duban.importing.markers import marker_of
from duban.importing.names import split_names
from duban.importing.source import document_from_text


def _import(text: str, plan: str = "2024-x", **kwargs):
    return import_document(None, plan, document=document_from_text(text, "doc.txt"), **kwargs)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("相关委办局和街镇", ["相关委办局", "街镇"]),
        ("区文化和广电旅游体育局", ["区文化和广电旅游体育局"]),
        ("市发展和改革委员会、统计局", ["市发展和改革委员会", "统计局"]),
        ("市发改委和市财政局", ["市发改委", "市财政局"]),
        ("各县、区人民政府(管委会)", ["各县、区人民政府(管委会)"]),
        ("各县(市、区)人民政府,市直各有关单位", ["各县(市、区)人民政府", "市直各有关单位"]),
        ("市经信局、市税务局(列第一位者为工作牵头单位,下同)", ["市经信局", "市税务局"]),
        ("农业农村部、科技部等", ["农业农村部", "科技部"]),
    ],
)
def test_unit_lists_split_where_units_end(text: str, names: list[str]) -> None:
    assert split_names(text) == names


@pytest.mark.parametrize(
    ("text", "units", "leaders"),
    [
        (
            "推进X。(牵头单位:市商务局;配合单位:市财政局、各区政府)",
            [("lead", "市商务局"), ("support", "市财政局"), ("support", "各区政府")],
            [],
        ),
        (
            "推进X。(牽頭單位:市經(jīng)貿(mào)委;配合單位:規(guī)劃局)",
            [("lead", "市經貿委"), ("support", "規劃局")],
            [],
        ),
        ("推进X。主办单位:市财政局。", [("lead", "市财政局")], []),
        (
            "推进X。 牵头领导:张三 责任单位:市水利局 项目责任人:李四 完成情况:良好",
            [("responsible", "市水利局")],
            ["张三", "李四"],
        ),
        (
            "推进X。(市教育局、市科技局牵头,各区政府按职责分工负责)",
            [("lead", "市教育局"), ("lead", "市科技局"), ("responsible", "各区政府")],
            [],
        ),
        ("推进X。〔市环保局牵头,市公安局参与〕后续", [("lead", "市环保局"), ("support", "市公安局")], []),
        ("增长8%(市发改委,各县市区政府)。", [("unlabelled", "市发改委"), ("unlabelled", "各县市区政府")], []),
        ("加快推进X。由市发改委牵头,市财政局配合。", [("lead", "市发改委"), ("support", "市财政局")], []),
        ("各地各部门要按职责分工负责。", [], []),
        ("推进X。责任单位:市发改委(牵头)、市财政局", [("lead", "市发改委"), ("responsible", "市财政局")], []),
        ("建设社区服务站(所)。", [], []),
        ("推进同步课堂(含城区学校)。", [], []),
    ],
)
def test_unit_clauses_in_every_form(text: str, units: list, leaders: list) -> None:
    found = read_clauses(text)
    assert found.units == units and found.leaders == leaders


def test_a_deadline_among_the_units_is_the_due_date() -> None:
    found = read_clauses("(牵头单位:州财政局;责任单位:州税务局,6月底完成)")
    assert found.due == ["6月底完成"] and ("responsible", "州税务局") in found.units
    assert deadline("6月底完成", 2020) == "2020-06-30" and deadline("2021年8月前", 2020) == "2021-08-31"
    assert deadline("长期推进", 2020) is None


def test_milestones_by_month_and_quarter() -> None:
    assert milestones("1.4月底前主体完工。 2.8月底前竣工交付。", 2022) == {
        "2022-04-30": "4月底前主体完工",
        "2022-08-31": "8月底前竣工交付",
    }
    assert milestones("第一季度:结对; 第二季度:研修", 2023) == {"Q1": "结对", "Q2": "研修"}


def test_group_statements() -> None:
    assert group_statement("3项目标的责任单位均为市统计局。") == (3, ["市统计局"])
    assert group_statement("該目標責任單位為市財政局。") == (1, ["市財政局"])


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("一、总体要求", "cn", 1),
        ("(二十四)健全机制", "pcn", 24),
        ("（三）推进", "pcn", 3),
        ("1.推进", "num", 1),
        ("12、推进", "num", 12),
        ("01 项目名称:x", "zero", 1),
        ("(1)加强", "pnum", 1),
        ("2)完成", "pnum", 2),
        ("①开展", "circ", 1),
        ("△加强", "bullet", 0),
    ],
)
def test_numbering_markers_at_every_level(text: str, kind: str, number: int) -> None:
    marker = marker_of(text)
    assert marker is not None and (marker.kind, marker.number) == (kind, number)


def test_decimals_are_not_markers_unless_the_count_expects_them() -> None:
    assert marker_of("1.5万人以上") is None
    assert marker_of("4.460个活动室", expect=4) is not None and marker_of("4.460个活动室") is None


def test_merged_cells_shift_a_row_and_the_fit_puts_it_back() -> None:
    kinds = ["seq", "text", "milestones", "lead", "other"]
    taken = align(kinds, ["2", "开展筛查", "4月:完成筛查", "已完成。", ""])
    assert 3 not in taken and taken[4] == [3]


def test_the_task_level_is_decided_per_document() -> None:
    text = (
        "一、总体\n(一)第一部分\n1.推进甲。(责任单位:市甲局)\n2.推进乙。(责任单位:市乙局)\n"
        "(二)第二部分\n3.推进丙。(牵头单位:市丙局;配合单位:市丁局)\n"
    )
    result = _import(text)
    assert [t["id"] for t in result.tasks] == [1, 2, 3]
    assert result.tasks[0]["area"] == "总体" and result.tasks[0]["section"] == "第一部分"
    assert result.tasks[0]["lead"] == ["市甲局"]  # only 责任单位: the convention makes it lead
    assert result.tasks[2]["lead"] == ["市丙局"] and result.tasks[2]["support"] == ["市丁局"]
    headings = _import("一、甲方面\n(一)做好甲。\n(二)做好乙。\n(三)做好丙。\n二、乙方面\n(四)做好丁。\n")
    assert len(headings.tasks) == 4 and headings.unsure == ["1", "2", "3", "4"]


def test_units_after_sub_items_belong_to_the_block() -> None:
    result = _import("一、总体\n1.完善体系\n(1)加强管理。\n(2)推进演练。\n(责任单位:市应急局、各县(市、区)人民政府)\n")
    assert len(result.tasks) == 1
    assert result.tasks[0]["lead"] == ["市应急局", "各县(市、区)人民政府"] and "推进演练" in result.tasks[0]["text"]


def test_persons_go_to_leaders_never_units() -> None:
    text = "序号 | 工作任务 | 分管领导 | 牵头单位 | 完成时限 |\n1 | 建设书房 | 王五 | 县文广局 | 2024年6月底前 |\n"
    result = _import(text)
    task = result.tasks[0]
    assert task["leaders"] == ["王五"] and task["lead"] == ["县文广局"] and task["due"] == "2024-06-30"
    assert "王五" not in [u["name"] for u in result.plan["units"]]


def test_a_missing_year_names_the_option() -> None:
    with pytest.raises(DubanError) as caught:
        _import("一、总体\n1.推进甲。(牵头单位:市甲局)\n", plan="somewhere")
    assert "--year" in str(caught.value)
    assert _import("一、总体\n1.推进甲。(牵头单位:市甲局)\n", plan="somewhere", year=2021).plan["year"] == 2021


def test_a_clear_misspelling_is_linked_as_an_alias_and_reported() -> None:
    text = (
        "\n".join(f"{n}.推进{n}。(牵头单位:县卫生健康局)" for n in range(1, 4)) + "\n4.推进4。(牵头单位:县卫生建康局)\n"
    )
    result = _import(text)
    units = {u["name"]: u for u in result.plan["units"]}
    assert "县卫生建康局" not in units and "县卫生建康局" in units["县卫生健康局"]["aliases"]
    assert result.tasks[3]["lead"] == ["县卫生建康局"]  # kept as written
    assert any("misspelling" in note for note in result.notes)
    distinct = _import("1.甲。(牵头单位:市国税局)\n2.乙。(牵头单位:市地税局)\n3.丙。(牵头单位:市国税局)\n")
    assert {u["name"] for u in distinct.plan["units"]} == {"市国税局", "市地税局"}


def test_explain_says_what_each_line_became() -> None:
    from duban.importing.explain import explain

    result = _import("分享到:微信\n一、总体\n1.推进甲。(牵头单位:市甲局)\n2.推进乙。\n")
    out = explain(result)
    assert "web page chrome" in out and "task 2024-x/1" in out and "unsure:" in out


@pytest.mark.parametrize(
    ("plan", "source"),
    [
        ("2008-baoshan", "000_521e3fe8008ddb33.txt"),
        ("2013-pingdingshan", "004_1282b74f73776eb6.txt"),
        ("2019-shangcheng", "003_26a01e5d1773f912.txt"),
    ],
)
def test_the_general_rules_read_the_bundled_documents_as_their_fitted_layouts(plan: str, source: str) -> None:
    """Documents the general rules were not written from: every task found at the same line,
    with the same lead and support units, as the layout fitted to that document."""
    from duban.importing.documents import read_document
    from duban.importing.genre import parse_genre
    from duban.importing.importer import _layouts
    from duban.importing.roles import responsible_as_lead
    from tests.support import PROJECT

    document = read_document(PROJECT / "plans" / plan / "source" / source)
    general = {t["source"]["lines"][0]: t for t in parse_genre(document, plan, int(plan[:4])).tasks}
    fitted_name = {"2008-baoshan": "outline", "2013-pingdingshan": "outline", "2019-shangcheng": "pipe-table"}[plan]
    fitted = _layouts()[fitted_name][1](document, plan)
    responsible_as_lead(fitted)
    assert len(general) == len(fitted.tasks)
    for task in fitted.tasks:
        other = general[task["source"]["lines"][0]]
        assert (other.get("lead"), set(other.get("support", []))) == (task.get("lead"), set(task.get("support", []))), (
            task["id"]
        )


def test_importer_modules_import_no_cycle() -> None:
    """The modules of duban/importing import each other without a cycle (top-level imports)."""
    import ast
    from pathlib import Path

    from tests.support import PROJECT

    folder = PROJECT / "duban" / "importing"
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[path.stem] = {
            node.module.rsplit(".", 1)[-1]
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("duban.importing.")
        }
        graph[path.stem] |= {
            alias.name
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and node.module == "duban.importing"
            for alias in node.names
        }
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join((*trail, name))
        if name in done:
            return
        for dependency in graph.get(name, ()):
            visit(dependency, (*trail, name))
        done.add(name)

    for module in graph:
        visit(module, ())
    assert Path  # the graph covered every module
    assert len(graph) >= 15


def test_word_and_excel_tables_by_the_general_rules(tmp_path) -> None:
    import docx
    import openpyxl

    word = docx.Document()
    word.add_paragraph("某县2025年重点工作任务分解表")
    table = word.add_table(rows=3, cols=5)
    rows = [
        ["序号", "重点任务", "牵头单位（部门）", "配合单位（部门）", "完成时限"],
        ["1", "新建城市书房3个", "县文广旅体局", "县财政局、各乡镇", "2025年9月底前"],
        ["2", "改造老旧小区12个", "县住建局", "县发改局、相关街道", "年底前"],
    ]
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    word.save(tmp_path / "plan.docx")
    result = import_document(tmp_path / "plan.docx", "2025-x")
    first, second = result.tasks
    assert (
        first["lead"] == ["县文广旅体局"]
        and first["support"] == ["县财政局", "各乡镇"]
        and first["due"] == "2025-09-30"
    )
    assert second["due"] == "2025-12-31" and first["area"] == "某县2025年重点工作任务分解表"

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "项目名称", "责任单位", "分管领导", "第一季度", "第二季度"])
    sheet.append([1, "新增托位200个", "县卫健局", "张明", "完成选址", "完成建设"])
    book.save(tmp_path / "plan.xlsx")
    (task,) = import_document(tmp_path / "plan.xlsx", "2025-x").tasks
    assert task["lead"] == ["县卫健局"] and task["leaders"] == ["张明"]
    assert task["milestones"] == {"Q1": "完成选址", "Q2": "完成建设"}


def test_an_unseen_notice_with_every_unit_form() -> None:
    """A notice written for this test in the genre's usual shape (full-width punctuation,
    three heading levels, labels in brackets and on their own line, prose, a deadline label)."""
    from tests.support import DATA

    result = import_document(DATA / "import_unseen_work_report.txt", "2023-a")
    tasks = {t["id"]: t for t in result.tasks}
    assert sorted(tasks) == [1, 2, 3, 4, 5]
    assert tasks[1]["section"] == "扩大有效投资" and tasks[1]["support"] == ["区财政局", "区住建局"]
    assert tasks[2]["lead"] == ["区发改局"] and tasks[2]["support"] == ["各街道"]
    assert tasks[3]["text"] == "举办消费促进活动10场。" and tasks[3]["support"] == ["区市场监管局"]
    assert tasks[4]["area"] == "保障和改善民生" and tasks[4]["lead"] == ["区人社局"]
    assert tasks[5]["due"] == "2023-11-30" and tasks[5]["source"]["lines"] == [14, 14]
    assert result.plan["issuer"] == "区人民政府办公室" and result.plan["issued"] == "2023-02-10"


def test_a_tab_separated_table() -> None:
    text = (
        "2024年重点工作任务清单\n序号\t工作任务\t牵头单位\t配合单位\t完成时限\n"
        "1\t新建公园3个\t县林业局\t县财政局、各乡镇\t2024年10月底\n2\t建成农贸市场2个\t县商务局\t县市场监管局\t年底前\n"
    )
    first, second = _import(text).tasks
    assert first["support"] == ["县财政局", "各乡镇"] and first["due"] == "2024-10-31"
    assert (
        second["lead"] == ["县商务局"] and second["due"] == "2024-12-31" and first["area"] == "2024年重点工作任务清单"
    )


@pytest.mark.parametrize(
    "statement", ["(列第一位者为工作牵头单位或汇总单位,下同)", "责任分解中,列第一位的责任单位为牵头单位或汇总单位。"]
)
def test_a_stated_first_listed_convention_makes_the_first_unit_lead(statement: str) -> None:
    result = _import(f"{statement}\n一、总体\n1.推进甲。\n责任单位:市甲局、市乙局、市丙局\n")
    assert result.tasks[0]["lead"] == ["市甲局"] and result.tasks[0]["support"] == ["市乙局", "市丙局"]


def test_deeper_items_with_their_own_units_are_sub_items_under_the_parents_lead() -> None:
    result = _import("一、总体\n1.甲项。(牵头单位:市甲局)\n(1)子一。(责任单位:市乙局)\n(2)子二。(责任单位:市丙局)\n")
    parent, first, second = result.tasks
    assert (first["id"], first["parent"], second["id"]) == ("1-1", 1, "1-2")
    assert parent["lead"] == ["市甲局"] and "lead" not in first and first["support"] == ["市乙局"]


def test_area_rows_and_rows_broken_inside_a_cell() -> None:
    piped = (
        "序号 | 工作任务 | 牵头单位 | 配合单位 |\n一、经济发展 | | | |\n1 | 推进甲项目 | 市发改委 | 市财政局 |\n"
        "2 | 推进乙项目建设,加快 |\n丙工程进度 | 市住建局 | 各区政府 |\n二、社会民生 |\n3 | 新建学校2所 | 市教育局 | |\n"
    )
    first, second, third = _import(piped).tasks
    assert first["area"] == second["area"] == "经济发展" and third["area"] == "社会民生"
    assert second["text"] == "推进乙项目建设,加快丙工程进度" and second["lead"] == ["市住建局"]
    assert second["support"] == ["各区政府"] and second["source"]["lines"] == [4, 5]
    flattened = "序号\n工作任务\n牵头单位\n一、经济发展\n1\n推进甲项目\n市发改委\n二、民生\n2\n新建学校\n市教育局\n"
    assert [(t["area"], t["lead"]) for t in _import(flattened).tasks] == [
        ("经济发展", ["市发改委"]),
        ("民生", ["市教育局"]),
    ]


def test_a_long_document_with_a_stated_convention_is_read_by_the_general_rules() -> None:
    """The fitted outline layout reads 25 items as well, but gives every unit the lead; it
    disagrees with the general rules, which apply the document's convention, so they decide."""
    items = "\n".join(f"{n}.推进第{n}项工作。\n责任单位:市甲局、市乙局" for n in range(1, 26))
    result = _import("责任分解中,列第一位的责任单位为牵头单位。\n一、总体\n" + items + "\n")
    assert result.layout == "general" and len(result.tasks) == 25
    assert all(t["lead"] == ["市甲局"] and t["support"] == ["市乙局"] for t in result.tasks)


def test_units_before_the_text() -> None:
    result = _import(
        "一、总体\n1.【市发改委、市财政局】推进甲项目建设。\n2.(牵头单位:市住建局)推进乙项目。\n"
        "3.推进丙。\n(责任单位:市丙局)\n"
    )
    assert [(t["title"], t["lead"]) for t in result.tasks] == [
        ("推进甲项目建设", ["市发改委", "市财政局"]),
        ("推进乙项目", ["市住建局"]),
        ("推进丙", ["市丙局"]),
    ]
