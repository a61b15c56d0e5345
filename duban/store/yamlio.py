"""The one place that reads YAML in bulk: a file's bytes to text, then to a document through
the strict libyaml loader (yaml_loader), about 16x faster than ruamel's round-trip loader, with
every failure a YamlError that says where and what to do. Round-trip for edits is in
yaml_round_trip, a problem's line and column in yaml_positions.

Both loaders reject what has no place in a duban file: duplicate keys, anchors and aliases
(which also rules out alias bombs), and tags outside the YAML core schema. Dates stay the
strings they are written as, so the schema checks them and a bad date gets a position.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from duban.errors import DubanError
from duban.i18n import N_, _
from duban.problems import RuleId
from duban.store.files import MAX_FILE_BYTES, read_bytes  # noqa: F401 - moved to files; kept for yamlio.read_bytes callers
from duban.store.yaml_loader import ScalarNotes, load_c


class YamlError(DubanError):
    """A file that cannot be read as YAML, with its position and the rule it breaks."""

    def __init__(
        self,
        message: str,
        *,
        rule: str,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, path=path, line=line, col=col, hint=hint)
        self.rule = str(rule)  # plain text, not the RuleId (see Problem)


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
        raise YamlError(
            _("file is not valid UTF-8"), rule=RuleId.ENCODING, path=path, line=line, col=col, hint=hint
        ) from None
    if "\x00" in text:
        line, col = position(text, text.index("\x00"))
        raise YamlError(
            _("file contains binary data (NUL byte)"),
            rule=RuleId.ENCODING,
            path=path,
            line=line,
            col=col,
            hint=_("a task file is UTF-8 text"),
        )
    return text


def _too_large(size: int, path: str) -> YamlError:
    return YamlError(
        _("file is too large ({size} KB)").format(size=size // 1024),
        rule=RuleId.TOO_LARGE,
        path=path,
        hint=_("duban files are at most {limit} MB").format(limit=MAX_FILE_BYTES // 1024 // 1024),
    )


def read_text(path: Path, shown_as: str | None = None) -> str:
    shown = shown_as or str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _too_large(path.stat().st_size, shown)
        data = path.read_bytes()
    except OSError as error:
        raise YamlError(
            _("cannot read file: {reason}").format(reason=error.strerror), rule=RuleId.IO, path=shown
        ) from None
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
        raise YamlError(
            _("nesting is deeper than {depth} levels").format(depth=MAX_DEPTH),
            rule=RuleId.YAML_DEPTH,
            path=path,
            line=deep[0],
            col=deep[1],
            hint=_("a task file nests a few levels at most"),
        )
    try:
        document = load_c(text, notes)
        if notes is not None:
            notes.complete = "&" not in text  # the road with anchors notes nothing
        return document
    except yaml.MarkedYAMLError as error:
        raise _from_pyyaml(error, text, path) from None
    except yaml.reader.ReaderError as error:
        # A character YAML does not allow (a control character): give its position.
        line, col = position(text, min(error.position, len(text)))
        raise YamlError(
            _("character {character!r} is not allowed in YAML").format(character=error.character),
            rule=RuleId.YAML_SYNTAX,
            path=path,
            line=line,
            col=col,
            hint=_("remove it"),
        ) from None
    except yaml.YAMLError as error:
        raise YamlError(str(error).splitlines()[0], rule=RuleId.YAML_SYNTAX, path=path) from None
    except RecursionError:
        raise YamlError(_("nesting is too deep"), rule=RuleId.YAML_SYNTAX, path=path) from None
    except (ValueError, IndexError, OverflowError, TypeError):  # PyYAML's constructor on a bad explicit tag
        raise YamlError(
            _("a value does not fit its tag"),
            rule=RuleId.YAML_TAG,
            path=path,
            hint=_("remove the tag; duban files use plain YAML"),
        ) from None


_NOT_VALID = re.compile(r"(.*) is not a valid (null|bool|int|float|timestamp)$", re.DOTALL)


def _from_pyyaml(error: yaml.MarkedYAMLError, text: str, path: str) -> YamlError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else None
    col = mark.column + 1 if mark else None
    problem = (error.problem or error.context or "invalid YAML").strip()
    rule = RuleId.YAML_SYNTAX
    hint = None
    if problem.startswith("merge keys"):
        problem, rule, hint = (
            _("merge keys (<<) are not allowed in duban files"),
            RuleId.YAML_MERGE,
            _("write the keys out in full"),
        )
    elif _NOT_VALID.match(problem):
        value, kind = _NOT_VALID.match(problem).groups()  # type: ignore[union-attr]
        problem, rule, hint = (
            _("{value} is not a valid {kind}").format(value=value, kind=kind),
            RuleId.YAML_TAG,
            _("remove the tag; duban files use plain YAML"),
        )
    elif problem.startswith("duplicate key"):
        key = problem[len("duplicate key ") :]
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
        problem, rule, hint = (
            _("unknown tag {tag}").format(tag=tag),
            RuleId.YAML_TAG,
            _("remove the tag; duban files use plain YAML"),
        )
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
