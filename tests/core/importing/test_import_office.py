"""Importing .xlsx and .docx: the tests build the files from the seed data and the bundled plans."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from duban.errors import DubanError
from duban.importing.importer import import_document
from duban.store import yamlio
from tests.support import PROJECT

PLANS = PROJECT / "plans"


def seed(plan_id: str) -> Path:
    return next((PLANS / plan_id / "source").iterdir())


def without_source(tasks: list[dict]) -> list[dict]:
    return [{k: v for k, v in t.items() if k != "source"} for t in tasks]


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("|")]
    return cells[:-1] if cells and cells[-1] == "" else cells


def test_xlsx_with_the_shangcheng_tables(tmp_path: Path) -> None:
    """One seed line per row, table lines split into cells: the same 163 tasks, same line numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in seed("2019-shangcheng").read_text(encoding="utf-8-sig").split("\n")[:176]:
        sheet.append(_cells(line) if line.count("|") >= 2 else [line.strip()])
    path = tmp_path / "shangcheng.xlsx"
    book.save(path)
    from_text = import_document(seed("2019-shangcheng"), "2019-shangcheng")
    from_xlsx = import_document(path, "2019-shangcheng")
    assert from_xlsx.layout == "pipe-table" and from_xlsx.document.encoding == "xlsx"
    assert without_source(from_xlsx.tasks) == without_source(from_text.tasks)
    assert [t["source"]["lines"] for t in from_xlsx.tasks] == [t["source"]["lines"] for t in from_text.tasks]
    assert from_xlsx.plan["target_types"] == {"A": "责任目标", "B": "激励目标", "C": "争先创优目标"}


def test_xlsx_with_merged_cells_and_quarters(tmp_path: Path) -> None:
    """A Changning-style sheet: area and category merged down, item 14's number merged over two rows."""
    tasks = [
        yamlio.load_fast(p.read_text(encoding="utf-8"), p.name) for p in (PLANS / "2019-changning/tasks").glob("*.yaml")
    ]
    tasks.sort(key=lambda t: (int(str(t["id"]).rstrip("ab")), str(t["id"])))
    areas = [
        a["name"]
        for a in yamlio.load_fast((PLANS / "2019-changning/plan.yaml").read_text(encoding="utf-8"), "p")["areas"]
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["上海市长宁区人民政府2019年重点工作目标"])
    sheet.append(
        [
            "领域",
            "序号",
            "重要项目",
            "目标任务和工作要求",
            "第一季度",
            "第二季度",
            "第三季度",
            "第四季度",
            "主责部门",
            "配合部门",
        ]
    )
    previous_area = previous_category = previous_seq = None
    for task in tasks:
        seq = str(task["id"]).rstrip("ab")
        area_cell = (
            f"{'一二三四五六七'[areas.index(task['area'])]}、{task['area']}" if task["area"] != previous_area else None
        )
        category_cell = task.get("category") if task.get("category") != previous_category else None
        sheet.append(
            [
                area_cell,
                None if seq == previous_seq else int(seq),
                category_cell,
                task["text"],
                *[task.get("milestones", {}).get(q, "——") for q in ("Q1", "Q2", "Q3", "Q4")],
                "、".join(task.get("lead", [])),
                "、".join(task.get("support", [])),
            ]
        )
        previous_area, previous_category, previous_seq = task["area"], task.get("category"), seq
    path = tmp_path / "changning.xlsx"
    book.save(path)
    result = import_document(path, "2019-changning")
    assert result.layout == "pipe-table"
    imported = {str(t["id"]): t for t in result.tasks}
    assert sorted(imported) == sorted(str(t["id"]) for t in tasks)
    for task in tasks:
        got = imported[str(task["id"])]
        for key in ("text", "area", "category", "lead", "support", "milestones"):
            assert got.get(key) == task.get(key), (task["id"], key)


def test_docx_paragraphs_outline(tmp_path: Path) -> None:
    document = docx.Document()
    for line in seed("2013-pingdingshan").read_text(encoding="utf-8-sig").split("\n"):
        document.add_paragraph(line)
    path = tmp_path / "pingdingshan.docx"
    document.save(str(path))
    from_text = import_document(seed("2013-pingdingshan"), "2013-pingdingshan")
    from_docx = import_document(path, "2013-pingdingshan")
    assert from_docx.layout == "outline" and len(from_docx.tasks) == 96
    assert without_source(from_docx.tasks) == without_source(from_text.tasks)
    assert from_docx.plan["reporting"] == from_text.plan["reporting"]


