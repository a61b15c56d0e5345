"""When each report was entered, against the deadline it answers.

A report belongs to its report date (the day the unit reported, `date:` in the file and the
Report-date trailer). duban also records when it wrote the report (the Recorded-At trailer,
the commit's date for reports recorded before that trailer existed). A report entered after
the reporting deadline that follows its date was typed in late: it still counts for its
month, and the circular lists it so the office can see it.

Commits are read from one `git log` over the whole history of the plan's tasks, never cut
by `--since`, so units' clocks do not matter.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from duban.supervise.lights import deadline_for, sealed_key
from duban.store.repository import Repository


@dataclass(frozen=True)
class Entry:
    ref: str
    unit: str | None
    report_date: str
    deadline: str | None      # the reporting deadline the report answers, if the plan has one
    recorded_at: str          # ISO 8601, as duban (or git) recorded it
    sha: str
    author: str

    @property
    def entered_late(self) -> bool:
        return self.deadline is not None and self.recorded_at[:10] > self.deadline

    def as_dict(self) -> dict[str, object]:
        return {"ref": self.ref, "unit": self.unit, "report_date": self.report_date, "deadline": self.deadline,
                "recorded_at": self.recorded_at, "sha": self.sha, "author": self.author}


def entries(repo: Repository, plan_id: str, first: dt.date | None = None, last: dt.date | None = None) -> list[Entry]:
    """Every report commit of the plan whose report date is in [first, last], oldest first."""
    from duban.errors import DubanError
    from duban.record.history import plan_log

    plan = repo.plan(plan_id)
    try:
        commits = plan_log(repo, plan_id)
    except DubanError:
        return []  # no git: nothing was recorded by duban
    found = []
    for commit in reversed(commits):
        day = commit.trailers.get("Report-date")
        ref = commit.trailers.get("Task")
        if not day or not ref:
            continue
        if (first and day < first.isoformat()) or (last and day > last.isoformat()):
            continue
        try:
            deadline = deadline_for(plan, dt.date.fromisoformat(day))
        except ValueError:
            continue  # a hand-written trailer that is not a date
        found.append(Entry(ref=ref, unit=commit.trailers.get("Reported-by"), report_date=day,
                           deadline=deadline.isoformat() if deadline else None,
                           recorded_at=commit.trailers.get("Recorded-At") or commit.date, sha=commit.sha,
                           author=commit.author))
    return found


def entered_after_deadline(repo: Repository, plan_id: str, first: dt.date | None = None,
                           last: dt.date | None = None) -> list[Entry]:
    """The reports dated in [first, last] that were entered after the deadline they answer:
    where the office sealed that deadline, those the seal does not hold; elsewhere those
    whose Recorded-At is after the deadline."""
    from duban.supervise.seals import sealed_reports

    sealed = sealed_reports(repo, plan_id)
    plan = repo.plan(plan_id)
    late = []
    for entry in entries(repo, plan_id, first, last):
        held = sealed.get(entry.deadline or "")
        if held is not None:
            task_id = entry.ref.split("/", 1)[-1]
            if sealed_key(plan, entry.report_date, entry.unit) not in held.get(task_id, set()):
                late.append(entry)
        elif entry.entered_late:
            late.append(entry)
    return late
