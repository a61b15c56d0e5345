"""Committing a task file edited by hand (`duban edit`, the TUI's editor): an edit made while
another process committed to the file is merged into it field by field, never lost."""

from __future__ import annotations

from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _
from duban.model import Task
from duban.record.commit_message import about, subject_words
from duban.record.writer import Recorded, TaskWriter
from duban.store import yamlio
from duban.store.files import replace_file
from duban.store.gitstore import Git
from duban.store.repository import Repository


class EditConflict(DubanError):
    """The file changed while it was being edited, and the two changes touch the same field.
    The edited text is kept in `saved`, so nothing typed is lost."""

    def __init__(self, ref: str, fields: list[str], saved: Path) -> None:
        super().__init__(
            _("{ref} changed while it was being edited ({fields} changed on both sides); nothing was committed").format(
                ref=ref, fields=", ".join(fields)
            ),
            hint=_(
                "your edited text is kept in {saved}: edit the task again and copy what you changed from there"
            ).format(saved=saved),
        )
        self.fields = fields
        self.saved = saved


def apply_edit(repo: Repository, ref: str, new_text: str, base_text: str | None = None) -> Recorded | None:
    """Commit an edited task file; None when nothing changed. InvalidEdit lists problems.

    `base_text` is the text the editor was opened on. The file is read again under the
    repository lock: when another process committed to it meanwhile (a report, a sync),
    the edit is merged into the new version field by field, like a sync, so the report
    recorded meanwhile stays; when both changed the same field, EditConflict keeps the
    edited text in a file and nothing is committed."""
    task = repo.resolve(ref)
    writer = TaskWriter(repo)
    writer.git.check_repository()
    with writer.repo.write_lock():
        writer.preflight(task)
        current = task.path.read_text(encoding="utf-8")
        if base_text is not None and current != base_text and new_text != base_text:
            new_text = _merge_edit(writer.git, task, base_text, current, new_text)
        if current == new_text or (base_text is not None and new_text == base_text):
            return None
        changed = fields_changed(current, new_text)
        words = f" {subject_words(changed)}" if changed else ""
        message = (
            f"{task.ref}: 编辑{words}{about(task)}\n\nTask: {task.ref}\nEdited: {', '.join(changed) or 'whole file'}\n"
        )
        return writer.commit_text(task, new_text, message)


def fields_changed(before: str, after: str) -> list[str]:
    """The task's fields whose values an edit changed, in the file's order (progress when a
    report was added, changed or removed); [] when either text does not read."""
    try:
        old, new = yamlio.load_fast(before, "before"), yamlio.load_fast(after, "after")
    except yamlio.YamlError:
        return []
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    return [key for key in dict.fromkeys([*new, *old]) if old.get(key) != new.get(key)]


def _merge_edit(git: Git, task: Task, base: str, current: str, edited: str) -> str:
    # Deferred: loads duban.record.merging only when this runs
    from duban.record.merging import merge_texts

    result = merge_texts(base, current, edited)
    if result.clean:
        return result.text
    saved = git.git_dir() / f"duban-edit-{task.plan_id}-{task.path.stem}.yaml"
    replace_file(saved, edited.encode("utf-8"))
    raise EditConflict(task.ref, result.conflicts, saved)
