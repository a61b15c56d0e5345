"""The message catalog: every string the TUI shows has a Chinese translation, and the .mo is current."""

from __future__ import annotations

import ast

import pytest

from tests.project.support import PO, _compiler
from tests.support import PROJECT


def _marked_strings() -> set[str]:
    found = set()
    for path in [
        *(PROJECT / "tui").rglob("*.py"),
        *(PROJECT / "duban").rglob("*.py"),
        *(PROJECT / "cli").rglob("*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None) and getattr(node.func, "id", None)
            try:
                if isinstance(node, ast.Call) and name in ("_", "N_") and node.args:
                    found.add(ast.literal_eval(node.args[0]))
                elif isinstance(node, ast.Call) and name == "pgettext" and len(node.args) == 2:
                    found.add(ast.literal_eval(node.args[0]) + "\x04" + ast.literal_eval(node.args[1]))
                elif isinstance(node, ast.Call) and name == "ngettext" and len(node.args) == 3:
                    found.add(ast.literal_eval(node.args[0]) + "\0" + ast.literal_eval(node.args[1]))
            except ValueError:
                pass
    return found


@pytest.mark.slow
def test_every_marked_string_is_translated() -> None:
    entries = _compiler().parse_po(PO.read_text(encoding="utf-8"))
    missing = sorted(s for s in _marked_strings() if not entries.get(s))
    assert missing == []


def test_compiled_catalog_is_current() -> None:
    compiler = _compiler()
    assert compiler.mo_bytes(compiler.parse_po(PO.read_text(encoding="utf-8"))) == PO.with_suffix(".mo").read_bytes()


def test_language_follows_the_locale(monkeypatch) -> None:
    from duban.i18n import _, default_language, set_language

    monkeypatch.setenv("LANGUAGE", "zh_CN:en")
    assert default_language() == "zh"
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LC_MESSAGES", "")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert default_language() == "en"
    assert set_language("zh") == "zh" and _("Record progress") == "报送进度"
    set_language("en")
    assert _("Record progress") == "Record progress"


def test_core_messages_are_translated_too(git_repo) -> None:
    import pytest

    from duban.errors import DubanError
    from duban.i18n import set_language
    from duban.record.recording import record_progress
    from duban.store.repository import Repository

    set_language("zh")
    try:
        with pytest.raises(DubanError) as caught:
            record_progress(Repository(git_repo), "2019-changning/1", 120, by="金融办")
        assert str(caught.value) == "百分比必须在 0 到 100 之间,不能是 120"
        with pytest.raises(DubanError) as caught:
            record_progress(Repository(git_repo), "2019-changning/1", 10, by="发改局", date="2019-06-01")
        assert str(caught.value) == "计划 2019-changning 中没有单位 '发改局' (是不是 '发改委'?)"
    finally:
        set_language("en")


@pytest.mark.slow
def test_no_module_shadows_the_translation_function() -> None:
    """`plan, _, rest = text.partition(...)` in a module that translates with `_()` breaks
    every message after it in that function: such names must be spelled out."""
    shadowing = []
    for path in [
        *(PROJECT / "tui").rglob("*.py"),
        *(PROJECT / "duban").rglob("*.py"),
        *(PROJECT / "cli").rglob("*.py"),
    ]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_it = any(
            isinstance(node, ast.ImportFrom)
            and node.module == "duban.i18n"
            and any(alias.name == "_" for alias in node.names)
            for node in ast.walk(tree)
        )
        if imports_it:
            shadowing += [
                f"{path.relative_to(PROJECT)}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
            ]
    assert shadowing == []


def test_compiler_reads_contexts_plurals_and_adjacent_entries() -> None:
    import gettext
    import io

    po = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\nPlural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "a"\nmsgstr "甲"\nmsgid "b"\nmsgstr ""\n"乙"\n# a comment\n'
        'msgctxt "count"\nmsgid "tasks"\nmsgstr "任务数"\n\n'
        'msgid "{n} task"\nmsgid_plural "{n} tasks"\nmsgstr[0] "{n} 项任务"\n'
    )
    compiler = _compiler()
    entries = compiler.parse_po(po)
    assert entries["a"] == "甲" and entries["b"] == "乙" and entries["count\x04tasks"] == "任务数"
    catalog = gettext.GNUTranslations(io.BytesIO(compiler.mo_bytes(entries)))
    assert catalog.gettext("a") == "甲" and catalog.pgettext("count", "tasks") == "任务数"
    assert catalog.ngettext("{n} task", "{n} tasks", 5) == "{n} 项任务"


def help_texts() -> set[str]:
    """Every help text the command line shows, cleaned as duban.cli.base looks it up."""
    import inspect

    import click

    from duban.cli.main import cli

    found = {cli.help}
    for command in cli.commands.values():
        found.add(command.help)
        found.update(param.help for param in command.params if isinstance(param, click.Option))
    found.update(param.help for param in cli.params if isinstance(param, click.Option))
    return {inspect.cleandoc(text) for text in found if text}


def test_every_help_text_is_translated() -> None:
    """Help is written in English in the code and translated when shown (duban.cli.base)."""
    entries = _compiler().parse_po(PO.read_text(encoding="utf-8"))
    missing = sorted(text for text in help_texts() if not entries.get(text))
    assert missing == []
