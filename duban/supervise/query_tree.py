"""A parsed query as a tree of matchers, each saying what it is made of, so a query runs task
by task or, over a plan snapshot, column by column."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from duban.model import Plan, Task


class Context(Protocol):
    """What matching needs beyond the task itself."""

    def plan(self, task: Task) -> Plan: ...
    def plan_of(self, plan_id: str) -> Plan: ...
    def lead(self, task: Task) -> tuple[str, ...]: ...
    def light(self, task: Task) -> tuple[str, bool]: ...  # (colour, late report)
    def percent(self, task: Task) -> float | None: ...  # by the effective lead's reports
    def late_units(self, task: Task) -> tuple[str, ...]: ...  # the lead units late for the latest deadline


Matcher = Callable[[Task, Context], bool]


# Loops, not all()/any() over a generator: a filter keystroke in the TUI runs these 10,000
# times, and the generator's frame cost a fifth of a two-term query. Each matcher says what it
# is made of (_PARTS, _COLUMN), so that Query.positions can answer it column by column.
_PARTS, _COLUMN = "_duban_parts", "_duban_column"


def all_of(parts: list[Matcher]) -> Matcher:
    def match(task: Task, context: Context) -> bool:
        for part in parts:
            if not part(task, context):
                return False
        return True

    setattr(match, _PARTS, ("all", parts))
    return match


def any_of(parts: list[Matcher]) -> Matcher:
    def match(task: Task, context: Context) -> bool:
        for part in parts:
            if part(task, context):
                return True
        return False

    setattr(match, _PARTS, ("any", parts))
    return match


def not_(part: Matcher) -> Matcher:
    def match(task: Task, context: Context) -> bool:
        return not part(task, context)

    setattr(match, _PARTS, ("not", [part]))
    return match


# How a one-field term decides: test(plan id, the task's value of the field, context).
ColumnTest = Callable[[str, Any, Context], bool]


def on_column(field: str, test: ColumnTest) -> Matcher:
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
            combined = (
                [a and b for a, b in zip(combined, mask)] if kind == "all" else [a or b for a, b in zip(combined, mask)]
            )
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
