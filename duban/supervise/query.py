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
from collections.abc import Iterable

from duban import vocabulary
from duban.i18n import _
from duban.model import Plan
from duban.supervise.query_terms import Term
from duban.supervise.query_tokens import FIELDS, MAX_DEPTH, QueryError, Token, field_term, tokenize
from duban.supervise.query_tree import Matcher, Query, all_of, any_of, not_
from duban.text.pinyin import FULL_WIDTH, text_matches


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
        raise QueryError(
            _("unexpected {text!r}").format(text=token.text),
            query,
            token.column,
            hint=_("a ')' without its '('?") if token.kind == ")" else None,
        )
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
        match = None if token.kind != "word" or text.startswith('"') else field_term(text.translate(FULL_WIDTH))
        if match is not None and not match["key"].isascii() and vocabulary.resolve("field", match["key"]) not in FIELDS:
            found.append(match["key"])
    return found


def text_search_notes(query: str) -> list[str]:
    """What to say when `query` matches nothing and some of its terms look like a field that
    is not one (see unknown_field_words): the command line and the TUI say the same."""
    return [
        _("note: {word!r} is not a field, so it was searched as text (fields: {fields})").format(
            word=word, fields=vocabulary.choices("field", FIELDS)
        )
        for word in unknown_field_words(query)
    ]


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
            raise QueryError(
                _("nested too deeply (at most {levels} levels)").format(levels=MAX_DEPTH), self.query, token.column
            )

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def expression(self) -> Matcher:
        options = [self.conjunction()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.index += 1
            if self.peek() is None or self.peek().kind in ("or", ")"):  # type: ignore[union-attr]
                raise QueryError(_("OR needs a term after it"), self.query, token.column)
            options.append(self.conjunction())
        return options[0] if len(options) == 1 else any_of(options)

    def conjunction(self) -> Matcher:
        parts: list[Matcher] = []
        while (token := self.peek()) is not None and token.kind not in ("or", ")"):
            parts.append(self.term())
        if not parts:
            token = self.peek()
            if token is not None and token.kind == "or":
                raise QueryError(_("OR needs a term before it"), self.query, token.column)
            return lambda task, context: True
        return parts[0] if len(parts) == 1 else all_of(parts)

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
            negated = not_(self.term())
            self.depth -= 1
            return negated
        if text.startswith("--") and len(text) > 2:
            # `--lead:fgw` is someone writing a term as an option: it means lead:fgw.
            return self.term_of(Token("word", text[2:], token.column + 2, token.quoted))
        if text.startswith("-"):
            return not_(self.term_of(Token("word", text[1:], token.column + 1, token.quoted)))
        return self.term_of(token)

    def term_of(self, token: Token) -> Matcher:
        term = Term(self.query, token)
        matcher = term.matcher()
        self.named += term.named
        return matcher


def _check_names(query: str, named: list[tuple[str, str, int]], plans: list[Plan]) -> None:
    """A unit, plan or area that no plan has is a mistake: say so, with the nearest name."""
    if not plans:
        return
    for what, value, column in named:
        if what in ("unit", "late unit"):
            names = [name for plan in plans for unit in plan.units for name in (unit.name, *unit.aliases)]
            if (
                not names
                or any(plan.units.resolve(value) for plan in plans)
                or any(text_matches(value, name) for name in names)
            ):
                continue
            message = (
                _("no selected plan has a unit {value!r}")
                if what == "unit"
                else _("late:{value} should be late:yes, late:no or a unit's name (late:发改委)")
            )
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
        raise QueryError(
            message.format(value=value),
            query,
            column,
            hint=_("did you mean {word}?").format(word=close[0]) if close else None,
        )
