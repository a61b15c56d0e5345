"""What checking a returned form gives: the reports it asks to record (Action), each form's
verdict (Checked) and what recording one report did (Outcome); and the preview's row of an
action, the same in the CLI and the TUI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from duban.forms.reader import FilledRow, FormProblem, ReadForm
from duban.i18n import N_, _
from duban.model import Report
from duban.record.writer import Recorded
from duban.vocabulary import chinese


@dataclass
class Action:
    """One report a form asks to record."""

    form: ReadForm
    row: FilledRow
    ref: str
    unit: str
    percent: float
    value: float | None
    status: str | None
    note: str | None
    day: dt.date
    kind: str  # new, correct (replaces an earlier report of this form) or same
    replaces: Report | None = None

    def preview_cells(self) -> tuple[str, ...]:
        """The action as a row of the preview, under PREVIEW_HEADINGS, the same in the CLI and the TUI."""
        return (
            self.form.name,
            self.unit,
            self.ref.rsplit("/", 1)[1],
            f"{self.percent:g}%",
            "" if self.value is None else f"{self.value:g}",
            chinese("status", self.status) if self.status else "",
            self.day.isoformat(),
            _(_ACTION_KINDS[self.kind]),
            (self.note or "").replace("\n", " "),
        )


_ACTION_KINDS = {"new": N_("new"), "correct": N_("correction"), "same": N_("already recorded")}
# The preview's columns, translated where shown: _(heading).
PREVIEW_HEADINGS = (
    N_("file"),
    N_("unit"),
    N_("task"),
    N_("percent"),
    N_("value"),
    N_("status"),
    N_("date"),
    N_("action"),
    N_("note"),
)


@dataclass
class Checked:
    form: ReadForm
    actions: list[Action] = field(default_factory=list)
    notes: list[FormProblem] = field(default_factory=list)  # rows not taken, and why
    collected_in: str | None = None  # the commit that took this very file

    @property
    def refused(self) -> bool:
        return bool(self.form.problems)

    @property
    def to_record(self) -> list[Action]:
        return [] if self.refused or self.collected_in else [a for a in self.actions if a.kind != "same"]


@dataclass
class Outcome:
    action: Action
    recorded: Recorded | None = None
    withdrawn: Recorded | None = None
    error: str | None = None
