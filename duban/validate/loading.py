"""A file's text to its document for validate, or the problem that stops it loading, and the
line and column of the problems found in it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from duban.i18n import N_, _
from duban.problems import Problem, RuleId

if TYPE_CHECKING:
    from duban.store import yamlio
    from duban.store.yaml_loader import ScalarNotes


def locate_all(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """yaml_positions.locate_all, imported only when a problem needs its position: a clean warm run
    imports no YAML at all."""
    # Deferred: loads duban.store.yaml_positions (10 duban modules in all; yaml) only when this runs
    from duban.store.yaml_positions import locate_all as located

    return located(problems, texts)


def problem_of(error: yamlio.YamlError, shown: str) -> Problem:
    return Problem(
        shown, error.message + (f" ({error.hint})" if error.hint else ""), error.rule, line=error.line, col=error.col
    )


# Python type names as the YAML a user wrote them.
_KINDS = {
    "list": N_("a list"),
    "str": N_("text"),
    "int": N_("a number"),
    "float": N_("a number"),
    "bool": N_("true or false"),
}


def kind_of(doc: Any) -> str:
    return _(_KINDS.get(type(doc).__name__, type(doc).__name__))


def duplicate_id(shown: str, stem: str) -> Problem:
    return Problem(shown, _("another file also has id {id!r}").format(id=stem), RuleId.UNIQUE_ID, pointer=("id",))


def parse_document(text: str, shown: str, notes: ScalarNotes | None = None) -> tuple[Any, list[Problem]]:
    """The document in `text`, or the problem that stops it loading; `notes`, a
    yaml_loader.ScalarNotes, is filled in as it is read."""
    # Deferred: loads duban.store (8 duban modules in all; yaml) only when this runs
    from duban.store import yamlio

    try:
        doc = yamlio.load_fast(text, shown, notes)
    except yamlio.YamlError as error:
        return None, [problem_of(error, shown)]
    if doc is None:
        return None, [Problem(shown, _("empty file: expected a mapping of fields"), RuleId.EMPTY_FILE, line=1, col=1)]
    if not isinstance(doc, dict):
        return None, [
            Problem(
                shown,
                _("expected a mapping of fields, found {kind}").format(kind=kind_of(doc)),
                RuleId.NOT_A_MAPPING,
                line=1,
                col=1,
            )
        ]
    return doc, []


def load_document(path: Path, shown: str) -> tuple[str | None, Any, list[Problem]]:
    """Text and document of a file, or the problem that stops it loading."""
    # Deferred: loads duban.store (8 duban modules in all; yaml) only when this runs
    from duban.store import yamlio

    try:
        text = yamlio.read_text(path, shown)
    except yamlio.YamlError as error:
        return None, None, [problem_of(error, shown)]
    doc, problems = parse_document(text, shown)
    return text, doc, problems
