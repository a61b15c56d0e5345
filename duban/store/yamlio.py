"""The one place that sets up YAML: a fast C loader for bulk reads, ruamel.yaml round-trip for edits.

Bulk reads (validate, list) use PyYAML's libyaml-backed CSafeLoader, about 16x faster than
ruamel's round-trip loader. Round-trip is kept for writing a file and for turning a problem's
pointer into a line and column, so comments, key order, quoting and long Chinese lines survive.

Both loaders reject what has no place in a duban file: duplicate keys, anchors and aliases
(which also rules out alias bombs), and tags outside the YAML core schema. Dates stay the
strings they are written as, so the schema checks them and a bad date gets a position.
"""
from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from duban.errors import DubanError
from duban.store.files import MAX_FILE_BYTES, read_bytes  # noqa: F401 - moved to files; kept for yamlio.read_bytes callers
from duban.i18n import N_, _
from duban.problems import Pointer, Problem, RuleId
from duban.text.hygiene import NUMBER_START, ambiguous_scalar

if TYPE_CHECKING:
    from ruamel.yaml import YAML

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(DubanError):
    """A file that cannot be read as YAML, with its position and the rule it breaks."""

    def __init__(self, message: str, *, rule: str, path: str | None = None,
                 line: int | None = None, col: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, path=path, line=line, col=col, hint=hint)
        self.rule = str(rule)  # plain text, not the RuleId (see Problem)


class _StrictFastLoader(_BaseLoader):
    """CSafeLoader that refuses duplicate and merge keys and keeps dates as text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        # Comparing sizes keeps the common case free of a Python loop over the keys.
        if len(mapping) != len(node.value):
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
        return mapping

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed in duban files", key_node.start_mark)

    def construct_timestamp_as_text(self, node: yaml.ScalarNode) -> str:
        return self.construct_scalar(node)


class _NoAliasFastLoader(_StrictFastLoader):
    """For text that has an anchor (&): also refuses aliases, which rules out alias bombs."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A node met twice is an alias (*name): refuse it rather than expand it.
        if node in self.constructed_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (&name, *name) are not allowed in duban files",
                node.start_mark)
        return super().construct_object(node, deep=deep)


_StrictFastLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                  _StrictFastLoader.construct_timestamp_as_text)

_STR, _SEQ, _MAP, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map", "merge"))
# Scalars whose SafeConstructor function returns the value itself (not a generator).
_PLAIN_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))


class _Unusual(Exception):
    """A node the direct builder leaves to PyYAML's constructor (a tag beyond the core ones)."""


def _build(loader: _StrictFastLoader, node: yaml.Node) -> Any:
    """The document under `node`, built directly: the same values PyYAML's SafeConstructor
    gives (its own functions build every scalar but text), without its generator machinery
    for recursive structures, which duban's files, free of aliases, never need. Twice as fast
    on task files; _Unusual sends anything else back to the constructor."""
    kind = node.__class__
    tag = node.tag
    if kind is yaml.ScalarNode:
        if tag == _STR:
            return node.value
        if tag not in _PLAIN_SCALARS:
            raise _Unusual
        try:
            return loader.yaml_constructors[tag](loader, node)
        except (ValueError, IndexError, OverflowError):  # `!!int` on nothing, `!!float abc`
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid {tag.rsplit(':', 1)[-1]}", node.start_mark) from None
    if kind is yaml.SequenceNode and tag == _SEQ:
        return [_build(loader, item) for item in node.value]
    if kind is yaml.MappingNode and tag == _MAP:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                loader.flatten_mapping(node)  # raises: merge keys are refused
            if isinstance(key_node, yaml.CollectionNode):
                raise _Unusual  # a list or mapping as a key: the constructor refuses it before building it
            key = _build(loader, key_node)
            try:
                if key in mapping:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark)
            except TypeError:  # an unhashable key: the constructor words that error
                raise _Unusual from None
            mapping[key] = _build(loader, value_node)
        return mapping
    raise _Unusual


class ScalarNotes:
    """What the loader noticed of a document's plain scalars, for validate's checks of values
    the two YAML readers may read differently (hygiene): each scalar read as a date, and
    whether one is shaped like an ambiguous number. Noted as each is resolved, so validate
    does not search the text for them again (a fifteenth of a first `validate`)."""

    def __init__(self) -> None:
        self.dates: list[str] = []
        self.ambiguous = False
        self.complete = False  # set by load_fast once every scalar was seen by this resolver


