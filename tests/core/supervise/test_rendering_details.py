"""The documents' details as they print (documents audit D17–D19): the .docx by LibreOffice,
the HTML by Chromium, read back from the PDF with pdftotext -bbox: where the title breaks,
where the signature and the date stand, the HTML circular's page numbers, margins and 版记,
and the HTML ledger's columns and pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.supervise.support import Page, Word, chromium, pages, soffice, write
from tests.office_fixtures import clerk_repo, clerk_repo_template  # noqa: F401

pytestmark = pytest.mark.slow
MM = 72 / 25.4  # points


def lines_of(page: Page) -> list[tuple[float, list[Word]]]:
    """The page's words grouped into lines by their top (within 3 pt), top to bottom."""
    found: list[tuple[float, list[Word]]] = []
    for word in sorted(page.words, key=lambda w: (w.y0, w.x0)):
        if found and abs(found[-1][0] - word.y0) < 3:
            found[-1][1].append(word)
        else:
            found.append((word.y0, [word]))
    return found


def line_text(words: list[Word]) -> str:
    return "".join(w.text for w in words)


def test_the_docx_title_and_signature_as_printed(
    tools: None,
    clerk_repo: Path,
    tmp_path: Path,
) -> None:
    """D17: the title printed "…6月份推进" / "情况的通报"; 署名 and 日期 both flush right."""
    printed = pages(
        soffice(write(clerk_repo, tmp_path / "通报.docx", "circular", "--month", "2019-06", "--format", "docx"))
    )
    texts = [line_text(words) for _y, words in lines_of(printed[0])]
    start = next(i for i, t in enumerate(texts) if t.startswith("关于"))
    assert texts[start : start + 2] == ["关于区政府2019年重点工作目标", "6月份推进情况的通报"]
    page = next(p for p in printed if "附件：" in p.text)
    lines = {line_text(words): words for _y, words in lines_of(page)}
    office, date = lines["区政府督查室"], lines["2019年6月30日"]
    right_edge = page.width - 26 * MM
    # The date ends four characters (16 pt each) in from the right margin; the office is centred over it.
    assert abs(max(w.x1 for w in date) - (right_edge - 4 * 16)) < 6
    centre = (min(w.x0 for w in date) + max(w.x1 for w in date)) / 2
    assert abs((min(w.x0 for w in office) + max(w.x1 for w in office)) / 2 - centre) < 6


def test_the_html_circular_prints_page_numbers_margins_and_imprint(
    tools: None,
    clerk_repo: Path,
    tmp_path: Path,
) -> None:
    """D18: no page numbers in print, 1.2 cm margins, 印发 on two lines under an unruled 版记."""
    printed = pages(
        chromium(write(clerk_repo, tmp_path / "通报.html", "circular", "--month", "2019-06", "--format", "html"))
    )
    assert len(printed) >= 3
    for number, page in enumerate(printed, start=1):
        marks = [w for w in page.words if w.y0 > page.height - 35 * MM]
        assert line_text(marks).replace(" ", "") == f"—{number}—", number
        if number % 2:  # odd pages at the right, one character (14 pt) in from the text's edge
            assert abs(max(w.x1 for w in marks) - (page.width - 26 * MM - 14)) < 4
        else:
            assert abs(min(w.x0 for w in marks) - (28 * MM + 14)) < 4
        body = [w for w in page.words if w not in marks]
        assert min(w.x0 for w in body) >= 28 * MM - 1 and min(w.y0 for w in body) >= 37 * MM - 12
    texts = [line_text(words) for _y, words in lines_of(printed[-1])]
    assert "区政府办公室2019年6月30日印发" in texts  # printer and date on one line
    signed = next(p for p in printed if "附件：" in p.text)
    lines = {line_text(words): words for _y, words in lines_of(signed)}
    office, date = lines["区政府督查室"], lines["2019年6月30日"]
    assert abs(max(w.x1 for w in date) - (signed.width - 26 * MM - 4 * 16)) < 6  # 右空四字
    centre = (min(w.x0 for w in date) + max(w.x1 for w in date)) / 2
    assert abs((min(w.x0 for w in office) + max(w.x1 for w in office)) / 2 - centre) < 6
    first = [line_text(words) for _y, words in lines_of(printed[0])]
    start = next(i for i, t in enumerate(first) if t.startswith("关于"))
    assert first[start : start + 2] == ["关于区政府2019年重点工作目标", "6月份推进情况的通报"]


def test_the_html_ledger_prints_whole_headers_on_fewer_pages_and_scores_on_their_own(
    tools: None, clerk_repo: Path, tmp_path: Path
) -> None:
    """D19: 领域, 状态, 存在问题 squeezed to one character a line, 18 A3 pages (16 at this
    fixture), the score table in a corner of an A3 landscape page."""
    printed = pages(
        chromium(
            write(
                clerk_repo,
                tmp_path / "台账.html",
                "export",
                "--plan",
                "2019-changning",
                "--format",
                "html",
                "--as-of",
                "2019-06-30",
            )
        )
    )
    ledger, scores = printed[:-1], printed[-1]
    assert all(p.width > p.height for p in ledger) and len(ledger) <= 12
    assert scores.height > scores.width and scores.text.startswith("考核得分名次单位")
    words = {w.text for w in ledger[0].words}
    for header in (
        "序号",
        "领域",
        "重要项目",
        "任务名称",
        "指标要求",
        "主责部门",
        "配合部门",
        "状态",
        "存在问题",
        "下步计划",
        "6月进展",
    ):
        assert header in words, header  # printed as one word: on one line of its column
    title = next(w for w in scores.words if w.text == "考核得分")
    assert abs((title.x0 + title.x1) / 2 - scores.width / 2) < 10  # centred on its page
