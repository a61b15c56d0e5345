"""The strict libyaml loader behind yamlio.load_fast: refuses duplicate and merge keys, anchors
and aliases and unknown tags, keeps dates as text, and notes what it sees of plain scalars
(ScalarNotes) for validate's checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import yaml

from duban.text.hygiene import NUMBER_START, ambiguous_scalar

if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:  # libyaml's, where PyYAML was built with it
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictFastLoader(_BaseLoader):
    """CSafeLoader that refuses duplicate and merge keys and keeps dates as text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        # Comparing sizes keeps the common case free of a Python loop over the keys.
        if len(mapping) != len(node.value):
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
        return mapping

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed in duban files", key_node.start_mark
                )

    def construct_timestamp_as_text(self, node: yaml.ScalarNode) -> str:
        text: str = self.construct_scalar(node)
        return text


class _NoAliasFastLoader(StrictFastLoader):
    """For text that has an anchor (&): also refuses aliases, which rules out alias bombs."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A node met twice is an alias (*name): refuse it rather than expand it.
        if node in self.constructed_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases (&name, *name) are not allowed in duban files", node.start_mark
            )
        return super().construct_object(node, deep=deep)


StrictFastLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictFastLoader.construct_timestamp_as_text)

_STR, _SEQ, _MAP, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map", "merge"))
# Scalars whose SafeConstructor function returns the value itself (not a generator).
_PLAIN_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "timestamp"))


class _Unusual(Exception):
    """A node the direct builder leaves to PyYAML's constructor (a tag beyond the core ones)."""


def _build(loader: StrictFastLoader, node: yaml.Node) -> Any:
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
                None, None, f"{node.value!r} is not a valid {tag.rsplit(':', 1)[-1]}", node.start_mark
            ) from None
    if kind is yaml.SequenceNode and tag == _SEQ:
        return [_build(loader, item) for item in node.value]
    if kind is yaml.MappingNode and tag == _MAP:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                loader.flatten_mapping(cast(yaml.MappingNode, node))  # raises: merge keys are refused
            if isinstance(key_node, yaml.CollectionNode):
                raise _Unusual  # a list or mapping as a key: the constructor refuses it before building it
            key = _build(loader, key_node)
            try:
                if key in mapping:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
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


class _QuickResolveLoader(StrictFastLoader):
    """libyaml asks the Python resolver for the tag of every node it composes; this answers
    as PyYAML's BaseResolver.resolve does for the core schema duban uses (no path resolvers,
    no wildcard ones), with less work per call, and notes its plain scalars (ScalarNotes)
    when asked to. Kept to load_c; the property tests compare it with the full resolver."""

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


def load_c(text: str, notes: ScalarNotes | None = None) -> Any:
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
