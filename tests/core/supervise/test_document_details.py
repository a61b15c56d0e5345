"""The documents' details (documents audit D17–D21), read from the files themselves: the
.docx title broken at a word boundary, 署名 and 成文日期 placed as GB/T 9704 places them, a
Chinese document without Japanese fonts; the HTML circular's page numbers, margins and
版记; the HTML ledger's column widths and score page; the ledger's alignment, per-area
titles, 序号, CSV header, fonts and 编制单位; Markdown that reads as text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from duban.store.repository import Repository
from duban.supervise.circular.building import build
from duban.supervise.circular.docx import to_docx
from duban.text.textwidth import cell_width
from tests.office_fixtures import clerk_repo, clerk_repo_template, pingdingshan_repo, pingdingshan_repo_template  # noqa: F401

# ---- D17: the .docx against GB/T 9704 -----------------------------------------------------------

# Titles as offices word them, each with the lines it must be set in at 二号 on A4 (40 cells).
TITLES = [
    ("关于区政府2019年重点工作目标6月份推进情况的通报", ["关于区政府2019年重点工作目标", "6月份推进情况的通报"]),
    ("关于2013年重点工作任务6月份推进情况的通报", ["关于2013年重点工作任务", "6月份推进情况的通报"]),
    ("关于平政办〔2013〕11号6月份推进情况的通报", ["关于平政办〔2013〕11号", "6月份推进情况的通报"]),
    ("关于区政府2019年重点工作目标第二季度推进情况的通报", ["关于区政府2019年重点工作目标", "第二季度推进情况的通报"]),
    (
        "关于《2013年政府工作报告》目标任务6月份推进情况的通报",
        ["关于《2013年政府工作报告》", "目标任务6月份推进情况的通报"],
    ),
    ("关于2008年政府工作目标任务6月份推进情况的通报", ["关于2008年政府工作目标任务", "6月份推进情况的通报"]),
    ("关于6月份重点工作推进情况的通报", ["关于6月份重点工作推进情况的通报"]),
]


@pytest.mark.parametrize(("title", "lines"), TITLES)
def test_a_title_is_broken_at_a_word_boundary_into_even_lines(title: str, lines: list[str]) -> None:
    """D17: the title broke inside 推进情况 (CN) and left 报 alone on its last line (PD)."""
    from duban.text.titles import title_lines

    assert title_lines(title, 40) == lines


@pytest.mark.parametrize("width", [16, 20, 24, 28, 32, 36, 40])
@pytest.mark.parametrize(
    "title",
    [t for t, _lines in TITLES]
    + [
        "关于上海市长宁区人民政府关于印发区政府2019年重点工作目标和任务分解方案的通知落实情况的通报",
        "关于进一步加强和改进全市重点项目建设、招商引资和民生实事工作推进情况的通报",
    ],
)
def test_no_line_ends_inside_a_word_or_is_a_lone_character(title: str, width: int) -> None:
    from duban.text.titles import boundaries, title_lines

    lines = title_lines(title, width)
    assert "".join(lines) == title
    assert all(cell_width(line) > 2 for line in lines)
    assert all(cell_width(line) <= width for line in lines) or len(lines) == 1
    for line in lines[1:]:
        assert not line.startswith(("的", "情况", "进情况", "，", "、", "）", "〕", "》"))
    for line in lines[:-1]:
        assert not line.endswith(("推进", "落实", "关", "《", "（", "〔")) and not re.search(r"\d$", line)
    words, _others = boundaries(title)
    assert all(p not in words for p in (title.find("推进情况") + 2,) if p > 1)


def paragraph_lines(paragraph: docx.text.paragraph.Paragraph) -> list[str]:
    return paragraph.text.split("\n")


@pytest.mark.slow
def test_the_docx_title_is_set_in_the_lines_chosen(clerk_repo: Path, pingdingshan_repo: Path) -> None:
    june = docx.Document(io.BytesIO(to_docx(build(Repository(clerk_repo), "2019-06", "2019-changning"))))
    title = next(p for p in june.paragraphs if p.text.startswith("关于"))
    assert paragraph_lines(title) == ["关于区政府2019年重点工作目标", "6月份推进情况的通报"]
    pd = docx.Document(io.BytesIO(to_docx(build(Repository(pingdingshan_repo), "2013-06", "2013-pingdingshan"))))
    title = next(p for p in pd.paragraphs if p.text.startswith("关于"))
    assert paragraph_lines(title) == ["关于2013年重点工作任务", "6月份推进情况的通报"]


@pytest.mark.slow
def test_the_signature_is_centred_over_the_date_set_four_characters_in(clerk_repo: Path) -> None:
    """D17: 署名 and 成文日期 were both flush right. GB/T 9704-2012 7.3.5.1: the date 右空四字,
    the office centred over it."""
    from duban.supervise.circular.layout import signature_indents

    june = docx.Document(io.BytesIO(to_docx(build(Repository(clerk_repo), "2019-06", "2019-changning"))))
    texts = [p.text for p in june.paragraphs]
    office = june.paragraphs[texts.index("区政府督查室")]
    date = june.paragraphs[texts.index("2019年6月30日")]
    assert (office.alignment, date.alignment) == (2, 2)  # right
    assert date.paragraph_format.right_indent.pt == 4 * 16
    # 区政府督查室 is 6 characters, 2019年6月30日 6.5 (a digit is half of one) and 1 of the word
    # processor's space where Chinese meets digits (five times a fifth): centred over it.
    assert office.paragraph_format.right_indent.pt == pytest.approx(16 * (4 + (6.5 + 1 - 6) / 2))
    assert signature_indents("市督查局", "2013年7月5日") == (5.0, 4.0)
    assert signature_indents("上海市长宁区人民政府督查办公室", "2019年6月30日")[0] == 0  # longer than the date


def test_the_document_is_chinese_with_no_japanese_font(clerk_repo: Path) -> None:
    """D17: python-docx's template made the document en-US with ja-JP theme fonts (ＭＳ 明朝,
    ＭＳ ゴシック) in the theme and the font table."""
    june = docx.Document(io.BytesIO(to_docx(build(Repository(clerk_repo), "2019-06", "2019-changning"))))
    parts = {str(p.partname): p.blob for p in june.part.package.iter_parts()}
    defaults = june.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert june.settings.element.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"
    assert june.core_properties.language == "zh-CN"
    japanese = re.compile("ＭＳ|ja-JP|Jpan|[\u3040-\u30ff]")
    for name in ("/word/theme/theme1.xml", "/word/fontTable.xml", "/word/settings.xml", "/word/styles.xml"):
        assert not japanese.search(parts[name].decode()), name
    theme = etree.fromstring(parts["/word/theme/theme1.xml"])
    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    assert [
        f.find(f"{drawing}ea").get("typeface") for f in theme.iter(f"{drawing}majorFont", f"{drawing}minorFont")
    ] == ["黑体", "宋体"]


# ---- D18: the HTML circular --------------------------------------------------------------------


@pytest.fixture
def html_circular(clerk_repo: Path) -> str:
    from duban.supervise.circular.rendering import to_html

    return to_html(build(Repository(clerk_repo), "2019-06", "2019-changning"))


def _page_rules(page: str) -> str:
    return "".join(re.findall(r"<style>(.*?)</style>", page, re.S))


def test_the_html_circular_prints_page_numbers_in_gb_margins(html_circular: str) -> None:
    """D18: no page numbers in print and a 1.2 cm @page margin. Now GB/T 9704's margins and
    "— N —" at the right of odd pages and the left of even ones (CSS margin boxes)."""
    css = _page_rules(html_circular)
    assert "@page{size:A4;margin:37mm 26mm 35mm 28mm}" in css and "margin:1.2cm" not in css
    for side in ("right", "left"):
        box = re.search(rf"@page :{side}\{{@bottom-{side}\{{([^}}]*)\}}\}}", css)
        assert box and 'content:"— " counter(page) " —"' in box[1] and "font-size:14pt" in box[1]


def test_the_html_imprint_is_ruled_with_the_printer_and_date_on_one_line(html_circular: str) -> None:
    """D18: the 版记 had no rules and put 印发 on two lines (a <br> between office and date)."""
    from html.parser import HTMLParser

    imprint = re.search(r'<div class="imprint">(.*?)</div>', html_circular, re.S)
    assert imprint and "<br>" not in imprint[1]
    spans: list[str] = []

    class Spans(HTMLParser):
        def handle_data(self, data: str) -> None:
            spans.append(data)

    Spans().feed(imprint[1])
    assert spans == ["抄送：区委办公室，区人大常委会办公室，区政协办公室。", "区政府办公室", "2019年6月30日印发"]
    css = _page_rules(html_circular)
    assert ".imprint{margin-top:2em;border-top:1pt solid #000;border-bottom:1pt solid #000" in css
    assert ".imprint p+p{border-top:.7pt solid #000}" in css and "justify-content:space-between" in css
    title = re.search(r'<h2 class="title">(.*?)</h2>', html_circular)
    assert title and title[1] == "关于区政府2019年重点工作目标<br>6月份推进情况的通报"
    assert 'class="signature office" style="padding-right:4.25em">区政府督查室' in html_circular
    assert 'class="signature date" style="padding-right:4em">2019年6月30日' in html_circular


# ---- D19, D20: the ledger ----------------------------------------------------------------------


def _export(repo: Path, path: Path, *args: str) -> Path:
    from click.testing import CliRunner

    from duban.cli.main import cli

    result = CliRunner().invoke(
        cli,
        ["--repo", str(repo), "export", "--plan", "2019-changning", "--as-of", "2019-06-30", *args, "-o", str(path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return path


def test_the_html_ledger_gives_every_column_room_and_its_scores_a_page(
    clerk_repo: Path,
    tmp_path: Path,
) -> None:
    """D19: auto layout squeezed 领域, 状态, 存在问题 to one character a line, and the score table
    sat in a corner of an A3 landscape page."""
    from duban.supervise.export.columns import LEAST, LEDGER_PAGE_WIDTH, LEDGER_PRINT, PADDING

    page = _export(clerk_repo, tmp_path / "台账.html").read_text(encoding="utf-8")
    ledger = page[: page.index('<section class="scores">')]
    shares = [float(w) for w in re.findall(r'<col style="width:([\d.]+)%">', ledger)]
    assert len(shares) == 21 and abs(sum(shares) - 100) < 0.1
    room = LEDGER_PAGE_WIDTH / LEDGER_PRINT
    # Every column holds four characters a line (8 cells, half an em each) at the least, or
    # its header where that is narrower (序号, 灯).
    headers = re.findall(r"<th>([^<]*)</th>", ledger)
    assert all(
        share / 100 * room >= min(LEAST, cell_width(header)) / 2 + PADDING - 0.01
        for share, header in zip(shares, headers, strict=True)
    )
    assert 'table class="fixed"' in ledger and "table.fixed{table-layout:fixed;width:100%}" in page
    assert "@page scores{size:A4 portrait" in page and ".scores{page:scores;break-before:page}" in page
    assert "<h2>考核得分</h2>" in page[page.index('<section class="scores">') :]


def test_ledger_columns_are_aligned_by_what_they_hold_not_by_length(
    clerk_repo: Path,
    tmp_path: Path,
) -> None:
    """D20: a cell of up to four characters was centred, a longer one set left: 科委 centred
    over 市场监管局 set left. One rule a column: numbers and vocabulary words centred, text left."""
    import openpyxl

    book = openpyxl.load_workbook(_export(clerk_repo, tmp_path / "台账.xlsx"))
    sheet = book["台账"]
    headers = [c.value for c in sheet[3]]
    for column, header in enumerate(headers, start=1):
        alignments = {sheet.cell(row=r, column=column).alignment.horizontal for r in range(4, sheet.max_row + 1)}
        assert len(alignments) == 1, (header, alignments)
        expected = "center" if header in {"序号", "完成进度(%)", "灯", "状态"} else "left"
        assert alignments == {expected}, header
    scores = book["考核得分"]
    assert {scores.cell(row=r, column=2).alignment.horizontal for r in range(4, scores.max_row + 1)} == {"left"}
    assert {scores.cell(row=r, column=1).alignment.horizontal for r in range(4, scores.max_row + 1)} == {"center"}


def test_the_ledger_says_who_compiled_it_in_fonts_windows_has(clerk_repo: Path, tmp_path: Path) -> None:
    """D20: 填报单位 on the office's own ledger, and 仿宋_GB2312/方正小标宋简体, which stock Windows lacks."""
    import openpyxl

    sheet = openpyxl.load_workbook(_export(clerk_repo, tmp_path / "台账.xlsx"))["台账"]
    assert sheet["A2"].value.startswith("编制单位：区政府督查室")
    cells = [sheet["A1"], sheet["A2"], *(sheet.cell(row=r, column=c) for r in range(3, 10) for c in range(1, 22))]
    assert {c.font.name for c in cells} == {"黑体", "仿宋"}
    assert {c.font.charset for c in cells} == {134}  # GB2312: where the font is missing, a Chinese one


