"""ruamel.yaml round-trip, for edits: load-then-dump gives the same bytes, so comments, key
order, quoting and long Chinese lines survive; and new files written in duban's style.

ruamel.yaml is imported where it is used: bulk reads (validate, list, the TUI's start) never
need it, and importing it costs about 10 ms of every command's start."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from typing import TYPE_CHECKING, Any

from duban.i18n import _
from duban.problems import RuleId
from duban.store.yamlio import YamlError, position

if TYPE_CHECKING:
    from ruamel.yaml import YAML


@functools.cache
def _text_dates_constructor() -> type:
    """Round-trip constructor that leaves dates as text, so a bad date can still be located."""
    # Deferred: loads ruamel.yaml.constructor only when this runs
    from ruamel.yaml.constructor import RoundTripConstructor

    constructor: type[RoundTripConstructor] = type("_TextDatesConstructor", (RoundTripConstructor,), {})
    constructor.add_constructor("tag:yaml.org,2002:timestamp", constructor.construct_scalar)
    return constructor


def round_trip(dates_as_text: bool = False) -> YAML:
    """A ruamel.yaml instance set up so that load-then-dump gives the same bytes.

    With `dates_as_text`, for locating problems only, dates are not parsed (a file with
    2019-02-30 still loads); such a document is never dumped.
    """
    # Deferred: loads ruamel.yaml only when this runs
    from ruamel.yaml import YAML

    rt = YAML(typ="rt")
    if dates_as_text:
        rt.Constructor = _text_dates_constructor()
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 100_000  # Chinese lines have no spaces to break at; never re-wrap them
    rt.preserve_quotes = True
    rt.allow_duplicate_keys = False
    return rt


def load_round_trip(text: str, path: str, dates_as_text: bool = False) -> Any:
    try:
        return round_trip(dates_as_text).load(text)
    except Exception as error:  # ruamel raises many unrelated types; all mean "cannot parse"
        mark = getattr(error, "problem_mark", None) or _unbuildable_value(text, dates_as_text)
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        if mark is not None and isinstance(getattr(mark, "index", None), int) and 0 <= mark.index <= len(text):
            line, col = position(text, mark.index)  # ruamel counts NEL and U+2028 as line breaks; editors do not
        message = (getattr(error, "problem", None) or str(error)).strip().splitlines()[0]
        raise YamlError(_(message), rule=RuleId.YAML_SYNTAX, path=path, line=line, col=col) from None


def _unbuildable_value(text: str, dates_as_text: bool) -> Any:
    """Where a value is that ruamel reads but cannot build (`._`, a float to it without a
    digit): its constructor says only what failed, so the document is composed and each value
    built alone until one fails (audit N22: a problem always has its position)."""
    # Deferred: loads ruamel.yaml.nodes only when this runs
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    reader = round_trip(dates_as_text)
    try:
        waiting = [reader.compose(text)]
    except Exception:  # composing fails where loading did: no position to add
        return None
    while waiting:
        node = waiting.pop(0)
        if isinstance(node, ScalarNode):
            try:
                reader.constructor.construct_object(node)
            except Exception:  # any failure is the one loading met
                return node.start_mark
        elif isinstance(node, SequenceNode):
            waiting.extend(node.value)
        elif isinstance(node, MappingNode):
            waiting.extend(part for pair in node.value for part in pair)
    return None


def dump_round_trip(data: Any) -> str:
    stream = io.StringIO()
    round_trip().dump(data, stream)
    return stream.getvalue()


SCHEMA_COMMENT = "yaml-language-server: $schema={}"


def dump_document(fields: dict[str, Any], schema_path: str) -> str:
    """A new plan or task file: the schema comment line, then the fields in the given order.

    Strings that hold line breaks are written as literal blocks so the text reads as in
    the document, ISO dates unquoted, lists of numbers in flow style; everything else in
    the style ruamel chooses. The result round-trips unchanged.
    """
    document = styled(fields)
    document.yaml_set_start_comment(SCHEMA_COMMENT.format(schema_path))
    return dump_round_trip(document)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def styled(value: Any) -> Any:
    """Plain data as round-trip nodes in duban's file style (see dump_document)."""
    # Deferred: loads ruamel.yaml.comments and 1 more only when this runs
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:  # written unquoted, as YAML dates; duban's loaders read them back as text
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = styled(item)
        return mapping
    if isinstance(value, (list, tuple)):
        sequence = CommentedSeq(styled(item) for item in value)
        if value and all(isinstance(item, (int, float)) for item in value):
            sequence.fa.set_flow_style()  # line spans read best as [57, 69]
        return sequence
    return value