_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _QuickResolveLoader(_StrictFastLoader):
    """libyaml asks the Python resolver for the tag of every node it composes; this answers
    as PyYAML's BaseResolver.resolve does for the core schema duban uses (no path resolvers,
    no wildcard ones), with less work per call, and notes its plain scalars (ScalarNotes)
    when asked to. Kept to _load_c; the property tests compare it with the full resolver."""

    notes: ScalarNotes | None = None

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                found = _STR
                for tag, regexp in self.yaml_implicit_resolvers.get(value[0] if value else "", ()):
                    if regexp.match(value):
                        found = tag
                        break
                notes = self.notes
                if notes is not None and value and value[0] in NUMBER_START:
                    if found == _TIMESTAMP:
                        notes.dates.append(value)
                    elif not notes.ambiguous and not (value.isdigit() and value[0] != "0"):  # 30: plainly 30
                        notes.ambiguous = ambiguous_scalar(value)
                return found
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # only path resolvers need these, and duban registers none

    def ascend_resolver(self) -> None:
        pass


def _load_c(text: str, notes: ScalarNotes | None = None) -> Any:
    """One document through libyaml's parser and composer, then _build (or, for the rare file
    with an anchor or an unusual node, the strict constructors, and nothing noted)."""
    if "&" in text:  # an alias needs an anchor: only then is the slower, alias-refusing path needed
        return yaml.load(text, Loader=_NoAliasFastLoader)
    loader = _QuickResolveLoader(text)
    loader.notes = notes
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _build(loader, node)
        except _Unusual:
            return loader.construct_document(node)
    finally:
        loader.dispose()


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a file (a BOM is dropped); other encodings get a positioned error."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data), path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        hint = _("re-save it as UTF-8")
        try:
            data.decode("gb18030")
            hint = _("it looks like GB18030/GBK; re-save it as UTF-8")
        except UnicodeDecodeError:
            pass
        raise YamlError(_("file is not valid UTF-8"), rule=RuleId.ENCODING, path=path,
                        line=line, col=col, hint=hint) from None
    if "\x00" in text:
        line, col = position(text, text.index("\x00"))
        raise YamlError(_("file contains binary data (NUL byte)"), rule=RuleId.ENCODING, path=path,
                        line=line, col=col, hint=_("a task file is UTF-8 text"))
    return text