def test_the_id_column_holds_one_type(clerk_repo: Path, pingdingshan_repo: Path, tmp_path: Path) -> None:
    """D20: 序号 mixed numbers (1…59) and text (14a, 14b): a column that sorts and filters in
    two runs. Changning's ids are text throughout; Pingdingshan's, all whole numbers, numbers."""
    import openpyxl

    sheet = openpyxl.load_workbook(_export(clerk_repo, tmp_path / "cn.xlsx"))["台账"]
    ids = [sheet.cell(row=r, column=1) for r in range(4, sheet.max_row + 1)]
    assert {c.data_type for c in ids} == {"s"} and [c.value for c in ids[:3]] == ["1", "2", "3"]
    assert "14a" in {c.value for c in ids}
    from click.testing import CliRunner

    from duban.cli.main import cli

    path = tmp_path / "pd.xlsx"
    assert (
        CliRunner()
        .invoke(
            cli,
            [
                "--repo",
                str(pingdingshan_repo),
                "export",
                "--plan",
                "2013-pingdingshan",
                "--as-of",
                "2013-06-30",
                "-o",
                str(path),
            ],
        )
        .exit_code
        == 0
    )
    sheet = openpyxl.load_workbook(path)["台账"]
    assert {sheet.cell(row=r, column=1).data_type for r in range(4, sheet.max_row + 1)} == {"n"}


