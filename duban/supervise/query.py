"""The query language every interface uses (`duban list QUERY`, report, export, the TUI's filter).

    lead:发改委 area:经济发展 type:A status:delayed light:red plan:2019-changning
    due<2019-06-30 percent<50 has:milestones parent:4 -status:done 白皮书 "两个 优先"
    lead:fgw OR support:fgw        (lead:发改委 OR lead:商务委) -type:C

    状态:进行中 灯:红 牵头:发改委 light：红 (lead：fgw OR 配合：kw)

Terms separated by spaces must all match; OR (or, 或) between terms makes either side
enough (AND binds tighter); `-` negates a term; parentheses group; quotes keep spaces.
Field names and fixed values may be written as the Chinese words of duban.vocabulary
(状态:延期, light:红, type:A类), and full-width punctuation (：（）＜＞＝, the full-width
space, “”) reads as its ASCII twin, as a Chinese input method types it. `--lead:fgw`, as
typed by someone who thinks of options, reads as `lead:fgw`. Text matches substrings,
unit names match their aliases, and letters alone match pinyin initials (jjfz finds
经济发展, fgw finds 发改委). A malformed query, a unit or plan no selected plan has, and
nesting deeper than MAX_DEPTH raise QueryError pointing at the bad term.
"""
from __future__ import annotations

import difflib
import operator
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol
from collections.abc import Callable, Iterable

from duban import vocabulary
from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Task
from duban.text.pinyin import FULL_WIDTH, _is_initials, prefer_common_readings, text_matches

FIELDS = ("lead", "support", "unit", "area", "section", "category", "type", "status", "light", "plan",
          "due", "percent", "has", "parent", "id", "title", "text", "by", "late")
COMPARABLE = ("due", "percent")
HAS = ("milestones", "due", "parent", "progress", "lead", "support", "indicators", "type", "section",
       "category", "report")
LIGHTS = vocabulary.keys("light")
# Parentheses and negated groups deeper than this are refused: each level is a Python frame
# when parsing and when matching, and ~500 of them ended in RecursionError.
MAX_DEPTH = 64
OR_WORDS = ("OR", "or", "Or", "或", "或者")


def _one_of(options: tuple[str, ...]) -> str:
    return _("one of {options}").format(options=", ".join(options))


def _one_of_words(kind: str, among: tuple[str, ...] | None = None) -> str:
    return _("one of {options}").format(options=vocabulary.choices(kind, among))


class QueryError(DubanError):
    """A query that cannot be read; `column` (1-based) points at the bad term."""

    def __init__(self, message: str, query: str, column: int, hint: str | None = None) -> None:
        term = query[column - 1:].split(" ")[0][:30] if 0 < column <= len(query) else ""
        super().__init__(_("query column {column} ({term!r}): {message}").format(
            column=column, term=term, message=message) if term else
            _("query column {column}: {message}").format(column=column, message=message), hint=hint)
        self.query = query
        self.column = column
        self.reason = message


class Context(Protocol):
    """What matching needs beyond the task itself."""

    def plan(self, task: Task) -> Plan: ...
    def plan_of(self, plan_id: str) -> Plan: ...
    def lead(self, task: Task) -> tuple[str, ...]: ...
    def light(self, task: Task) -> tuple[str, bool]: ...  # (colour, late report)


# ---- tokens ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Token:
    kind: str   # "word", "(", ")", "or"
    text: str
    column: int
    quoted: bool = False


# A "(...)" right after word characters belongs to the word, as in 发改委(统计局) or
# 相关县(市、区)政府; elsewhere parentheses group terms. "-(" negates a group.
_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|(?P<neg>-(?=\())|'
                    r'(?P<word>(?:"[^"]*"?|[^\s()"])(?:"[^"]*"?|\([^\s()]*\)|[^\s()"])*))')


