"""Every relative link and image of README.md and docs/**/*.md leads somewhere: the file or
folder exists, and a `#fragment` into a Markdown page is one of its headings (as GitHub names
them: markdown-it's anchors plugin makes the same slugs) or an `<a id>` it holds. Links to other
sites are not followed: no network."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from tests.support import PROJECT

PAGES = sorted([PROJECT / "README.md", *(PROJECT / "docs").rglob("*.md")])
HTML_ID = re.compile(r"""<a\s[^>]*\b(?:id|name)=["']([^"']+)["']""")
HTML_TARGET = re.compile(r"""<(?:a|img)\s[^>]*\b(?:href|src)=["']([^"']+)["']""")


def _tokens(text: str) -> list[Token]:
    parser = MarkdownIt("commonmark").enable("table").use(anchors_plugin, min_level=1, max_level=6)
    return parser.parse(text)


def anchors(page: Path) -> set[str]:
    """The fragments a link into `page` may name: its headings' ids and its HTML anchors."""
    found: set[str] = set()
    for token in _tokens(page.read_text(encoding="utf-8")):
        if token.type == "heading_open" and token.attrGet("id"):
            found.add(str(token.attrGet("id")))
        for part in [token, *(token.children or [])]:
            if part.type in ("html_inline", "html_block"):
                found.update(HTML_ID.findall(part.content))
    return found


def targets(page: Path) -> list[tuple[int, str]]:
    """Each link and image target of `page`, with the line it is on (code blocks aside)."""
    found: list[tuple[int, str]] = []
    for token in _tokens(page.read_text(encoding="utf-8")):
        line = token.map[0] + 1 if token.map else 0
        for part in [token, *(token.children or [])]:
            if part.type == "link_open":
                found.append((line, str(part.attrGet("href"))))
            elif part.type == "image":
                found.append((line, str(part.attrGet("src"))))
            elif part.type in ("html_inline", "html_block"):
                found += [(line, target) for target in HTML_TARGET.findall(part.content)]
    return found


def broken_links(page: Path) -> list[str]:
    """`page:line: target (why)` for each relative link of `page` that leads nowhere."""
    broken: list[str] = []
    for line, target in targets(page):
        split = urlsplit(target)
        if split.scheme or split.netloc:
            continue
        path = (page.parent / unquote(split.path)).resolve() if split.path else page
        where = f"{page.relative_to(PROJECT) if page.is_relative_to(PROJECT) else page}:{line}: {unquote(target)}"
        if not path.exists():
            broken.append(f"{where} (no such file)")
        elif split.fragment and path.suffix == ".md" and unquote(split.fragment) not in anchors(path):
            broken.append(f"{where} (no such heading)")
    return broken


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(PROJECT)))
def test_every_relative_link_leads_somewhere(page: Path) -> None:
    assert broken_links(page) == []


def test_the_pages_are_the_readme_and_the_docs_tree() -> None:
    names = {str(page.relative_to(PROJECT)) for page in PAGES}
    assert {"README.md", "docs/README.md", "docs/reading.md", "docs/用户手册.md", "docs/reference.md"} <= names


def test_a_broken_link_or_heading_is_found(tmp_path: Path) -> None:
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "其他.md").write_text(
        "# 报送日历\n\n## Forms out, forms back: `duban forms`\n", encoding="utf-8"
    )
    page = tmp_path / "guide" / "page.md"
    page.write_text(
        '# Page\n\n<a id="calendar"></a>Text.\n\n'
        "[ok](%E5%85%B6%E4%BB%96.md#报送日历) [ok](其他.md#forms-out-forms-back-duban-forms) [ok](#page) "
        "[ok](#calendar) [ok](../guide/) [ok](https://example.invalid/nowhere)\n\n"
        "[gone](missing.md) ![gone](../images/none.png) [no heading](其他.md#nothing) [no heading](#nowhere)\n\n"
        "```text\n[in code](not-a-link.md)\n```\n",
        encoding="utf-8",
    )
    assert [entry.split(": ", 1)[1] for entry in broken_links(page)] == [
        "missing.md (no such file)",
        "../images/none.png (no such file)",
        "其他.md#nothing (no such heading)",
        "#nowhere (no such heading)",
    ]