def _too_large(size: int, path: str) -> YamlError:
    return YamlError(_("file is too large ({size} KB)").format(size=size // 1024), rule=RuleId.TOO_LARGE, path=path,
                     hint=_("duban files are at most {limit} MB").format(limit=MAX_FILE_BYTES // 1024 // 1024))


def read_text(path: Path, shown_as: str | None = None) -> str:
    shown = shown_as or str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _too_large(path.stat().st_size, shown)
        data = path.read_bytes()
    except OSError as error:
        raise YamlError(_("cannot read file: {reason}").format(reason=error.strerror), rule=RuleId.IO, path=shown) from None
    return decode(data, shown)


MAX_DEPTH = 64  # a task file nests four levels; libyaml's composer crashes near 100,000
_FLOW = re.compile(r"""[\[\]{}]|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'""")
_BLOCK_DASHES = re.compile(r"^[ \t]*(?:-[ \t]+)+", re.MULTILINE)
_INDENT = re.compile(r"^[ ]+", re.MULTILINE)


def _too_deep(text: str) -> tuple[int, int] | None:
    """(line, column) where nesting passes MAX_DEPTH, or None. The common case costs three
    C-level counts; only text with many brackets, dashes or deep indentation is scanned."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        for match in _FLOW.finditer(text):
            token = match.group()
            if token in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return position(text, match.start())
            elif token in "]}":
                depth = max(0, depth - 1)
    if text.count("- ") > MAX_DEPTH:
        for match in _BLOCK_DASHES.finditer(text):
            if match.group().count("-") > MAX_DEPTH:
                return position(text, match.start())
    if "\n" + " " * (4 * MAX_DEPTH) in text:
        for match in _INDENT.finditer(text):
            if len(match.group()) > 4 * MAX_DEPTH:
                return position(text, match.end())
    return None


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`, lines counted by \\n as editors count them."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load_fast(text: str, path: str, notes: ScalarNotes | None = None) -> Any:
    """Parse one YAML document with the C loader; YamlError with a position on failure.
    With `notes`, what is noticed of its plain scalars is noted there (ScalarNotes), and
    notes.complete says whether every scalar was seen (not in a file with an anchor, which
    the loader reads another way)."""
    deep = _too_deep(text)
    if deep is not None:
        raise YamlError(_("nesting is deeper than {depth} levels").format(depth=MAX_DEPTH), rule=RuleId.YAML_DEPTH,
                        path=path, line=deep[0], col=deep[1], hint=_("a task file nests a few levels at most"))
    try:
        document = _load_c(text, notes)
        if notes is not None:
            notes.complete = "&" not in text  # the road with anchors notes nothing
        return document
    except yaml.MarkedYAMLError as error:
        raise _from_pyyaml(error, text, path) from None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (a control character): give its position.
        line, col = position(text, min(error.position, len(text)))
        raise YamlError(_("character {character!r} is not allowed in YAML").format(character=error.character),
                        rule=RuleId.YAML_SYNTAX, path=path, line=line, col=col, hint=_("remove it")) from None
    except yaml.YAMLError as error:
        raise YamlError(str(error).splitlines()[0], rule=RuleId.YAML_SYNTAX, path=path) from None
    except RecursionError:
        raise YamlError(_("nesting is too deep"), rule=RuleId.YAML_SYNTAX, path=path) from None
    except (ValueError, IndexError, OverflowError, TypeError):  # PyYAML's constructor on a bad explicit tag
        raise YamlError(_("a value does not fit its tag"), rule=RuleId.YAML_TAG, path=path,
                        hint=_("remove the tag; duban files use plain YAML")) from None


_NOT_VALID = re.compile(r"(.*) is not a valid (null|bool|int|float|timestamp)$", re.DOTALL)


def _from_pyyaml(error: yaml.MarkedYAMLError, text: str, path: str) -> YamlError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    problem = (error.problem or error.context or "invalid YAML").strip()
    rule = RuleId.YAML_SYNTAX
    hint = None
    if problem.startswith("merge keys"):
        problem, rule, hint = _("merge keys (<<) are not allowed in duban files"), RuleId.YAML_MERGE, \
            _("write the keys out in full")
    elif _NOT_VALID.match(problem):
        value, kind = _NOT_VALID.match(problem).groups()  # type: ignore[union-attr]
        problem, rule, hint = _("{value} is not a valid {kind}").format(value=value, kind=kind), RuleId.YAML_TAG, \
            _("remove the tag; duban files use plain YAML")
    elif problem.startswith("duplicate key"):
        key = problem[len("duplicate key "):]
        problem, rule, hint = _("duplicate key {key}").format(key=key), RuleId.DUPLICATE_KEY, _("keep one of them")
    elif problem.startswith("anchors and aliases"):
        problem = _("anchors and aliases (&name, *name) are not allowed in duban files")
        rule, hint = RuleId.YAML_ALIAS, _("write the value out in full")
        # The C composer hands over the anchored node, not the alias; point at the first *alias.
        use = _ALIAS_USE.search(text)
        if use:
            line, col = position(text, use.start(1))
    elif "could not determine a constructor" in problem:
        tag = problem.split("tag", 1)[-1].strip(" '").replace("tag:yaml.org,2002:", "!!")
        problem, rule, hint = _("unknown tag {tag}").format(tag=tag), RuleId.YAML_TAG, \
            _("remove the tag; duban files use plain YAML")
    elif "'\\t'" in problem or "\t" in _indentation(_line_at(text, mark)):
        problem, rule, hint = _("tab character in indentation"), RuleId.YAML_TAB, _("indent with spaces")
    elif error.context and error.problem:
        context_mark = error.context_mark
        context = _(error.context.strip())
        if context_mark is not None and mark is not None and context_mark.line != mark.line:
            context = _("{context} started on line {line}").format(context=context, line=context_mark.line + 1)
        problem = f"{_(error.problem.strip())} ({context})"
    else:
        problem = _(problem)
    return YamlError(problem, rule=rule, path=path, line=line, col=col, hint=hint)


# libyaml's own messages, translated through the catalog when shown (see _from_pyyaml).
_LIBYAML_MESSAGES = (
    N_("invalid YAML"),
    N_("found unexpected end of stream"),
    N_("mapping values are not allowed here"),
    N_("mapping values are not allowed in this context"),
    N_("could not find expected ':'"),
    N_("did not find expected key"),
    N_("did not find expected node content"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("found character that cannot start any token"),
    N_("found unknown escape character"),
    N_("found undefined tag handle"),
    N_("found duplicate anchor; first occurrence"),
    N_("found undefined alias"),
    N_("expected <document start>, but found '<block mapping start>'"),
    N_("while scanning a simple key"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a block scalar"),
    N_("while scanning a plain scalar"),
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
    N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow node"),
    N_("while parsing a block node"),
    N_("while scanning an anchor"),
    N_("while scanning an alias"),
)

_ALIAS_USE = re.compile(r"(?:^|[\s\[{,])(\*[^\s,\[\]{}]+)", re.MULTILINE)


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _line_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    return lines[mark.line] if 0 <= mark.line < len(lines) else ""


# ruamel.yaml is imported where it is used: bulk reads (validate, list, the TUI's start) never
# need it, and importing it costs about 10 ms of every command's start.

@functools.cache
def _text_dates_constructor() -> type:
    """Round-trip constructor that leaves dates as text, so a bad date can still be located."""
    from ruamel.yaml.constructor import RoundTripConstructor

    constructor: Any = type("_TextDatesConstructor", (RoundTripConstructor,), {})
    constructor.add_constructor("tag:yaml.org,2002:timestamp", constructor.construct_scalar)
    return constructor


def round_trip(dates_as_text: bool = False) -> YAML:
    """A ruamel.yaml instance set up so that load-then-dump gives the same bytes.

    With `dates_as_text`, for locating problems only, dates are not parsed (a file with
    2019-02-30 still loads); such a document is never dumped.
    """
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


def locate(document: Any, pointer: Pointer, at_key: bool = False) -> tuple[int | None, int | None]:
    """1-based line and column of `pointer` in a round-trip-loaded document.

    Walks as deep as the pointer reaches; a pointer past the document (a missing key)
    lands on the deepest container that exists.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node = document
    best: tuple[int, int] | None = _own_position(node)
    for depth, step in enumerate(pointer):
        last = depth == len(pointer) - 1
        if isinstance(node, CommentedMap) and step in node:
            pos = node.lc.key(step) if (at_key and last) else node.lc.value(step)
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
            pos = node.lc.item(step)
        else:
            break
        best = (pos[0], pos[1])
        node = node[step]
        inner = _own_position(node)
        if inner is not None and not last:
            best = inner
    if best is None:
        return None, None
    return best[0] + 1, best[1] + 1


def _own_position(node: Any) -> tuple[int, int] | None:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return None
    return lc.line, lc.col


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
    import datetime as dt

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


def locate_all(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """Give problems that carry a pointer their line and column in the file's text."""
    documents: dict[str, Any] = {}
    located = []
    for problem in problems:
        if problem.line is None and problem.pointer is not None and problem.path in texts:
            if problem.path not in documents:
                try:
                    documents[problem.path] = load_round_trip(
                        texts[problem.path], problem.path, dates_as_text=True)
                except YamlError:
                    documents[problem.path] = None
            document = documents[problem.path]
            if document is not None:
                problem = problem.located(*locate(document, problem.pointer, problem.at_key))
            else:
                problem = problem.located(*_by_key(texts[problem.path], problem.pointer))
        located.append(problem)
    return located


def _by_key(text: str, pointer: tuple[Any, ...] | None) -> tuple[int | None, int | None]:
    """Where the round-trip reader cannot read the file (a tab in a value, which libyaml
    takes): the line of the pointer's last key, following its keys in order through the text."""
    keys = [k for k in pointer or () if isinstance(k, str)]
    offset = 0
    found: tuple[int | None, int | None] = (None, None)
    for key in keys:
        match = re.compile(rf"^[ \t-]*{re.escape(key)}[ \t]*:", re.MULTILINE).search(text, offset)
        if match is None:
            break
        offset = match.end()
        line = text.count("\n", 0, match.start()) + 1
        found = (line, match.group().index(key[0]) + 1)
    return found