def tokenize(query: str) -> list[Token]:
    query = query.translate(FULL_WIDTH)
    tokens = []
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        if match.group("paren"):
            tokens.append(Token(match.group("paren"), match.group("paren"), match.start("paren") + 1))
            continue
        if match.group("neg"):
            tokens.append(Token("word", "-", match.start("neg") + 1))
            continue
        raw = match.group("word")
        column = match.start("word") + 1
        if raw.count('"') % 2:
            raise QueryError(_("unclosed quote"), query, column + raw.index('"'), hint=_('close it with "'))
        if raw in OR_WORDS:
            tokens.append(Token("or", raw, column))
        else:
            tokens.append(Token("word", raw, column, quoted='"' in raw))
    return tokens


# ---- the tree ------------------------------------------------------------------------------

Matcher = Callable[[Task, Context], bool]


# Loops, not all()/any() over a generator: a filter keystroke in the TUI runs these 10,000
# times, and the generator's frame cost a fifth of a two-term query. Each matcher says what it
# is made of (_PARTS, _COLUMN), so that Query.positions can answer it column by column.
_PARTS, _COLUMN = "_duban_parts", "_duban_column"


def _all(parts: list[Matcher]) -> Matcher:
    def match(task: Task, context: Context) -> bool:
        for part in parts:
            if not part(task, context):
                return False
        return True
    setattr(match, _PARTS, ("all", parts))
    return match


def _any(parts: list[Matcher]) -> Matcher:
    def match(task: Task, context: Context) -> bool:
        for part in parts:
            if part(task, context):
                return True
        return False
    setattr(match, _PARTS, ("any", parts))
    return match


def _not(part: Matcher) -> Matcher:
    def match(task: Task, context: Context) -> bool:
        return not part(task, context)
    setattr(match, _PARTS, ("not", [part]))
    return match


# How a one-field term decides: test(plan id, the task's value of the field, context).
ColumnTest = Callable[[str, Any, Context], bool]


def _on_column(field: str, test: ColumnTest) -> Matcher:
    """A term decided by one field of a task (and its plan) alone: test(plan id, the task's
    value, context). Over a plan snapshot it is asked once per distinct value (Query.positions)."""
    if field == "lead":
        def match(task: Task, context: Context) -> bool:
            return test(task.plan_id, context.lead(task), context)
    else:
        value_of = operator.attrgetter(field)

        def match(task: Task, context: Context) -> bool:
            return test(task.plan_id, value_of(task), context)
    setattr(match, _COLUMN, (field, test))
    return match


def _mask(matcher: Matcher, plan_id: str, values_of: Callable[[str], list[Any]], context: Context) -> list[bool] | None:
    """Whether each task of one plan snapshot matches, from the columns values_of gives; None
    when a term needs more than one field (a light, a percent, free text): then task by task."""
    parts = getattr(matcher, _PARTS, None)
    if parts is not None:
        kind, inner = parts
        masks = []
        for part in inner:
            mask = _mask(part, plan_id, values_of, context)
            if mask is None:
                return None
            masks.append(mask)
        if kind == "not":
            return [not hit for hit in masks[0]]
        combined = masks[0]
        for mask in masks[1:]:
            combined = [a and b for a, b in zip(combined, mask)] if kind == "all" else \
                [a or b for a, b in zip(combined, mask)]
        return combined
    column = getattr(matcher, _COLUMN, None)
    if column is None:
        return None
    field, test = column
    answers: dict[Any, bool] = {}
    found = []
    try:
        for value in values_of(field):
            hit = answers.get(value)
            if hit is None:
                hit = answers[value] = test(plan_id, value, context)
            found.append(hit)
    except TypeError:  # a value that cannot be a key (a damaged snapshot): task by task
        return None
    return found


@dataclass
class Query:
    text: str
    matcher: Matcher

    def matches(self, task: Task, context: Context) -> bool:
        return self.matcher(task, context)

    def filter(self, tasks: list[Task], context: Context) -> list[Task]:
        return [task for task in tasks if self.matcher(task, context)]

    def positions(self, plan_id: str, values_of: Callable[[str], list[Any]], context: Context) -> list[int] | None:
        """The positions of one plan snapshot's matching tasks, worked out column by column
        (values_of(field): the field's value for each task, the lead the effective one), each
        term asked once per distinct value: at 100,000 tasks a tenth of matching task by
        task. None when the query needs a term that is not one field's (see _mask)."""
        mask = _mask(self.matcher, plan_id, values_of, context)
        return None if mask is None else [at for at, hit in enumerate(mask) if hit]


