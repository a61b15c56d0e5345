"""The parts of a recording's commit message, for people and scripts alike: the subject in
the plan's language, Chinese (every plan duban reads is a Chinese document, whatever the
interface speaks), and the trailers in stable English keys and stored values:

    2019-changning/18: 进度 50%(进行中) 建交委 · 推进轨道交通建设…

    <note>

    Task: 2019-changning/18
    Reported-by: 建交委
    Percent: 50
    Status: in_progress
    Report-date: 2019-06-25

The subject names the reporting unit and the start of the task's title, so that a reviewer
on a forge, without duban, reads who reported on what. Values users type are flattened to one
line each, so they cannot add lines or trailers.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from duban import vocabulary
from duban.model import Task

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(value: object) -> str:
    """A user's value made safe for a commit message: one line, no control characters."""
    return _CONTROL.sub(" ", str(value)).strip()


_TITLE_IN_SUBJECT = 16  # characters of a task's title in a commit subject; a subject stays one line


def about(task: Task, unit: str | None = None) -> str:
    """The end of a commit subject: the unit, when one reported, and the start of the task's
    title (' 建交委 · 推进轨道交通建设…')."""
    title = one_line(task.title)
    if len(title) > _TITLE_IN_SUBJECT:
        title = title[:_TITLE_IN_SUBJECT] + "…"
    return (f" {one_line(unit)}" if unit else "") + (f" · {title}" if title else "")


def subject_words(fields: list[str]) -> str:
    """Field names of a commit subject, in Chinese: 状态、节点目标 Q2."""
    words = []
    for name in fields:
        head, _dot, tail = name.partition(".")
        words.append(vocabulary.chinese("field", head) + (f" {tail}" if tail else ""))
    return "、".join(words)


def recording_time() -> dt.datetime:
    """Now, as the commit will say: git's GIT_COMMITTER_DATE when it is set (an import of old
    records, or a test standing for another day), else the clock."""
    given = os.environ.get("GIT_COMMITTER_DATE", "")
    try:
        moment = dt.datetime.fromisoformat(given) if given else dt.datetime.now().astimezone()
    except ValueError:
        return dt.datetime.now().astimezone()
    return moment if moment.tzinfo is not None else moment.astimezone()  # keep the offset it was given