def test_an_area_sheet_is_titled_with_its_area(clerk_repo: Path, tmp_path: Path) -> None:
    """D20: the per-area sheets kept the whole plan's title."""
    import openpyxl

    book = openpyxl.load_workbook(_export(clerk_repo, tmp_path / "areas.xlsx", "--sheets", "area"))
    assert book["经济发展"]["A1"].value == "区政府2019年重点工作目标推进情况台账（经济发展）"
    assert book["政府实事"]["A1"].value == "区政府2019年重点工作目标推进情况台账（政府实事）"


def test_a_csv_begins_with_its_header_unless_title_rows_are_asked_for(
    clerk_repo: Path,
    tmp_path: Path,
) -> None:
    """D20: two lines (title, 填报单位) came before the CSV's header, which every program reads
    as the first line. They are the printed ledger's: --title-rows writes them."""
    import csv

    plain = _export(clerk_repo, tmp_path / "l.csv").read_text(encoding="utf-8-sig")
    assert next(csv.reader(plain.splitlines()))[:3] == ["序号", "领域", "重要项目"]
    titled = _export(clerk_repo, tmp_path / "t.csv", "--title-rows").read_text(encoding="utf-8-sig").splitlines()
    assert titled[0] == "区政府2019年重点工作目标推进情况台账" and titled[1].startswith("编制单位：")
    assert titled[2:] == plain.splitlines()