def parse(query: str, plans: Iterable[Plan] | None = None) -> Query:
    """Parse `query`; an empty query matches everything.

    With `plans` (the plans the query will run over), a unit, plan or area that none of
    them has is an error with a did-you-mean, not a silent empty result.
    """
    tokens = tokenize(query)
    parser = _Parser(query, tokens)
    matcher = parser.expression()
    if parser.index < len(tokens):
        token = tokens[parser.index]
        raise QueryError(_("unexpected {text!r}").format(text=token.text), query, token.column,
                         hint=_("a ')' without its '('?") if token.kind == ")" else None)
    if plans is not None:
        _check_names(query, parser.named, list(plans))
    return Query(query, matcher)


def unknown_field_words(query: str) -> list[str]:
    """The terms written like a Chinese field (乱写:1, 任务名称:土地) whose word before the colon
    is not a field: they are searched as text, as titles hold such colons; when nothing
    matches, the interface says so rather than give an empty list without a word."""
    found = []
    for token in tokenize(query):
        text = token.text.lstrip("-")
        match = None if token.kind != "word" or text.startswith('"') else _field_term(text.translate(FULL_WIDTH))
        if match is not None and not match["key"].isascii() and vocabulary.resolve("field", match["key"]) not in FIELDS:
            found.append(match["key"])
    return found


def text_search_notes(query: str) -> list[str]:
    """What to say when `query` matches nothing and some of its terms look like a field that
    is not one (see unknown_field_words): the command line and the TUI say the same."""
    return [_("note: {word!r} is not a field, so it was searched as text (fields: {fields})").format(
        word=word, fields=vocabulary.choices("field", FIELDS)) for word in unknown_field_words(query)]


