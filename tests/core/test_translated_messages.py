"""The core's problems and errors in Chinese: same place, same rule, words from the catalog."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from duban.i18n import set_language
from duban.validate.validation import validate
from tests.project.support import PO, _compiler
from tests.support import DATA

INVALID = DATA / "invalid"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _problems(sample_repo: Path, name: str, language: str) -> list[tuple]:
    set_language(language)
    target = Path("plans/2019-changning/tasks") / name
    shutil.copy(INVALID / name, sample_repo / target)
    return [(p.path, p.line, p.col, p.severity, p.rule, p.message) for p in validate([target]).problems]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in INVALID.glob("*.yaml")))
def test_every_invalid_example_is_reported_in_chinese(name: str, sample_repo: Path) -> None:
    try:
        english = _problems(sample_repo, name, "en")
        chinese = _problems(sample_repo, name, "zh")
    finally:
        set_language("en")
    assert [p[:5] for p in chinese] == [p[:5] for p in english]
    for (*_place, english_message), (*_same, chinese_message) in zip(english, chinese):
        assert chinese_message != english_message and CJK.search(chinese_message), chinese_message


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("unknown-area.yaml", "未知领域 '经济建设'(计划的领域:经济发展)"),
        ("percent-text.yaml", "'50%' 不是数字"),
        ("yaml-syntax.yaml", "文件意外结束 (扫描带引号的文字时,始于第 3 行)"),
        ("reporter-unknown.yaml", "未知单位 '金融';是不是 '金融办'?"),
    ],
)
def test_chinese_wording(name: str, message: str, sample_repo: Path) -> None:
    try:
        assert _problems(sample_repo, name, "zh")[0][-1] == message
    finally:
        set_language("en")


def test_query_errors_are_translated(chinese) -> None:
    from duban.errors import DubanError
    from duban.supervise.query import parse

    with pytest.raises(DubanError) as caught:
        parse("leed:发改委")
    assert str(caught.value) == "查询第 1 列('leed:发改委'):未知字段 'leed' (是不是 lead:?)"


def test_plural_messages_use_the_catalog(chinese) -> None:
    from duban.i18n import ngettext

    assert ngettext("{count} task", "{count} tasks", 1).format(count=1) == "1 项任务"
    assert ngettext("{count} task", "{count} tasks", 7).format(count=7) == "7 项任务"


def test_every_translation_keeps_its_placeholders() -> None:
    """A translation that drops or renames {name} would raise KeyError when shown."""
    fields = re.compile(r"\{[^{}]*\}")
    broken = []
    for msgid, msgstr in _compiler().parse_po(PO.read_text(encoding="utf-8")).items():
        if not msgid:
            continue
        wanted = {tuple(sorted(fields.findall(form))) for form in msgid.split("\0")}
        for form in msgstr.split("\0"):
            if tuple(sorted(fields.findall(form))) not in wanted:
                broken.append((msgid, form))
    assert broken == []


def test_a_control_characters_name_is_said_in_chinese() -> None:
    """T11: a pasted U+202E was named `right-to-left override` in the Chinese interface."""
    import pytest as _pytest

    from duban.errors import DubanError
    from duban.i18n import set_language
    from duban.text.hygiene import clean

    set_language("zh")
    try:
        with _pytest.raises(DubanError) as raised:
            clean("进展\u202e顺利", "进展情况")
        assert "U+202E (从右到左强制符)" in str(raised.value) and "right-to-left" not in str(raised.value)
    finally:
        set_language("en")
