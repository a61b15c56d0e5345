"""Setting a task's fields (`duban set FIELD=VALUE`): each field by its key or its Chinese
word, units resolved, the reports' keys following the task's units, one commit."""

from __future__ import annotations

import re

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from duban import vocabulary
from duban.errors import DubanError
from duban.i18n import _
from duban.model import TARGET_TYPES, Task
from duban.record.commit_message import about, one_line, subject_words
from duban.record.task_document import keep_keys_in_step, put_field
from duban.record.typed_values import parse_date, resolve_unit, status_key
from duban.record.writer import Recorded, TaskWriter
from duban.store.repository import Repository
from duban.text.hygiene import clean

SETTABLE = ("title", "text", "area", "section", "category", "type", "status", "due", "lead", "support")
_REQUIRED = ("title", "text", "area", "status")  # what every task has: never set empty
_FULL_WIDTH_EQUALS = str.maketrans({"＝": "=", "．": "."})


def _field_key(name: str) -> str:
    """A field written as its key or its Chinese word: 状态 is status, 节点目标.Q2 is milestones.Q2."""
    head, dot, tail = name.partition(".")
    key = vocabulary.resolve("field", head) if head and not head.isascii() else head
    if (key or head) == "milestones" and tail:
        tail = vocabulary.resolve("quarter", tail) or tail  # 里程碑.二季度 is milestones.Q2
    return f"{key or head}{dot}{tail}"


def _settable() -> str:
    return _("fields: {fields}, milestones.Q1..Q4").format(fields=", ".join(SETTABLE))


def set_fields(repo: Repository, ref: str, assignments: list[str]) -> Recorded:
    """Apply FIELD=VALUE assignments (lead/support take 、- or comma-separated units,
    milestones.Q2=... sets one milestone; an empty value removes an optional field)."""
    parsed = [_assignment(assignment) for assignment in assignments]

    def edit(task: Task, document: CommentedMap) -> str:
        changes = [f"{field}={one_line(_set_field(repo, task, document, field, value))}" for field, value in parsed]
        lines = [f"{task.ref}: 修改 {subject_words([c.split('=')[0] for c in changes])}{about(task)}", ""]
        lines += [f"Task: {task.ref}"] + [f"Set: {change}" for change in changes]
        return "\n".join(lines) + "\n"

    touched = tuple({field.split(".", 1)[0] for field, _value in parsed})
    if {"lead", "support"} & set(touched):
        touched += ("progress",)  # the reports' keys follow the task's units
    return TaskWriter(repo).change(ref, edit, touches=touched)


def _assignment(assignment: str) -> tuple[str, str]:
    """(field, value) of one FIELD=VALUE: the field by its key, the value cleaned as the field takes it."""
    field, sep, value = assignment.translate(_FULL_WIDTH_EQUALS).partition("=")
    field = _field_key(field.strip())
    if not sep or not field:
        raise DubanError(_("{text!r} is not FIELD=VALUE").format(text=assignment), hint=_settable())
    if field not in SETTABLE and not re.fullmatch(r"milestones\.(Q[1-4]|\d{4}-\d{2}-\d{2})", field):
        raise DubanError(_("cannot set {field!r}").format(field=field), hint=_settable())
    multiline = field in ("text",) or field.startswith("milestones.")
    value = clean(value, field, multiline=multiline).strip()
    if not value and field in _REQUIRED:
        raise DubanError(
            _("{field} cannot be empty").format(field=vocabulary.shown("field", field)),
            hint=_("give the new value: {example}").format(example=f"{field}=…"),
        )
    return field, value


def _set_field(repo: Repository, task: Task, document: CommentedMap, field: str, value: str) -> str:
    """Set one field in the task's document; the value as stored, for the commit's trailer."""
    if field == "lead" and not re.sub(r"[、,，;；\s]", "", value) and not task.parent:
        # An empty lead leaves nobody accountable (a script's unset variable); only a
        # subtask may drop its own lead, to follow its parent's.
        raise DubanError(
            _("{field} cannot be empty").format(field=vocabulary.shown("field", "lead")),
            hint=_("give the new value: {example}").format(example="lead=…"),
        )
    if field.startswith("milestones."):
        _set_milestone(document, field.split(".", 1)[1], value)
    elif field in ("lead", "support"):
        names = [resolve_unit(repo, task.plan_id, n) for n in re.split(r"[、,，;；]", value) if n.strip()]
        if names:
            put_field(document, field, CommentedSeq(names))
        elif field in document:
            del document[field]
        keep_keys_in_step(repo, task, document)
    elif field == "type" and value:
        kind = vocabulary.resolve("type", value.rstrip("类"))
        if kind not in TARGET_TYPES:
            raise DubanError(_("unknown type {value!r}").format(value=value), hint=_("A, B or C"))
        value = kind or value
        put_field(document, field, value)
    elif field == "status":
        value = status_key(value)
        put_field(document, field, value)
    elif field == "due" and value:
        # The trailer says the day as stored (2019-09-30), not as typed (2019年9月30日).
        day = parse_date(value, option=vocabulary.shown("field", "due"), year=repo.plan(task.plan_id).year)
        put_field(document, "due", day)
        value = day.isoformat()
    elif value:
        put_field(document, field, value)
    elif field in document and field not in _REQUIRED:
        del document[field]
    return value


def _set_milestone(document: CommentedMap, key: str, value: str) -> None:
    """Set the milestone of `key` (Q2, or a day); an empty value removes it, and the milestones with their last."""
    milestones = document.get("milestones")
    if value:
        if milestones is None:
            milestones = CommentedMap()
            put_field(document, "milestones", milestones)
        milestones[key] = value
    elif milestones is not None and key in milestones:
        del milestones[key]
        if not milestones:
            del document["milestones"]
