"""The states a task and its light can be in, as types: Status and LightColour, each a StrEnum
so a member is its key in YAML, JSON and CSV and equal to the plain key a file or the snapshot
gives (marshal and the YAML dumpers take only the plain key: a value stored stays one).
duban.vocabulary holds the words people see and type for them. A module of its own, importing
nothing of duban's, so that the reading rules (duban.reading) can name a status without the
vocabulary, whose pinyin initials come from a module that reads units through them.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """A task's status as stored. A StrEnum, so a member is its key in YAML, JSON and CSV, and
    equal to the plain key a file or the snapshot gives."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"

    @staticmethod
    def is_done(status: str | None) -> bool:
        """Said done (the task's percent may still make it done: lights.is_done)."""
        return status == Status.DONE

    @staticmethod
    def is_closed(status: str | None) -> bool:
        """Done or cancelled: no report is owed after it (docs/reading.md rule 5)."""
        return status in _CLOSED

    @staticmethod
    def is_held(status: str | None) -> bool:
        """Blocked or delayed: a state a report or the office gives, shown beside the light."""
        return status in _HELD


_CLOSED = frozenset({Status.DONE, Status.CANCELLED})
_HELD = frozenset({Status.BLOCKED, Status.DELAYED})
# The statuses only the office decides (duban set): a report never clears them.
DECISIONS = (Status.DELAYED, Status.BLOCKED, Status.CANCELLED)
# The statuses a unit may give with a report or on a form.
REPORTED = (Status.IN_PROGRESS, Status.DONE, Status.BLOCKED, Status.DELAYED)


class LightColour(StrEnum):
    """A warning light's colour (duban/supervise/lights.py), stored and printed as its key."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"
    GREY = "grey"

    @property
    def severity(self) -> int:
        """How bad: grey and green 0, yellow 1, red 2 (the scoring ladder's order)."""
        return _SEVERITY[self]

    @property
    def is_lagging(self) -> bool:
        """Red or yellow: behind, the lights the circular and the site name units for."""
        return self in (LightColour.RED, LightColour.YELLOW)


_SEVERITY = {LightColour.GREY: 0, LightColour.GREEN: 0, LightColour.YELLOW: 1, LightColour.RED: 2}
# Worst first: the order tables and tallies list the colours in.
LIGHT_ORDER = (LightColour.RED, LightColour.YELLOW, LightColour.GREEN, LightColour.GREY)
