"""The documents as they print: the .docx circular and the .xlsx ledger converted to PDF by
LibreOffice, the HTML ones printed by Chromium; the page count, the header row on every page
of the ledger, and no column cut off (every header's characters in the table's header band
on the page, and no word beyond the paper's edge).

The tools are installed by the setup where they are missing and the tests run as root with
apt-get (as on CI); elsewhere the tests are skipped, with the command that would install them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.core.supervise.support import Page, chromium, pages, soffice, write
from tests.office_fixtures import clerk_repo, clerk_repo_template  # noqa: F401

pytestmark = pytest.mark.slow
LEDGER_HEADERS = [
    "序号",
    "领域",
    "重要项目",
    "任务名称",
    "指标要求",
    "第一季度",
    "第二季度",
    "第三季度",
    "第四季度",
    "主责部门",
    "配合部门",
    "完成进度(%)",
    "灯",
    "状态",
    "2月进展",
    "3月进展",
    "4月进展",
    "5月进展",
    "6月进展",
    "存在问题",
    "下步计划",
]


def header_band(page: Page, first_header: str, first_value: str) -> Counter[str]:
    """The characters printed in a table's header row: from the top of its first header to the
    first data row, whose first cell holds `first_value`."""
    top = min(w.y0 for w in page.words if w.text.startswith(first_header[0]))
    left = min(w.x0 for w in page.words if w.text.startswith(first_header[0]) and abs(w.y0 - top) < 2)
    bottom = min(w.y0 for w in page.words if w.text == first_value and w.y0 > top + 1 and abs(w.x0 - left) < 30)
    # Wrapped headers are centred, so their first line starts above the first header's.
    return Counter("".join(w.text for w in page.words if top - 0.6 * (bottom - top) <= w.y0 < bottom - 0.5))


def assert_no_column_cut(page: Page, headers: list[str], first_value: str) -> None:
    band = header_band(page, headers[0], first_value)
    missing = Counter("".join(headers).replace(" ", "")) - band
    assert not missing, f"header characters not on the page: {''.join(missing.elements())}"
    assert all(0 <= w.x0 and w.x1 <= page.width + 0.5 for w in page.words), "a word runs off the page"


def test_docx_circular_prints(tools: None, clerk_repo: Path, tmp_path: Path) -> None:
    docx = write(clerk_repo, tmp_path / "通报.docx", "circular", "--month", "2019-06", "--format", "docx")
    printed = pages(soffice(docx))
    assert 3 <= len(printed) <= 25
    assert all(abs(p.width - 595.3) < 1 and abs(p.height - 841.9) < 1 for p in printed)  # A4 portrait
    assert printed[0].text.startswith("督查通报第5期区政府督查室")
    assert "— 1 —" in " ".join(w.text for w in printed[0].words) or printed[0].text.endswith("—1—")
    first_table = next(i for i, p in enumerate(printed) if p.text.startswith("附件1"))
    assert_no_column_cut(
        printed[first_table], ["序号", "任务名称", "牵头单位", "完成进度", "序时进度", "灯", "本月进展"], "1"
    )
    second = next(i for i, p in enumerate(printed) if p.text.startswith("附件2"))
    assert second > first_table
    assert_no_column_cut(
        printed[second], ["名次", "单位", "牵头任务", "已完成", "绿灯", "黄灯", "红灯", "按时报送率", "得分"], "1"
    )
    assert "印发" in printed[-1].text and all(w.x1 <= p.width for p in printed for w in p.words)


def test_xlsx_ledger_prints_fit_to_width_with_headers_on_every_page(
    tools: None,
    clerk_repo: Path,
    tmp_path: Path,
) -> None:
    xlsx = write(
        clerk_repo,
        tmp_path / "台账.xlsx",
        "export",
        "--plan",
        "2019-changning",
        "--format",
        "xlsx",
        "--as-of",
        "2019-06-30",
    )
    printed = pages(soffice(xlsx))
    # The ledger A3 landscape, two pages wide (one page wide printed its type at 4.9 pt, D13),
    # then the scores sheet, narrow enough for portrait.
    ledger = [p for p in printed if "序号" in p.text]
    assert 2 <= len(ledger) <= 30 and all(p.width > p.height for p in ledger)
    assert len(printed) - len(ledger) <= 3 and all("名次" in p.text for p in printed[len(ledger) :])
    assert printed[0].text.startswith("区政府2019年重点工作目标推进情况台账")
    # Every header is printed whole on some page; 序号 to 任务名称 and the header row repeat on
    # every page (print titles), so each half of a row can be read on its own.
    for header in LEDGER_HEADERS:
        assert any(header in p.text.replace(" ", "") for p in ledger), header
    assert printed[: len(ledger)] == ledger and all("任务名称" in p.text for p in ledger)
    # Body type of 8 pt or more: the width of a run of four or more CJK characters, per character.
    sizes = sorted(
        (w.x1 - w.x0) / len(w.text)
        for p in ledger
        for w in p.words
        if len(w.text) >= 4 and all("\u4e00" <= c <= "\u9fff" for c in w.text)
    )
    assert sizes and sizes[len(sizes) // 2] >= 7.5, sizes[len(sizes) // 2]


def test_html_ledger_and_circular_print_in_chromium(tools: None, clerk_repo: Path, tmp_path: Path) -> None:
    ledger = write(
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
    printed = pages(chromium(ledger))
    # The ledger A3 landscape, its scores on an A4 portrait page of their own (D19).
    assert 2 <= len(printed) <= 30 and all(p.width > p.height for p in printed[:-1])
    assert printed[-1].height > printed[-1].width
    assert_no_column_cut(printed[0], LEDGER_HEADERS, "1")
    assert all("序" in p.text or "名次" in p.text for p in printed)  # the header row repeats on every page
    circular = write(clerk_repo, tmp_path / "通报.html", "circular", "--month", "2019-06", "--format", "html")
    printed = pages(chromium(circular))
    assert 3 <= len(printed) <= 25 and all(p.height > p.width for p in printed)
    assert min(printed[0].words, key=lambda w: w.y0).text == "督查通报" and "第5期" in printed[0].text
    table = next(p for p in printed if "附件2" in p.text)
    assert_no_column_cut(
        table, ["名次", "单位", "牵头任务", "已完成", "绿灯", "黄灯", "红灯", "按时报送率", "得分"], "1"
    )
