"""A plan or task document read and held to its schema, the one way every loader does it: the
files of today (Repository), of a past commit (the views of a day) and those a command names.
A file that does not pass is one YamlError at its first problem, with where and what, so a
broken file is named the same way in every view and never taken for a missing one.
"""

from __future__ import annotations

from typing import Any

from duban import schemas
from duban.i18n import _
from duban.problems import Problem, RuleId
from duban.store import yaml_positions, yamlio


def checked_document(text: str, kind: str, shown: str) -> dict[str, Any]:
    """`text` (a file shown to users as `shown`) as a document that passes the schema of `kind`
    (schemas.PLAN or schemas.TASK); YamlError at the first problem."""
    doc = yamlio.load_fast(text, shown)
    if not isinstance(doc, dict):
        raise yamlio.YamlError(
            _("not a mapping of fields"),
            rule=RuleId.NOT_A_MAPPING,
            path=shown,
            line=1,
            col=1,
            hint=_("run `duban validate` for details"),
        )
    problems = schemas.check(kind, doc, shown)
    if problems:
        first = yaml_positions.locate_all(problems, {shown: text})[0]
        raise yamlio.YamlError(
            first.message,
            rule=first.rule,
            path=shown,
            line=first.line,
            col=first.col,
            hint=_("run `duban validate` for every problem"),
        )
    return doc


def as_problem(error: yamlio.YamlError, shown: str) -> Problem:
    """The problem a loader lists for a file that did not load: where and what, as raised."""
    return Problem(path=error.path or shown, message=error.message, rule=error.rule, line=error.line, col=error.col)
