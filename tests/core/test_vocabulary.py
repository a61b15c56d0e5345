"""The one table of duban's words: the stored keys agree with the schema, the Chinese words with
the catalog the TUI translates through, and every spelling names one key."""

from __future__ import annotations

import json

from duban import vocabulary
from duban.i18n import _, set_language
from tests.support import PROJECT


def test_keys_are_the_schemas() -> None:
    schema = json.loads((PROJECT / "schema/task.schema.json").read_text(encoding="utf-8"))
    assert list(vocabulary.keys("status")) == schema["properties"]["status"]["enum"]
    assert list(vocabulary.keys("type")) == schema["properties"]["type"]["enum"]
    kinds = schema["properties"]["indicators"]["items"]["properties"]["kind"]["enum"]
    assert list(vocabulary.keys("indicator")) == kinds
    from duban.model import STATUSES, TASK_FIELDS

    assert STATUSES == vocabulary.keys("status")
    assert set(TASK_FIELDS) <= set(vocabulary.keys("field"))


def test_the_catalog_shows_the_tables_words(chinese) -> None:
    """The TUI and older code translate keys with _(); they must say what the table says."""
    for kind in ("status", "light", "role"):
        for key in vocabulary.keys(kind):
            assert _(key) == vocabulary.chinese(kind, key) == vocabulary.shown(kind, key), key


def test_every_spelling_names_one_key_of_its_kind() -> None:
    for kind, words in vocabulary.TABLE.items():
        seen: dict[str, str] = {}
        for word in words:
            for spelling in (word.key.lower(), *word.chinese):
                assert seen.setdefault(spelling, word.key) == word.key, (kind, spelling)
                assert vocabulary.resolve(kind, spelling) == word.key


def test_resolve_reads_keys_chinese_full_width_and_initials() -> None:
    assert vocabulary.resolve("status", "In_Progress") == "in_progress"
    assert vocabulary.resolve("status", " 进行中 ") == "in_progress"
    assert vocabulary.resolve("type", "Ｂ") == "B" and vocabulary.resolve("type", "c类") == "C"
    assert vocabulary.resolve("status", "wqd") == "not_started"  # 未启动
    assert vocabulary.resolve("light", "h") is None  # 红, 黄, 灰
    assert sorted(vocabulary.ambiguous("light", "h")) == ["grey", "red", "yellow"]
    assert vocabulary.resolve("field", "ly") is None  # 领域 and 来源
    assert vocabulary.resolve("field", "ly", among=("unit", "area", "type", "plan")) == "area"
    assert vocabulary.resolve("status", "finished") is None and vocabulary.resolve("status", "") is None


def test_shown_follows_the_interface_language(chinese) -> None:
    assert vocabulary.shown("status", "delayed") == "延期"
    assert vocabulary.choices("light").startswith("红(red)、黄(yellow)")
    assert vocabulary.suggest("status", "延") == "延期"
    set_language("en")
    assert vocabulary.shown("status", "delayed") == "delayed" and vocabulary.chinese("status", "delayed") == "延期"
    assert vocabulary.suggest("status", "delaid") == "delayed"
    assert vocabulary.shown("status", "unheard-of") == "unheard-of"


def test_documents_name_each_light_with_its_table_word() -> None:
    """The circular says 红灯 where the table says 红: both come from the one table."""
    assert [vocabulary.light_word(key) for key in vocabulary.keys("light")] == ["红灯", "黄灯", "绿灯", "灰灯"]
    assert all(vocabulary.resolve("light", vocabulary.light_word(key)) == key for key in vocabulary.keys("light"))
