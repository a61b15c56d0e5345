"""A query's words: the fields it may name, its tokens, and QueryError pointing at one
(the language itself is described in query.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from duban import vocabulary
from duban.errors import DubanError
from duban.i18n import _
from duban.text.pinyin import FULL_WIDTH

FIELDS = (
    "lead",
    "support",
    "unit",
    "area",
    "section",
    "category",
    "type",
    "status",
    "light",
    "plan",
    "due",
    "percent",
    "has",
    "parent",
    "id",
    "title",
    "text",
    "by",
    "late",
)
COMPARABLE = ("due", "percent")
HAS = (
    "milestones",
    "due",
    "parent",
    "progress",
    "lead",
    "support",
    "indicators",
    "type",
    "section",
    "category",
    "report",
)
LIGHTS = vocabulary.keys("light")
# Parentheses and negated groups deeper than this are refused: each level is a Python frame
# when parsing and when matching, and ~500 of them ended in RecursionError.
MAX_DEPTH = 64
OR_WORDS = ("OR", "or", "Or", "或", "或者")


class QueryError(DubanError):
    """A query that cannot be read; `column` (1-based) points at the bad term."""

    def __init__(self, message: str, query: str, column: int, hint: str | None = None) -> None:
        term = query[column - 1 :].split(" ")[0][:30] if 0 < column <= len(query) else ""
        super().__init__(
            _("query column {column} ({term!r}): {message}").format(column=column, term=term, message=message)
            if term
            else _("query column {column}: {message}").format(column=column, message=message),
            hint=hint,
        )
        self.query = query
        self.column = column
        self.reason = message


@dataclass(frozen=True)
class Token:
    kind: str  # "word", "(", ")", "or"
    text: str
    column: int
    quoted: bool = False


# A "(...)" right after word characters belongs to the word, as in 发改委(统计局) or
# 相关县(市、区)政府; elsewhere parentheses group terms. "-(" negates a group.
_TOKEN = re.compile(
    r"\s*(?:(?P<paren>[()])|(?P<neg>-(?=\())|"
    r'(?P<word>(?:"[^"]*"?|[^\s()"])(?:"[^"]*"?|\([^\s()]*\)|[^\s()"])*))'
)


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


# A field term is KEY OP VALUE, its key ASCII letters or Chinese characters (U+4E00-U+9FFF).
# The key's letters are checked after the match: a class of 20,000 characters in the pattern
# took re 1.7 ms to compile, a seventieth of a warm `list`.
FIELD_TERM = re.compile(r"^(?P<key>[^<>=!:]+?)(?P<op><=|>=|!=|:|<|>|=)(?P<value>.*)$", re.DOTALL)


def field_term(text: str) -> re.Match[str] | None:
    match = FIELD_TERM.match(text)
    if match is None:
        return None
    key = match["key"]
    if (key.isascii() and key.isalpha()) or all("\u4e00" <= character <= "\u9fff" for character in key):
        return match
    return None