def test_docx_table(tmp_path: Path) -> None:
    lines = seed("2019-shangcheng").read_text(encoding="utf-8-sig").split("\n")[:176]
    document = docx.Document()
    table = None
    for line in lines:
        if line.count("|") >= 2:
            cells = _cells(line)
            if table is None:
                table = document.add_table(rows=0, cols=6)
            row = table.add_row().cells
            for index, cell in enumerate(cells[:6]):
                row[index].text = cell
        else:
            table = None
            document.add_paragraph(line.strip())
    path = tmp_path / "shangcheng.docx"
    document.save(str(path))
    from_text = import_document(seed("2019-shangcheng"), "2019-shangcheng")
    from_docx = import_document(path, "2019-shangcheng")
    assert without_source(from_docx.tasks) == without_source(from_text.tasks)


def test_broken_office_files_get_one_line(tmp_path: Path) -> None:
    for name in ("bad.xlsx", "bad.docx"):
        path = tmp_path / name
        path.write_bytes(b"PK\x03\x04 this is not a real zip")
        with pytest.raises(DubanError) as caught:
            import_document(path, "2020-x")
        assert str(caught.value).startswith(f"{path}: cannot read the")


LEDGER = [
    ("序号", "工作任务", "牵头单位", "责任单位", "完成时限"),
    ("1", "推进老旧小区改造,完成30个小区", "区住建局", "各街道", "2024年12月"),
    ("2", "新增学位2000个", "区教育局", "区财政局", "2024年9月"),
    ("2", "新建幼儿园3所", "区教育局", "区财政局", "2024年9月"),
    ("3", "建成社区食堂10家", "区民政局", "各街道", "2024年12月"),
    ("4", "改造农贸市场5个", "区商务局", "各街道", "2024年10月"),
]
# (first row, last row, column) of LEDGER merged vertically, 0-based: item 2's number, lead,
# support and date over its two targets, and one 责任单位 cell over items 3 and 4
MERGED = [(2, 3, 0), (2, 3, 2), (2, 3, 3), (2, 3, 4), (4, 5, 3)]


def _merged_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年区政府民生实事任务分解表"])
    sheet.merge_cells("A1:E1")
    for row in LEDGER:
        sheet.append(list(row))
    for first, last, column in MERGED:  # Excel keeps the value in the top cell only
        for row in range(first + 1, last + 1):
            sheet.cell(row + 2, column + 1).value = None
        sheet.merge_cells(start_row=first + 2, start_column=column + 1, end_row=last + 2, end_column=column + 1)
    book.save(path)
    return path


def _merged_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("2024年区政府民生实事任务分解表")
    table = document.add_table(rows=len(LEDGER), cols=5)
    for i, row in enumerate(LEDGER):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    for first, last, column in MERGED:
        table.cell(first, column).merge(table.cell(last, column)).text = LEDGER[first][column]
    document.save(str(path))
    return path


@pytest.mark.parametrize("make", [_merged_xlsx, _merged_docx], ids=["xlsx", "docx"])
def test_vertically_merged_cells_belong_to_every_row_they_cover(tmp_path: Path, make) -> None:
    """A 牵头单位 merged over several rows is the lead of each (Excel keeps it in the top cell
    only: the rows below came out with no unit); a 序号 merged over two targets gives 2a, 2b,
    and the items after keep the document's numbers."""
    result = import_document(make(tmp_path / f"ledger.{make.__name__[-4:]}"), "2024-test", year=2024)
    tasks = {str(t["id"]): t for t in result.tasks}
    assert list(tasks) == ["1", "2a", "2b", "3", "4"]
    assert [tasks[i]["lead"] for i in ("2a", "2b")] == [["区教育局"], ["区教育局"]]
    assert [tasks[i].get("support") for i in ("2b", "3", "4")] == [["区财政局"], ["各街道"], ["各街道"]]
    assert tasks["4"]["title"].startswith("改造农贸市场") and tasks["4"]["lead"] == ["区商务局"]


def _html_ledger() -> str:
    """LEDGER as an HTML table with the same merges as rowspans (LibreOffice writes .doc from it)."""
    covered = {(row, column) for first, last, column in MERGED for row in range(first + 1, last + 1)}
    spans = {(first, column): last - first + 1 for first, last, column in MERGED}
    rows = []
    for i, row in enumerate(LEDGER):
        cells = "".join(
            f'<td rowspan="{spans.get((i, j), 1)}">{text}</td>' for j, text in enumerate(row) if (i, j) not in covered
        )
        rows.append(f"<tr>{cells}</tr>")
    return (
        '<html><head><meta charset="utf-8"></head><body><p>2024年区政府民生实事任务分解表</p>'
        f'<table border="1">{"".join(rows)}</table></body></html>'
    )