class _Parser:
    def __init__(self, query: str, tokens: list[Token]) -> None:
        self.query = query
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        # (what, value, column) of every unit, plan and area the query names, checked
        # against the plans by parse().
        self.named: list[tuple[str, str, int]] = []

    def deeper(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(_("nested too deeply (at most {levels} levels)").format(levels=MAX_DEPTH),
                             self.query, token.column)

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def expression(self) -> Matcher:
        options = [self.conjunction()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.index += 1
            if self.peek() is None or self.peek().kind in ("or", ")"):  # type: ignore[union-attr]
                raise QueryError(_("OR needs a term after it"), self.query, token.column)
            options.append(self.conjunction())
        return options[0] if len(options) == 1 else _any(options)

    def conjunction(self) -> Matcher:
        parts: list[Matcher] = []
        while (token := self.peek()) is not None and token.kind not in ("or", ")"):
            parts.append(self.term())
        if not parts:
            token = self.peek()
            if token is not None and token.kind == "or":
                raise QueryError(_("OR needs a term before it"), self.query, token.column)
            return lambda task, context: True
        return parts[0] if len(parts) == 1 else _all(parts)

    def term(self) -> Matcher:
        token = self.tokens[self.index]
        self.index += 1
        if token.kind == "(":
            self.deeper(token)
            inner = self.expression()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QueryError(_("unclosed '('"), self.query, token.column, hint=_("add ')'"))
            self.index += 1
            self.depth -= 1
            return inner
        if token.kind == ")":
            raise QueryError(_("unexpected ')'"), self.query, token.column)
        text = token.text
        if text == "-":
            following = self.peek()
            if following is None or following.kind != "(":
                raise QueryError(_("'-' needs a term right after it"), self.query, token.column)
            self.deeper(token)
            negated = _not(self.term())
            self.depth -= 1
            return negated
        if text.startswith("--") and len(text) > 2:
            # `--lead:fgw` is someone writing a term as an option: it means lead:fgw.
            return self.term_of(Token("word", text[2:], token.column + 2, token.quoted))
        if text.startswith("-"):
            return _not(self.term_of(Token("word", text[1:], token.column + 1, token.quoted)))
        return self.term_of(token)

    def term_of(self, token: Token) -> Matcher:
        term = _Term(self.query, token)
        matcher = term.matcher()
        self.named += term.named
        return matcher


# A field term is KEY OP VALUE, its key ASCII letters or Chinese characters (U+4E00-U+9FFF).
# The key's letters are checked after the match: a class of 20,000 characters in the pattern
# took re 1.7 ms to compile, a seventieth of a warm `list`.
_FIELD_TERM = re.compile(r"^(?P<key>[^<>=!:]+?)(?P<op><=|>=|!=|:|<|>|=)(?P<value>.*)$", re.DOTALL)


def _field_term(text: str) -> re.Match[str] | None:
    match = _FIELD_TERM.match(text)
    if match is None:
        return None
    key = match["key"]
    if (key.isascii() and key.isalpha()) or all("\u4e00" <= character <= "\u9fff" for character in key):
        return match
    return None


class _Term:
    def __init__(self, query: str, token: Token) -> None:
        self.query = query
        self.token = token
        self.named: list[tuple[str, str, int]] = []

    def error(self, message: str, hint: str | None = None, offset: int = 0) -> QueryError:
        return QueryError(message, self.query, self.token.column + offset, hint=hint)

    def value_error(self, message: str, hint: str | None = None) -> QueryError:
        """An error in the term's value: its column is the value's (percent<abc at `abc`)."""
        return self.error(message, hint, self.value_offset)

    def matcher(self) -> Matcher:
        text = self.token.text
        match = None if text.startswith('"') else _field_term(text)
        if match is None:
            return _free_text(_unquote(text))
        key, op, value = match["key"], match["op"], _unquote(match["value"])
        if not key.isascii():
            # A Chinese field name (状态:延期); other Chinese text before a colon is just text.
            key = vocabulary.resolve("field", key) or ""
            if key not in FIELDS:
                return _free_text(_unquote(text))
        elif key.lower() in FIELDS:
            key = key.lower()  # Lead:, STATUS:
        elif key.islower() and vocabulary.resolve("field", key, FIELDS):
            key = vocabulary.resolve("field", key, FIELDS) or key  # zt:jxz, the initials of 状态:进行中
        elif not key.islower():
            return _free_text(_unquote(text))  # GDP:5 is text, as it always was
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            raise self.error(_("unknown field {name!r}").format(name=match["key"]),
                             hint=_("did you mean {name}:?").format(name=close[0]) if close
                             else _("fields: {fields}").format(fields=vocabulary.choices("field", FIELDS)))
        self.value_offset = match.start("value")
        if value == "":
            raise self.error(_("{term} needs a value").format(term=key + op))
        if op not in (":", "=") and key not in COMPARABLE:
            raise self.error(_("{key} cannot be compared with {op}").format(key=key, op=op),
                             hint=_("write {term}").format(term=f"{key}:{value}"))
        if key == "due":
            return self._due(op, value)
        if key == "percent":
            return self._percent(op, value)
        return getattr(self, f"_{key}", self._text_field(key))(value)

    # -- comparisons --
    def _due(self, op: str, value: str) -> Matcher:
        from duban.dates import parse_day

        try:
            day = parse_day(value).isoformat()  # 2019年6月30日 and 2019/6/30 as --date takes them
        except DubanError:
            raise self.value_error(_("{value!r} is not a date").format(value=value),
                             hint=_("write {term}").format(term="due<2019-06-30")) from None
        compare = _COMPARE[op]
        return _on_column("due", lambda plan_id, due, context: due is not None and compare(due, day))

    def _percent(self, op: str, value: str) -> Matcher:
        try:
            number = float(unicodedata.normalize("NFKC", value).rstrip("%"))
        except ValueError:
            raise self.value_error(_("{value!r} is not a number").format(value=value),
                             hint=_("write {term}").format(term="percent<50")) from None
        compare = _COMPARE[op]
        return lambda task, context: compare(task.percent or 0, number)

    # -- fields with a fixed set of values: the key, its Chinese words or their initials --
    def _word(self, kind: str, value: str, unknown: str, among: tuple[str, ...] | None = None) -> str:
        key = vocabulary.resolve(kind, value, among)
        if key is not None and (among is None or key in among):
            return key
        several = vocabulary.ambiguous(kind, value, among)
        if len(several) > 1:
            raise self.value_error(_("{value!r} is ambiguous").format(value=value),
                                   hint=_one_of(tuple(vocabulary.shown(kind, k) for k in several)))
        close = vocabulary.suggest(kind, value, among)
        raise self.value_error(unknown.format(value=value),
                               hint=(_("did you mean {word}?").format(word=close) + " " if close else "")
                               + _one_of_words(kind, among))

    def _status(self, value: str) -> Matcher:
        wanted = self._word("status", value, _("unknown status {value!r}"))
        return _on_column("status", lambda plan_id, status, context: status == wanted)

    def _type(self, value: str) -> Matcher:
        wanted = self._word("type", value.rstrip("类"), _("unknown type {value!r}"))
        return _on_column("type", lambda plan_id, kind, context: kind == wanted)

    def _light(self, value: str) -> Matcher:
        wanted = self._word("light", value, _("unknown light {value!r}"))
        return lambda task, context: context.light(task)[0] == wanted

    def _late(self, value: str) -> Matcher:
        if value in ("true", "false"):
            value = "yes" if value == "true" else "no"
        if vocabulary.resolve("late", value) is None:
            raise self.value_error(_("{term} should be late:yes or late:no").format(term=f"late:{value}"),
                                   hint=_one_of_words("late"))
        wanted = vocabulary.resolve("late", value) == "yes"
        return lambda task, context: context.light(task)[1] == wanted

    def _has(self, value: str) -> Matcher:
        value = self._word("field", value, _("unknown {term}").format(term="has:{value}"), HAS)
        getters: dict[str, Callable[[Task], Any]] = {
            "milestones": lambda t: t.milestones, "due": lambda t: t.due, "parent": lambda t: t.parent,
            "progress": lambda t: t.progress, "report": lambda t: t.progress, "lead": lambda t: t.lead,
            "support": lambda t: t.support, "indicators": lambda t: t.indicators, "type": lambda t: t.type,
            "section": lambda t: t.section, "category": lambda t: t.category}
        getter = getters[value]
        return lambda task, context: bool(getter(task))

    def _plan(self, value: str) -> Matcher:
        self.named.append(("plan", value, self.token.column + self.value_offset))
        return _on_column("plan_id", lambda plan_id, _plan, context: plan_id == value or (value in plan_id))

    def _parent(self, value: str) -> Matcher:
        return _on_column("parent", lambda plan_id, parent, context: parent == value)

    def _id(self, value: str) -> Matcher:
        return _on_column("id", lambda plan_id, task_id, context: task_id == value)

    # -- units --
    def _lead(self, value: str) -> Matcher:
        self.named.append(("unit", value, self.token.column + self.value_offset))
        return _unit_matcher(value, "lead")

    def _support(self, value: str) -> Matcher:
        self.named.append(("unit", value, self.token.column + self.value_offset))
        return _unit_matcher(value, "support")

    def _unit(self, value: str) -> Matcher:
        self.named.append(("unit", value, self.token.column + self.value_offset))
        return _unit_matcher(value, None, lambda task, context: (*context.lead(task), *task.support,
                                                                 *(r.by for r in task.progress if r.by)))

    def _by(self, value: str) -> Matcher:
        self.named.append(("unit", value, self.token.column + self.value_offset))
        return _unit_matcher(value, None, lambda task, context: tuple(r.by for r in task.progress if r.by))

    def _text_field(self, key: str) -> Callable[[str], Matcher]:
        def make(value: str) -> Matcher:
            if key == "area":
                self.named.append(("area", value, self.token.column + self.value_offset))
            if key != "text":  # the long text is not a column
                return _on_column(key, lambda plan_id, text, context: text_matches(value, text))
            return lambda task, context: text_matches(value, task.text)
        return make


def _unquote(text: str) -> str:
    return text.replace('"', "")


def _check_names(query: str, named: list[tuple[str, str, int]], plans: list[Plan]) -> None:
    """A unit, plan or area that no plan has is a mistake: say so, with the nearest name."""
    if not plans:
        return
    for what, value, column in named:
        if what == "unit":
            names = [name for plan in plans for unit in plan.units for name in (unit.name, *unit.aliases)]
            if not names or any(plan.units.resolve(value) for plan in plans) or any(
                    text_matches(value, name) for name in names):
                continue
            message = _("no selected plan has a unit {value!r}")
        elif what == "plan":
            names = [plan.id for plan in plans]
            if any(value in name for name in names):
                continue
            message = _("no plan {value!r}")
        else:
            names = [name for plan in plans for area in plan.areas for name in (area.name, *area.sections)]
            if not names or any(text_matches(value, name) for name in names):
                continue
            message = _("no selected plan has an area {value!r}")
        close = difflib.get_close_matches(value, sorted(set(names)), n=1, cutoff=0.5)
        if not close and not value.isascii():
            # Short Chinese names differ by a character or two: a name holding at least half
            # of what was typed is a hint (发改 for 发改委), a shared 单位 is not.
            shared = {n: len(set(value) & set(n)) / len(set(value)) for n in set(names)}
            close = sorted((n for n, share in shared.items() if share >= 0.5), key=lambda n: (-shared[n], n))[:1]
        raise QueryError(message.format(value=value), query, column,
                         hint=_("did you mean {word}?").format(word=close[0]) if close else None)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "=": lambda a, b: a == b, ":": lambda a, b: a == b,
    "!=": lambda a, b: a != b}


def _free_text(value: str) -> Matcher:
    # A plan id or a task's ref typed as it is printed (2019-changning, 2019-changning/3) means
    # that plan or that task: no title holds it, so as text it would find nothing.
    folded = value.strip().lower()
    return lambda task, context: text_matches(value, task.title) or (
        not _is_initials(value) and value.lower() in task.text.lower()) or folded in (
        task.plan_id.lower(), task.ref.lower())


def _unit_matcher(value: str, field: str | None,
                  names_of: Callable[[Task, Context], tuple[str, ...]] | None = None) -> Matcher:
    """A term on the units a task names: its `field` (lead, the effective one, or support),
    or, without one, the names names_of gives."""
    # Which registered units the value names is worked out once per plan (a registry holds
    # tens of units), so each task costs only dictionary look-ups, even with 10,000 tasks.
    wanted_by_plan: dict[str, set[str]] = {}

    def wanted_in(plan: Plan) -> set[str]:
        if plan.id not in wanted_by_plan:
            named = plan.units.resolve(value)
            matched = [unit for unit in plan.units
                       if unit is named or any(text_matches(value, s) for s in (unit.name, *unit.aliases))]
            if _is_initials(value) and named is None:
                matched = prefer_common_readings(value, matched, lambda u: (u.name, *u.aliases))
            wanted_by_plan[plan.id] = {unit.name for unit in matched}
        return wanted_by_plan[plan.id]

    # Whether a name a task gives names a wanted unit, by plan and name: 10,000 tasks name a
    # few dozen units, so each is resolved once, not once a task (a third of a keystroke).
    named_by_plan: dict[tuple[str, str], bool] = {}

    def names_wanted(plan: Plan, name: str) -> bool:
        key = (plan.id, name)
        found = named_by_plan.get(key)
        if found is None:
            unit = plan.units.resolve(name)
            found = named_by_plan[key] = (unit.name in wanted_in(plan)) if unit is not None \
                else text_matches(value, name)
        return found

    # And whether a task's names name one, by plan and names: 100,000 tasks give a few hundred
    # distinct lists, so a task costs one look-up (the plan and the loop were two thirds of
    # a `list lead:fgw` query's time).
    answer_by_names: dict[tuple[str, tuple[str, ...]], bool] = {}

    def answer(plan_id: str, names: tuple[str, ...], context: Context) -> bool:
        if not names:
            return False
        key = (plan_id, tuple(names))
        found = answer_by_names.get(key)
        if found is None:
            plan = context.plan_of(plan_id)
            found = answer_by_names[key] = any(names_wanted(plan, name) for name in names)
        return found

    if field is not None:
        return _on_column(field, answer)
    assert names_of is not None
    return lambda task, context: answer(task.plan_id, names_of(task, context), context)
