"""The query language on the bundled plans: fields, OR, negation, quoting, pinyin, aliases, errors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import example, given, strategies

from duban.store.repository import Repository
from duban.supervise.query import parse
from duban.supervise.query_tokens import QueryError, tokenize
from duban.supervise.selection import select
from duban.text.pinyin import text_matches
from tests.support import PROJECT


@pytest.fixture(scope="module")
def bundled():
    return select(Repository(PROJECT), as_of=None, today=dt.date(2019, 6, 30))


def refs(selection, query: str) -> list[str]:
    return [t.ref for t in selection.where(query)]


def test_tokens_keep_columns_and_quotes() -> None:
    tokens = tokenize('lead:发改委 OR "两个 优先" -(type:A)')
    assert [(t.kind, t.text, t.column) for t in tokens] == [
        ("word", "lead:发改委", 1),
        ("or", "OR", 10),
        ("word", '"两个 优先"', 13),
        ("word", "-", 21),
        ("(", "(", 22),
        ("word", "type:A", 23),
        (")", ")", 29),
    ]


def test_fields_combine_with_and(bundled) -> None:
    found = refs(bundled, "plan:2019-shangcheng type:B")
    assert found and all(r.startswith("2019-shangcheng/") for r in found)
    assert "2019-shangcheng/20" in found
    assert refs(bundled, "plan:2013-pingdingshan lead:市发改委 section:着力扩大增量") == [
        "2013-pingdingshan/3",
        "2013-pingdingshan/4",
    ]


def test_or_negation_and_parentheses(bundled) -> None:
    a = set(refs(bundled, "plan:2019-changning lead:金融办"))
    b = set(refs(bundled, "plan:2019-changning lead:商务委"))
    assert set(refs(bundled, "plan:2019-changning (lead:金融办 OR lead:商务委)")) == a | b
    everything = set(refs(bundled, "plan:2019-changning"))
    assert set(refs(bundled, "plan:2019-changning -lead:金融办")) == everything - a
    assert set(refs(bundled, "plan:2019-changning -(lead:金融办 OR lead:商务委)")) == everything - a - b
    # AND binds tighter than OR.
    assert set(refs(bundled, "plan:2019-changning lead:金融办 OR plan:2019-changning lead:商务委")) == a | b


def test_free_text_and_quotes(bundled) -> None:
    found = bundled.where("人均GDP")
    assert "2019-changning/1" in [t.ref for t in found]
    assert all("人均GDP" in t.title + t.text for t in found)
    assert refs(bundled, "白皮书") == []  # only in a milestone: free text reads title and text
    assert "2008-baoshan/2" in refs(bundled, '"两个优先"')


def test_a_plan_id_or_a_ref_typed_bare_names_that_plan_or_task(bundled) -> None:
    """As `list` prints them, so a clerk can paste one back: 2019-changning, 2019-changning/3."""
    assert refs(bundled, "2019-changning") == refs(bundled, "plan:2019-changning") != []
    assert refs(bundled, "2019-Changning/3") == ["2019-changning/3"]
    assert refs(bundled, "2019-changning/3 OR 2019-shangcheng/20") == ["2019-changning/3", "2019-shangcheng/20"]
    assert refs(bundled, "2019-changning/9999") == []


def test_initials_a_rare_reading_also_spells_mean_the_common_one(bundled) -> None:
    """czj is 财政局; 体 (tǐ) can also be read cuì, which made 体育局 match too."""
    from duban.record.typed_values import unit_by_initials, units_by_initials
    from duban.text.pinyin import common_initials

    assert common_initials("体育局") == "tyj" and common_initials("财政局") == "czj"
    czj = set(refs(bundled, "plan:2019-changning lead:czj"))
    assert czj == set(refs(bundled, "plan:2019-changning lead:财政局")) != set()
    assert not czj & set(refs(bundled, "plan:2019-changning lead:体育局"))
    plan = Repository(PROJECT).plan("2019-changning")
    assert unit_by_initials(plan, "czj").name == "财政局" and unit_by_initials(plan, "ＣＺＪ").name == "财政局"
    assert unit_by_initials(plan, "tyj").name == "体育局"
    assert len(units_by_initials(plan, "zzz")) == 0


def test_pinyin_initials_and_aliases(bundled) -> None:
    assert set(refs(bundled, "lead:fgw plan:2019-changning")) == set(refs(bundled, "lead:发改委 plan:2019-changning"))
    assert set(refs(bundled, "area:jjfz plan:2019-changning")) == set(
        refs(bundled, "area:经济发展 plan:2019-changning")
    )
    assert text_matches("cnq", "长宁区") and text_matches("znq", "长宁区")  # 长: chang or zhang
    spaced = set(refs(bundled, 'unit:"科  委"'))
    assert spaced and spaced == set(refs(bundled, "unit:科委"))
    assert set(refs(bundled, "unit:发改委(统计局)")) >= set(refs(bundled, "support:发改委 plan:2019-changning"))


def test_inherited_lead_is_matched(bundled) -> None:
    found = refs(bundled, "plan:2008-baoshan lead:统计局")
    assert "2008-baoshan/1-1" in found and "2008-baoshan/1-4" not in found


def test_comparisons_and_has(bundled) -> None:
    assert len(refs(bundled, "plan:2019-changning has:milestones")) == 60
    assert refs(bundled, "plan:2008-baoshan parent:1") == [f"2008-baoshan/1-{n}" for n in range(1, 5)]
    assert len(refs(bundled, "percent<50")) == len(bundled.tasks)
    assert refs(bundled, "percent>=50") == []
    assert refs(bundled, "due<2019-06-30") == []


def test_light_terms(bundled) -> None:
    red = set(refs(bundled, "plan:2019-changning light:red"))
    assert red == set(refs(bundled, "plan:2019-changning")) and refs(bundled, "plan:2019-changning light:green") == []


@pytest.mark.parametrize(
    ("query", "column", "reason"),
    [
        ("leed:发改委", 1, "unknown field 'leed'"),
        ("type:A status:finished", 15, "unknown status 'finished'"),
        ('area:经济 "两个', 9, "unclosed quote"),
        ("(type:A", 1, "unclosed '('"),
        ("type:A)", 7, "unexpected ')'"),
        ("OR type:A", 1, "OR needs a term before it"),
        ("type:A OR", 8, "OR needs a term after it"),
        ("due<tomorrow", 5, "'tomorrow' is not a date"),
        ("percent<half", 9, "'half' is not a number"),
        ("status<done", 1, "status cannot be compared with <"),
        ("has:wings", 5, "unknown has:wings"),
        ("light:blue", 7, "unknown light 'blue'"),
        ("灯:h", 3, "'h' is ambiguous"),
        ("lead:", 1, "lead: needs a value"),
    ],
)
def test_malformed_queries_point_at_the_term(query: str, column: int, reason: str) -> None:
    """At the term, or at its value when the value is what is wrong (`percent<abc` pointed at
    column 1, the TUI audit's T12)."""
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert caught.value.column == column and caught.value.reason == reason
    assert str(caught.value).startswith(f"query column {column} (")


def test_late_takes_yes_no_or_a_unit_and_says_so(bundled) -> None:
    """late:UNIT lists the tasks on which that lead unit itself was late (the overview's and
    `report`'s late count); a value that is neither a word nor a unit says what it takes."""
    with pytest.raises(QueryError) as caught:
        parse("late:maybe", bundled.plans())
    assert caught.value.column == 6
    assert caught.value.reason == "late:maybe should be late:yes, late:no or a unit's name (late:发改委)"
    parse("late:发改委", bundled.plans())  # a unit: no error


def test_unknown_field_suggests(bundled) -> None:
    with pytest.raises(QueryError) as caught:
        parse("leed:发改委")
    assert caught.value.hint == "did you mean lead:?"


def test_empty_query_matches_all(bundled) -> None:
    assert len(bundled.where("")) == len(bundled.tasks) == 558


def test_initials_table_matches_pypinyin() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_initials", PROJECT / "scripts/build_initials.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    from duban.text.pinyin import InitialsTable, _initials_table

    wanted = module.initials_table()
    assert _initials_table().as_dict() == wanted
    # Looked up packed, point by point (and past the ends of every run), as unpacked.
    fresh = InitialsTable(*module.packed(wanted))
    fresh._UNPACK_AFTER = 10**9
    for point in [*wanted, 0, 0x2FFF, 0x3006, 0x3008, 0x4DBA, 0x9FFF + 1, 0x10FFFF, *range(0x4E00, 0x4E40)]:
        assert fresh.get(point) == wanted.get(point), hex(point)
    assert fresh._unpacked is None
    many = InitialsTable(*module.packed(wanted))
    many._UNPACK_AFTER = 3
    assert [many.get(point) for point in (0x957F, 0x4F53, 0x53D1, 0x6539, 0x59D4)] == [
        wanted[0x957F],
        wanted[0x4F53],
        wanted[0x53D1],
        wanted[0x6539],
        wanted[0x59D4],
    ]
    assert many._unpacked == wanted


@pytest.mark.slow
def test_initials_search_agrees_with_trying_every_position() -> None:
    """text_matches finds pinyin initials with one regular expression; the plain definition
    (some window of characters whose initials sets hold the letters in turn) must agree."""
    import itertools
    import random

    from duban.text.pinyin import initial_sets, text_matches
    from tests.support import PROJECT

    def by_definition(letters: str, text: str) -> bool:
        sets = initial_sets(text)
        return any(
            all(letters[j] in sets[i + j] for j in range(len(letters))) for i in range(len(sets) - len(letters) + 1)
        )

    titles = [
        line.split(":", 1)[1].strip()
        for path in sorted(PROJECT.glob("plans/2019-changning/tasks/*.yaml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("title:")
    ]
    rng = random.Random(7)
    letters = ["".join(p) for p in itertools.product("cfgjzx", repeat=2)] + [
        "".join(rng.choice("abcdefghjklmnopqrstwxyz") for _ in range(rng.randint(1, 4))) for _ in range(60)
    ]
    for title in titles:
        sets = initial_sets(title)
        for start in range(0, max(len(sets) - 2, 1), 7):  # every reading of some real windows
            letters += ["".join(choice) for choice in itertools.product(*sets[start : start + 3])][:8]
    checked = 0
    for title in titles:
        for word in letters:
            if word.isalpha() and word.isascii() and word not in title.lower():
                assert text_matches(word, title) == by_definition(word, title), (word, title)
                checked += 1
    assert checked > 10_000


# ---- Chinese in: every word of the vocabulary, every full-width form -------------------------


class _Varied:
    """The bundled plans' context, with each task given a status and a light of its own, so
    that every value of the vocabulary selects some tasks and leaves others out."""

    def __init__(self, bundled) -> None:
        import dataclasses

        from duban import vocabulary

        self.bundled = bundled
        statuses, lights = vocabulary.keys("status"), vocabulary.keys("light")
        chosen = [t for t in bundled.tasks if t.plan_id == "2019-shangcheng"]
        self.tasks = [dataclasses.replace(t, status=statuses[i % len(statuses)]) for i, t in enumerate(chosen)]
        self.lights = {t.ref: (lights[i % len(lights)], i % 3 == 0) for i, t in enumerate(self.tasks)}

    def plan(self, task):
        return self.bundled.plan(task)

    def plan_of(self, plan_id):
        return self.bundled.plan_of(plan_id)

    def lead(self, task):
        return self.bundled.lead(task)

    def light(self, task):
        return self.lights[task.ref]

    def percent(self, task):
        return self.bundled.percent(task)

    def where(self, query: str) -> list[str]:
        return [t.ref for t in parse(query, self.bundled.plans()).filter(self.tasks, self)]


@pytest.fixture(scope="module")
def varied(bundled):
    return _Varied(bundled)


def _values():
    from duban import vocabulary

    for kind, field in (("status", "status"), ("light", "light"), ("type", "type"), ("late", "late")):
        for word in vocabulary.TABLE[kind]:
            for spelling in word.chinese:
                yield field, word.key, spelling


@pytest.mark.parametrize(("field", "key", "chinese"), list(_values()))
def test_every_chinese_value_selects_what_its_key_selects(varied, field: str, key: str, chinese: str) -> None:
    by_key = varied.where(f"{field}:{key}")
    assert by_key and len(by_key) < len(varied.tasks)
    assert varied.where(f"{field}:{chinese}") == by_key


def test_pinyin_initials_of_values_where_only_one_word_has_them(varied) -> None:
    assert varied.where("status:jxz") == varied.where("status:in_progress")
    assert varied.where("zt:jxz") == varied.where("状态:进行中")  # field names by their initials too
    assert varied.where("qt:fgjxj") == varied.where("lead:发改经信局")
    assert varied.where("status:yq") == varied.where("status:delayed")
    with pytest.raises(QueryError) as caught:
        varied.where("light:h")  # 红, 黄 and 灰 all start with h
    assert caught.value.reason == "'h' is ambiguous" and "red" in caught.value.hint


def _fields():
    from duban import vocabulary
    from duban.supervise.query_tokens import FIELDS

    samples = {
        "lead": "发改经信局",
        "support": "科技局",
        "unit": "kjj",
        "area": "民生实事",
        "section": "",
        "category": "",
        "type": "B",
        "status": "done",
        "light": "red",
        "plan": "shangcheng",
        "due": "",
        "percent": "0",
        "has": "type",
        "parent": "",
        "id": "12",
        "title": "数字",
        "text": "数字",
        "by": "",
        "late": "yes",
    }
    for word in vocabulary.TABLE["field"]:
        if word.key in FIELDS and samples.get(word.key):
            for spelling in word.chinese:
                yield word.key, spelling, samples[word.key]


@pytest.mark.parametrize(("key", "chinese", "value"), list(_fields()))
def test_every_chinese_field_name(varied, key: str, chinese: str, value: str) -> None:
    expected = varied.where(f"{key}:{value}")
    assert expected and varied.where(f"{chinese}:{value}") == expected


@pytest.mark.parametrize(
    ("full_width", "ascii"),
    [
        ("status：done", "status:done"),
        ("（status:done OR status:blocked）", "(status:done OR status:blocked)"),
        ("-（status:done）", "-(status:done)"),
        ("percent＜1", "percent<1"),
        ("percent＞-1", "percent>-1"),
        ("percent＜＝0", "percent<=0"),
        ("percent＞＝0", "percent>=0"),
        ("percent＝0", "percent=0"),
        ("percent！＝50", "percent!=50"),
        ("status:done\u3000light:red", "status:done light:red"),
        ("－status:done", "-status:done"),
        ("“数字”", '"数字"'),
        ("lead：发改经信局\u3000type：Ｂ", "lead:发改经信局 type:B"),
        ("percent<５０％", "percent<50"),
    ],
)
def test_full_width_forms_read_as_ascii(varied, full_width: str, ascii: str) -> None:
    expected = varied.where(ascii)
    assert expected and varied.where(full_width) == expected


def test_full_width_parentheses_in_unit_names(bundled) -> None:
    names = [u.name for p in bundled.plans() for u in p.units if "(" in u.name or "（" in u.name]
    assert names
    for name in names[:5]:
        other = name.translate(str.maketrans("()（）", "（）()"))
        assert refs(bundled, f"unit:{name}") == refs(bundled, f"unit:{other}") != []


def test_negation_double_dash_and_lowercase_or(varied) -> None:
    done = set(varied.where("status:done"))
    assert set(varied.where("-status:done")) == set(varied.where("")) - done
    assert varied.where("--status:done") == varied.where("status:done")  # an option-like term
    either = varied.where("status:done OR status:blocked")
    assert varied.where("status:done or status:blocked") == either
    assert varied.where("状态:已完成 或 状态:受阻") == either


@pytest.mark.parametrize(
    ("query", "reason", "hint"),
    [
        ("lead:不存在单位局", "no selected plan has a unit '不存在单位局'", None),
        ("lead:发改", None, None),  # a part of a name is fine
        ("support:fagaiwei", "no selected plan has a unit 'fagaiwei'", None),
        ("plan:2020-nowhere", "no plan '2020-nowhere'", None),
        ("area:不存在的领域", "no selected plan has an area '不存在的领域'", None),
        ("status:延", "unknown status '延'", "did you mean delayed?"),
        ("light:purple", "unknown light 'purple'", None),
    ],
)
def test_unknown_names_and_values_are_errors_not_empty_lists(
    bundled, query: str, reason: str | None, hint: str | None
) -> None:
    if reason is None:
        assert bundled.where(query)
        return
    with pytest.raises(QueryError) as caught:
        bundled.where(query)
    assert caught.value.reason == reason
    if hint:
        assert caught.value.hint.startswith(hint)


def test_unknown_unit_suggests_the_nearest(bundled) -> None:
    with pytest.raises(QueryError) as caught:
        bundled.where("plan:2019-changning lead:发改韦")
    assert caught.value.hint == "did you mean 发改委?" and caught.value.column == 26


def test_deep_nesting_is_a_query_error() -> None:
    from duban.supervise.query_tokens import MAX_DEPTH

    parse("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH)
    for query in ("(" * 500 + "a", "-(" * 400 + "a", "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1)):
        with pytest.raises(QueryError) as caught:
            parse(query)
        assert caught.value.reason == f"nested too deeply (at most {MAX_DEPTH} levels)"


# The field-term pattern before its key's letters were checked outside the regex (re took
# 1.7 ms to compile its class of 20,000 Chinese characters): the oracle it must agree with.
_FIELD_TERM_BEFORE = re.compile(
    r"^(?P<key>[A-Za-z]+|[\u4e00-\u9fff]+)(?P<op><=|>=|!=|:|<|>|=)(?P<value>.*)$", re.DOTALL
)


@given(strategies.text(alphabet='aZq状态灯㐀龥\u9fff\u4e00:<>=!-1 _"（）：\n', max_size=8))
@example("状态<=进行中")
@example("a1:b")
@example("灯!红:x")
def test_a_field_term_is_what_it_was(text: str) -> None:
    from duban.supervise.query_tokens import field_term

    before, now = _FIELD_TERM_BEFORE.match(text), field_term(text)
    assert (before and before.groupdict()) == (now and now.groupdict())