def _legacy(tmp_path: Path, suffix: str) -> Path:
    from duban.importing.legacy import soffice

    program = soffice()
    if program is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    if suffix == ".doc":
        made = tmp_path / "ledger.html"
        made.write_text(_html_ledger(), encoding="utf-8")
        target = "doc:MS Word 97"
    else:
        made = _merged_xlsx(tmp_path / "ledger.xlsx")
        target = "xls:MS Excel 97"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "old"),
            str(made),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return tmp_path / "old" / f"ledger{suffix}"


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".doc", ".xls"])
def test_word_97_and_excel_97_files_are_read_through_libreoffice(tmp_path: Path, suffix: str) -> None:
    """Many offices still send .doc and .xls: they were refused as binary files."""
    path = _legacy(tmp_path, suffix)
    result = import_document(path, "2024-test", year=2024)
    tasks = {str(t["id"]): t for t in result.tasks}
    assert list(tasks) == ["1", "2a", "2b", "3", "4"]
    assert tasks["2b"]["lead"] == ["区教育局"] and tasks["4"].get("support") == ["各街道"]
    assert result.document.name == path.name and result.document.raw == path.read_bytes()


def test_an_old_format_without_libreoffice_gets_one_line(tmp_path: Path, monkeypatch) -> None:
    from duban.importing import legacy

    monkeypatch.setattr(legacy, "soffice", lambda: None)
    path = tmp_path / "plan.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(DubanError) as raised:
        import_document(path, "2024-test", year=2024)
    assert "LibreOffice" in str(raised.value) and ".docx" in (raised.value.hint or "")


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _word_numbered(path: Path, items: list[tuple[int | None, str]], restart_at: int | None = None) -> Path:
    """A .docx whose items are numbered by Word's list buttons (一、 (一) 1.): the numbers
    are in numbering.xml, not in the paragraphs' text. restart_at: the paragraph index from
    which a second list instance restarts the count (w:startOverride)."""
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(f"""<w:abstractNum {W_NS} w:abstractNumId="90">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
      <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
    </w:abstractNum>""")
    )
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {W_NS} w:numId="91"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    for index, (level, text) in enumerate(items):
        paragraph = document.add_paragraph(text)
        if level is not None:
            num_id = 91 if restart_at is not None and index >= restart_at else 90
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
    document.save(str(path))
    return path


NUMBERED = [
    (None, "2024年区政府工作报告重点任务分解"),
    (0, "经济发展"),
    (1, "稳增长"),
    (2, "区级一般公共预算收入增长5%。(牵头单位:区财政局;配合单位:区税务局)"),
    (2, "新增市场主体1万户。(牵头单位:区市场监管局)"),
    (1, "促改革"),
    (2, "完成国企改革三年行动。(牵头单位:区国资委)"),
    (0, "民生保障"),
    (1, "教育"),
    (2, "新增学位2000个。(牵头单位:区教育局)"),
]


def test_word_automatic_numbering_is_read_as_if_typed(tmp_path: Path) -> None:
    """Word's list numbering is not in a paragraph's text: an office that numbered its
    tasks with the list buttons got one long unnumbered text."""
    from duban.importing.office import read_docx

    path = _word_numbered(tmp_path / "numbered.docx", NUMBERED)
    lines = [line.text for line in read_docx(path).lines]
    assert lines[1:5] == [
        "一、经济发展",
        "（一）稳增长",
        "1. 区级一般公共预算收入增长5%。(牵头单位:区财政局;配合单位:区税务局)",
        "2. 新增市场主体1万户。(牵头单位:区市场监管局)",
    ]
    assert lines[5:8] == ["（二）促改革", "1. 完成国企改革三年行动。(牵头单位:区国资委)", "二、民生保障"]
    result = import_document(path, "2024-test", year=2024)
    assert [(t["area"], t["section"], t["lead"]) for t in result.tasks] == [
        ("经济发展", "稳增长", ["区财政局"]),
        ("经济发展", "稳增长", ["区市场监管局"]),
        ("经济发展", "促改革", ["区国资委"]),
        ("民生保障", "教育", ["区教育局"]),
    ]
    restarted = [line.text for line in read_docx(_word_numbered(tmp_path / "r.docx", NUMBERED, restart_at=7)).lines]
    assert restarted[7] == "一、民生保障"  # a restarted list instance counts from its start again


def test_chinese_counting_as_word_writes_it() -> None:
    from duban.importing.word_numbering import chinese_count, format_number

    assert [chinese_count(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110, 120)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十一",
        "九十九",
        "一百",
        "一百零五",
        "一百一十",
        "一百二十",
    ]
    assert [
        format_number(3, kind)
        for kind in ("decimalEnclosedCircle", "ideographTraditional", "upperLetter", "lowerRoman", "decimalFullWidth")
    ] == ["③", "丙", "C", "iii", "３"]
