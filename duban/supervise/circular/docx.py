"""The circular's blocks laid out as a Word document in the 公文 manner (GB/T 9704): A4 with the
standard margins, a red masthead over a red rule, 方正小标宋简体 titles, 仿宋_GB2312 body text,
黑体 and 楷体 headings, tables with a repeated header row, page numbers "— N —", the 附件说明
set left with each name under the first, and a 版记 (抄送, 印发) between rules at the foot of
the last page. Each Chinese font names a fallback (宋体, 仿宋, 黑体, 楷体) in the document's
font table, for machines that lack the 方正/GB2312 fonts. The commit the circular was built
from is the file's identifier property, not a line of its text."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from duban.store.files import write_output
from duban.supervise.circular.document import Block, Circular
from duban.supervise.circular.layout import TITLE_SIZE, signature_indents, title_lines_in
from duban.supervise.export.text import LIGHT_FILLS

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", SUBHEADING_FONT: "楷体", "宋体": "SimSun"}
RED = "FF0000"
LATIN_FONT = "Times New Roman"
# The space Word and LibreOffice put between Chinese and digits (autospace), in characters:
# a fifth of a character at each meeting, 2019年6月30日 a whole one wider than its cells
# (measured in LibreOffice 7.4).
AUTOSPACE = 0.2


def _fonts(run: Any, name: str, size: float, bold: bool = False, colour: str | None = None) -> None:
    # Deferred: loads docx.oxml.ns and 1 more only when this runs
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    for attribute in ("w:ascii", "w:hAnsi"):  # digits and Latin letters, as 公文 set them
        fonts.set(qn(attribute), LATIN_FONT)


def _paragraph(
    document: Any,
    text: str,
    font: str = BODY_FONT,
    size: float = 16,
    *,
    align: str | None = None,
    indent: bool = False,
    bold: bool = False,
    colour: str | None = None,
    before: float = 0,
) -> Any:
    # Deferred: loads docx.enum.text and 1 more only when this runs
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if align:
        paragraph.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * size)
    paragraph.paragraph_format.space_before = Pt(before)
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        _fonts(run, font, size, bold, colour)
        if index < text.count("\n"):
            run.add_break()
    return paragraph


def _border(paragraph: Any, edge: str, colour: str, size: int) -> None:
    # Deferred: loads docx.oxml only when this runs
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        properties.append(borders)
    line = OxmlElement(f"w:{edge}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", colour)):
        line.set(qn(key), value)
    borders.append(line)


def _two_sides(document: Any, left: str, right: str, size: float, width: Any) -> Any:
    """`left` at the margin and `right` flush right on one line, through a right tab stop."""
    # Deferred: loads docx.enum.text only when this runs
    from docx.enum.text import WD_TAB_ALIGNMENT

    paragraph = _paragraph(document, f"{left}\t{right}", size=size)
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    return paragraph


def _shade(cell: Any, fill: str) -> None:
    # Deferred: loads docx.oxml only when this runs
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


# Column widths in cm by header, within the 15.6 cm between the margins.
WIDTHS = {
    "序号": 1.2,
    "任务名称": 4.2,
    "牵头单位": 2.2,
    "完成进度": 1.6,
    "序时进度": 1.6,
    "灯": 2.5,
    "本月进展": 2.3,
    "名次": 1.2,
    "单位": 3.2,
    "牵头任务": 1.6,
    "已完成": 1.4,
    "绿灯": 1.3,
    "黄灯": 1.3,
    "红灯": 1.3,
    "按时报送率": 2.1,
    "得分": 1.6,
}


def _table(document: Any, block: Block) -> None:
    # Deferred: loads docx.enum.table and 2 more only when this runs
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    widths = [Cm(WIDTHS.get(header, 2)) for header in block.headers]
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid LibreOffice lays out by
    rows = table.rows
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    rows[0]._tr.get_or_add_trPr().append(repeat)
    for index, (row, values) in enumerate(zip(rows, [block.headers, *block.rows])):
        for position, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = widths[position]  # and the one Word lays out by
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = Pt(15)
            if index == 0:
                paragraph.alignment = 1
                _fonts(paragraph.add_run(str(value)), HEADING_FONT, 10.5)
                _shade(cell, "D9D9D9")
            else:
                _fonts(paragraph.add_run(str(value)), BODY_FONT, 10.5)
                if block.colours and position == block.light_column:
                    _shade(cell, LIGHT_FILLS[block.colours[index - 1]])


def _attachments(document: Any, block: Block) -> None:
    """附件说明 (GB/T 9704): a line after the text, 左空二字, "附件：1．…"; each further name
    on a line of its own, its number under "1．". Left-aligned paragraphs, never a justified
    one broken by a line break (Word and LibreOffice spread such a line over the width)."""
    # Deferred: loads docx.enum.text and 1 more only when this runs
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    size = 16
    first = _paragraph(document, block.text, before=28)
    first.alignment = WD_ALIGN_PARAGRAPH.LEFT
    first.paragraph_format.first_line_indent = Pt(2 * size)
    lead = block.text.index("1．") if "1．" in block.text else 0  # 附件： takes three characters
    for line in filter(None, block.extra.split("\n")):
        paragraph = _paragraph(document, line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.left_indent = Pt((2 + lead) * size)


# The parts of w:tblPr in the order the schema gives them: Word refuses them out of order.
_TABLE_PROPERTIES = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)


def _table_property(table: Any, name: str, attributes: dict[str, str]) -> Any:
    """Set w:tblPr's `name` (replacing one there), in its place in the schema's order."""
    # Deferred: loads docx.oxml only when this runs
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    for old in properties.findall(qn(f"w:{name}")):
        properties.remove(old)
    element = OxmlElement(f"w:{name}")
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    later = _TABLE_PROPERTIES[_TABLE_PROPERTIES.index(name) + 1 :]
    following = next((child for child in properties if child.tag in {qn(f"w:{n}") for n in later}), None)
    if following is None:
        properties.append(element)
    else:
        following.addprevious(element)
    return element


def _imprint(document: Any, cc: Block | None, printed: Block, width: Any) -> None:
    """版记 at the foot of the last page (GB/T 9704): 抄送 and 印发机关/印发日期 in a table that
    floats at the bottom of the text area (w:tblpPr anchored to the margin, tblpYSpec bottom),
    between a thick rule above and below and a thin one between them; nothing after it."""
    # Deferred: loads docx.enum.text and 2 more only when this runs
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    body = document.element.body
    if len(body) > 1 and body[-2].tag == qn("w:tbl"):  # two tables in a row would be one table
        _paragraph(document, "")
    rows = ([cc] if cc else []) + [printed]
    table = document.add_table(rows=len(rows), cols=2)
    table.autofit = False
    # Narrower than the text area by 0.6 cm, with no cell margins (the paragraphs' indents keep
    # the text off the edge): LibreOffice 7.4 lays a floating table about as wide as the text
    # area out inline, where the text stops, not at the foot of the page (measured: 0.45 cm
    # narrower is still inline). Word anchors it at the foot either way.
    width = width - Cm(0.6)
    half = int(width / 2)
    for column in table.columns:
        column.width = half
    _table_property(
        table,
        "tblpPr",
        {
            "leftFromText": "0",
            "rightFromText": "0",
            "topFromText": "0",
            "bottomFromText": "0",
            "vertAnchor": "margin",
            "horzAnchor": "margin",
            "tblpXSpec": "center",
            "tblpYSpec": "bottom",
        },
    )
    _table_property(table, "tblOverlap", {"val": "never"})
    _table_property(table, "tblW", {"w": str(int(width) * 1440 // 914400), "type": "dxa"})  # EMU to twips
    borders = _table_property(table, "tblBorders", {})
    for edge, size in (
        ("top", "8"),
        ("left", "0"),
        ("bottom", "8"),
        ("right", "0"),
        ("insideH", "6"),
        ("insideV", "0"),
    ):
        line = OxmlElement(f"w:{edge}")
        for key, value in (
            ("val", "single" if size != "0" else "nil"),
            ("sz", size),
            ("space", "0"),
            ("color", "000000"),
        ):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    _table_property(table, "tblLayout", {"type": "fixed"})
    margins = _table_property(table, "tblCellMar", {})
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    for row, block in zip(table.rows, rows):
        cells = row.cells
        for cell in cells:
            cell.width = half
        if block.kind == "cc":
            cells = [cells[0].merge(cells[1])]
        texts = [block.text] if block.kind == "cc" else [block.text, block.extra]
        for position, (cell, text) in enumerate(zip(cells, texts)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = Pt(28)
            paragraph.paragraph_format.left_indent = Pt(14) if position == 0 else None  # 左右各空一字
            paragraph.paragraph_format.right_indent = Pt(14) if position == 1 or block.kind == "cc" else None
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if position == 1 else WD_ALIGN_PARAGRAPH.LEFT
            _fonts(paragraph.add_run(text), BODY_FONT, 14)
    # A document ends with a paragraph; this one takes no room.
    last = _paragraph(document, "", size=1)
    last.paragraph_format.line_spacing = Pt(1)


def _page_numbers(document: Any, section: Any) -> None:
    """ "— N —" in 4号 at the foot of every page, through Word's PAGE field, as GB/T 9704 sets
    it: on odd pages at the right, on even pages at the left, one character in from the edge."""
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], right=True)
    _page_number(section.even_page_footer.paragraphs[0], right=False)


def _page_number(paragraph: Any, right: bool) -> None:
    # Deferred: loads docx.oxml and 1 more only when this runs
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = 2 if right else 0
    if right:
        paragraph.paragraph_format.right_indent = Pt(14)  # 空一字
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    _fonts(paragraph.add_run("— "), "宋体", 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = paragraph.add_run("1")
    _fonts(number, "宋体", 14)
    number._r.addprevious(field)
    field.append(number._r)
    _fonts(paragraph.add_run(" —"), "宋体", 14)


def _font_fallbacks(document: Any) -> None:
    """Name a fallback for each 公文 font in the font table (w:altName), which Word and WPS
    use when the font itself is missing."""
    # Deferred: loads lxml only when this runs
    from lxml import etree

    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for name, alternative in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{namespace}}}font")
        font.set(f"{{{namespace}}}name", name)
        for tag, value in (("altName", alternative), ("charset", "86"), ("family", "roman")):
            etree.SubElement(font, f"{{{namespace}}}{tag}").set(f"{{{namespace}}}val", value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# The language of the Chinese text; Latin text (digits, Latin words) stays en-US, as Chinese
# Word writes it: Latin text tagged zh-CN is broken as Chinese (LibreOffice split "1.7" from
# "%" at a line's end).
LANGUAGE, LATIN_LANGUAGE = "zh-CN", "en-US"
# The theme's fonts for Chinese text: what Word gives text typed in without a font of its own.
THEME_FONTS = {"major": "黑体", "minor": "宋体"}
_DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _part(document: Any, name: str) -> Any:
    return next(p for p in document.part.package.iter_parts() if str(p.partname) == name)


def _chinese(document: Any) -> None:
    """A Chinese document through and through: the language of its Chinese text zh-CN
    (python-docx's template says en-US, and ja-JP for the theme's East Asian fonts), the theme's East Asian
    fonts 黑体/宋体, and no Japanese font (ＭＳ 明朝, ＭＳ ゴシック) left in the theme or the
    font table for Word to fall back on."""
    # Deferred: loads docx.oxml.ns and 1 more only when this runs
    from docx.oxml.ns import qn
    from lxml import etree

    def languages(root: Any) -> None:
        for lang in root.iter(qn("w:lang")):
            lang.set(qn("w:val"), LATIN_LANGUAGE)
            lang.set(qn("w:eastAsia"), LANGUAGE)

    languages(document.styles.element)
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/stylesWithEffects.xml":  # Word 2010's copy of the styles
            root = etree.fromstring(part.blob)
            languages(root)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for theme_lang in document.settings.element.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:val"), LATIN_LANGUAGE)
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    theme = _part(document, "/word/theme/theme1.xml")
    root = etree.fromstring(theme.blob)
    for kind, typeface in THEME_FONTS.items():
        for fonts in root.iter(f"{{{_DRAWING}}}{kind}Font"):
            fonts.find(f"{{{_DRAWING}}}ea").set("typeface", typeface)
            for script in fonts.findall(f"{{{_DRAWING}}}font"):
                if script.get("script") == "Jpan":
                    fonts.remove(script)
                elif script.get("script") == "Hans":
                    script.set("typeface", typeface)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    table = _part(document, "/word/fontTable.xml")
    root = etree.fromstring(table.blob)
    for font in list(root):
        charset = font.find(qn("w:charset"))
        if charset is not None and charset.get(qn("w:val")) == "80":  # SHIFTJIS_CHARSET
            root.remove(font)
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def to_docx(c: Circular) -> bytes:
    # Deferred: loads docx only when this runs
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Length, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.5)
    width = section.page_width - section.left_margin - section.right_margin
    normal = document.styles["Normal"]
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)
    _fonts(normal, BODY_FONT, 16)
    for block in c.blocks:
        kind = block.kind
        if kind == "masthead":
            paragraph = _paragraph(document, block.text, TITLE_FONT, 42, align="center", colour=RED)
            paragraph.paragraph_format.line_spacing = Pt(60)
        elif kind == "issue":
            _paragraph(document, block.text, align="center", before=12)
        elif kind == "office_date":
            _border(_two_sides(document, block.text, block.extra, 16, width), "bottom", RED, 18)
        elif kind == "title":  # broken at a word boundary, the lines even (GB/T 9704 7.3.1)
            lines = title_lines_in(block.text, Length(width).pt)
            paragraph = _paragraph(document, "\n".join(lines), TITLE_FONT, TITLE_SIZE, align="center", before=28)
            paragraph.paragraph_format.line_spacing = Pt(36)
            paragraph.paragraph_format.space_after = Pt(16)
        elif kind == "to":
            _paragraph(document, block.text)
        elif kind == "h1":
            _paragraph(document, block.text, HEADING_FONT, 16, indent=True)
        elif kind == "h2":
            _paragraph(document, block.text, SUBHEADING_FONT, 16, indent=True)
        elif kind == "signature":
            office, date = signature_indents(block.text, block.extra, AUTOSPACE)
            for text, indent, before in ((block.text, office, 28), (block.extra, date, 0)):
                _paragraph(document, text, align="right", before=before).paragraph_format.right_indent = Pt(16 * indent)
        elif kind == "attachment":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _paragraph(document, block.text, HEADING_FONT, 16)
            _paragraph(
                document, block.extra, TITLE_FONT, 18, align="center", before=6
            ).paragraph_format.space_after = Pt(8)
        elif kind == "table":
            _table(document, block)
        elif kind == "attachments":
            _attachments(document, block)
        elif kind == "cc":
            continue  # in the 版记, with 印发
        elif kind == "printed":
            _imprint(document, next((b for b in c.blocks if b.kind == "cc"), None), block, width)
        else:
            _paragraph(document, block.text, indent=True, align="justify")
    _page_numbers(document, section)
    _font_fallbacks(document)
    _chinese(document)
    properties = document.core_properties
    title = next(b.text for b in c.blocks if b.kind == "title")
    properties.language = LANGUAGE
    properties.title, properties.author, properties.last_modified_by = title, c.blocks[2].text, c.blocks[2].text
    # The commit the circular was built from: in the file's properties, not in the text issued.
    properties.identifier = c.commit or ""
    # Fixed dates: a rebuild from the same commit gives the same document.
    moment = dt.datetime.combine(c.issued, dt.time())
    properties.created = properties.modified = moment
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(c: Circular, path: Path) -> None:
    write_output(path, to_docx(c))
