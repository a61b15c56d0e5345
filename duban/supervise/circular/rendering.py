"""The circular in Markdown and in HTML (printable on A4), laid out from its blocks."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from duban.supervise.circular.document import Block, Circular
from duban.supervise.circular.layout import signature_indents, title_lines_in
from duban.supervise.export.html_document import html_page, html_table
from duban.supervise.export.text import markdown_table, md_escape


@dataclass(frozen=True)
class _Format:
    """How one format writes each kind of block: a template with {text}, {extra} and {kind},
    filled with the block's text and extra escaped for the format; tables by `table`."""

    templates: dict[str, str]
    default: str
    escape_text: Callable[[str], str]
    escape_extra: Callable[[str], str]
    table: Callable[[Block], str]

    def render(self, blocks: list[Block]) -> list[str]:
        return [
            self.table(block)
            if block.kind == "table"
            else self.templates.get(block.kind, self.default).format(
                text=self.escape_text(block.text), extra=self.escape_extra(block.extra), kind=block.kind
            )
            for block in blocks
        ]


_MARKDOWN = _Format(
    templates={
        "masthead": "# {text}\n",
        "issue": "**{text}**\n",
        "office_date": "{text}　　{extra}\n",
        "signature": "{text}　　{extra}\n",
        "printed": "{text}　　{extra}\n",
        "title": "---\n\n## {text}\n",
        "h1": "### {text}\n",
        "h2": "#### {text}\n",
        "attachment": "---\n\n**{text}**\n\n### {extra}\n",
        "cc": "---\n\n{text}\n",
        "attachments": "{text}  \n　　　{extra}\n",
    },
    default="{text}\n",
    escape_text=md_escape,
    # 附件说明's further names, each on a line of its own under the first (a hard break).
    escape_extra=lambda text: "  \n　　　".join(md_escape(line) for line in text.split("\n")),
    table=lambda block: markdown_table(block.headers, block.rows),
)


def to_markdown(c: Circular) -> str:
    return "\n".join(_MARKDOWN.render(c.blocks)).rstrip("\n") + "\n"


# Printed as GB/T 9704 sets a document: A4, margins 37 mm top, 35 bottom, 28 left, 26 right
# (a 156 × 225 mm text area), 三号 body on a 28 pt line, 二号 title; page numbers "— N —" in
# 4号, on odd pages at the right and on even pages at the left, one character in, 7 mm under
# the text area (CSS @page margin boxes and :left/:right pages, printed by Chromium 131 on).
PAGE_CSS = "@page{size:A4;margin:37mm 26mm 35mm 28mm}" + "".join(
    f'@page :{side}{{@bottom-{side}{{content:"— " counter(page) " —";font-size:14pt;'
    f'font-family:"SimSun","宋体","Noto Serif CJK SC",serif;vertical-align:top;'
    f"padding-top:7mm;margin-{side}:14pt}}}}"
    for side in ("right", "left")
)
TEXT_WIDTH_PT = 156 / 25.4 * 72  # the text area's width

_CSS = (
    "body{max-width:60em;margin:2em auto;line-height:1.8}"
    '.masthead{color:#c00000;text-align:center;font-size:2.4em;font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体",'
    '"SimSun","Noto Serif CJK SC",serif;letter-spacing:.2em;margin:0}'
    ".issue{text-align:center;margin:.3em 0}.office-date{display:flex;justify-content:space-between;"
    "border-bottom:3px solid #c00000;padding-bottom:.3em}h2.title{text-align:center;font-size:1.6em}"
    'h3{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif}p{text-indent:2em;margin:.3em 0}'
    ".signature{text-align:right;text-indent:0;margin:0}.signature.office{margin-top:1.8em}"
    ".attachment{page-break-before:always;font-weight:bold}"
    ".attachments{text-indent:-3em;padding-left:5em}table{width:100%;font-size:.85em}"
    # 版记: 抄送 and 印发 in 4号 between a thick rule above and below and a thin one between,
    # 印发机关 and 印发日期 on one line, each one character in from the edge.
    ".imprint{margin-top:2em;border-top:1pt solid #000;border-bottom:1pt solid #000;break-inside:avoid}"
    ".imprint p{display:flex;justify-content:space-between;gap:1em;text-indent:0;margin:0;padding:0 1em;"
    "font-size:14pt;line-height:28pt}.imprint p+p{border-top:.7pt solid #000}.imprint span{white-space:nowrap}"
    "@media print{body{max-width:none;font-size:16pt;line-height:28pt}p{margin:0}.masthead{line-height:1.4}"
    "h2.title{font-size:22pt;line-height:36pt}h3,h4{font-size:16pt;margin:0;font-weight:normal}"
    "table{font-size:10.5pt;line-height:1.4}}"
)


_HTML = _Format(
    templates={
        "masthead": '<h1 class="masthead">{text}</h1>',
        "issue": '<p class="issue">{text}</p>',
        "office_date": '<div class="office-date"><span>{text}</span><span>{extra}</span></div>',
        "title": '<h2 class="title">{text}</h2>',
        "to": '<p style="text-indent:0">{text}</p>',
        "h1": "<h3>{text}</h3>",
        "h2": "<h4>{text}</h4>",
        "attachment": '<p class="attachment">{text}</p><h3 style="text-align:center">{extra}</h3>',
        "attachments": '<p class="attachments">{text}<br>{extra}</p>',
    },
    default='<p class="{kind}">{text}</p>',
    escape_text=lambda text: html.escape(text).replace("\n", "<br>"),
    escape_extra=lambda text: html.escape(text).replace("\n", "<br>"),
    table=lambda block: html_table(block.headers, block.rows, block.colours or None, block.light_column),
)


def _html_block(block: Block, blocks: list[Block]) -> str | None:
    """The blocks HTML lays out by itself: the title in its lines, the signature placed as
    GB/T 9704 places it, and the 版记 (抄送 with 印发) between its rules."""
    if block.kind == "title":
        lines = title_lines_in(block.text, TEXT_WIDTH_PT)
        return '<h2 class="title">' + "<br>".join(html.escape(line) for line in lines) + "</h2>"
    if block.kind == "signature":
        office, date = signature_indents(block.text, block.extra)
        return (
            f'<p class="signature office" style="padding-right:{office:g}em">{html.escape(block.text)}</p>'
            f'<p class="signature date" style="padding-right:{date:g}em">{html.escape(block.extra)}</p>'
        )
    if block.kind == "cc":
        return ""  # in the 版记, with 印发
    if block.kind == "printed":
        cc = next((b for b in blocks if b.kind == "cc"), None)
        return (
            '<div class="imprint">'
            + (f'<p class="cc"><span>{html.escape(cc.text)}</span></p>' if cc else "")
            + f'<p class="printed"><span>{html.escape(block.text)}</span><span>{html.escape(block.extra)}</span>'
            "</p></div>"
        )
    return None


def to_html(c: Circular) -> str:
    parts = [_html_block(block, c.blocks) for block in c.blocks]
    body = [
        f"<style>{_CSS}</style>",
        *(own if own is not None else _HTML.render([block])[0] for own, block in zip(parts, c.blocks) if own != ""),
    ]
    title = next(b.text for b in c.blocks if b.kind == "title")
    return html_page(
        title,
        "\n".join(body) + "\n",
        page_css=PAGE_CSS,
        font="16pt",
        meta={"duban-commit": c.commit} if c.commit else None,
    )