# ---- D21: Markdown ------------------------------------------------------------------------------


def test_markdown_reads_as_text(clerk_repo: Path, tmp_path: Path) -> None:
    """D21: the .md circular showed <br> in the 附件 line and \\( \\) in names when read as text."""
    from duban.supervise.circular.document import Block
    from duban.supervise.circular.rendering import to_markdown
    from duban.supervise.export.text import md_escape

    circular = build(Repository(clerk_repo), "2019-06", "2019-changning")
    text = to_markdown(circular)
    assert "\\(" not in text and "\\)" not in text and "<br>" not in text
    assert "加快“智慧公安”建设(“雪亮工程”和社会面智能安防建设)" in text
    # Three attachments: each further name on a line of its own under the first.
    circular.blocks = [Block("attachments", "附件：1．甲表", "2．乙表\n3．丙表")]
    assert to_markdown(circular) == "附件：1．甲表  \n　　　2．乙表  \n　　　3．丙表\n"
    # A note of several lines: one line in a table cell, Markdown's own break in a paragraph.
    assert md_escape("第一段\n第二段", cell=True) == "第一段 第二段" and md_escape("甲\n乙") == "甲  \n乙"
    ledger = _export(clerk_repo, tmp_path / "l.md").read_text(encoding="utf-8")
    assert "\\(" not in ledger and "<br>" not in ledger and "各街(镇)" in ledger
