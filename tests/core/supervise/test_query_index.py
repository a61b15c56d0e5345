"""`duban list QUERY` from the plan snapshot's columns (selection.select_where): the same
answer as building every task and filtering, for every kind of term, and never a stale one."""

from __future__ import annotations

import datetime as dt
import marshal
from pathlib import Path

import pytest

from duban.store.repository import Repository
from duban.supervise.rows import task_row
from duban.supervise.selection import select, select_where
from tests.core.store.support import _past_clock, _same_size_edit

PLANS = ("2008-baoshan", "2019-changning")
TASK = "plans/2019-changning/tasks/1.yaml"

# Every field the query language has, each kind of value, negation, OR and groups.
QUERIES = [
    "lead:金融办",
    "lead:jrb",
    "lead:发改委",
    "support:发改委",
    "unit:金融办",
    "unit:统计局",
    "by:金融办",
    "area:经济发展",
    "area:jjfz",
    "category:稳增长",
    "section:稳增长",
    "type:A",
    "status:in_progress",
    "status:not_started",
    "light:grey",
    "light:green",
    "late:yes",
    "late:no",
    "plan:2008",
    "due<2019-06-30",
    "percent<50",
    "percent>=30",
    "has:milestones",
    "has:indicators",
    "has:parent",
    "has:progress",
    "has:due",
    "parent:1",
    "id:2",
    "title:招留增",
    "text:169.36",
    "增长",
    "zzjg",
    "-lead:金融办",
    "lead:金融办 OR support:统计局",
    "(area:经济发展 OR parent:1) -status:done",
    "白皮书",
    "lead:金融办 plan:2019",
    "-(status:done OR type:B)",
    "due<2019-06-30 lead:发改委",
    "parent:1 lead:金融办",
    "title:招留增 OR lead:jrb",
    "lead:jrb -light:grey",
    "(support:发改委 OR status:in_progress) type:A",
]

# Terms decided by one field: the columns answer them without a stand-in for each task.
BY_COLUMN = [
    "support:发改委",
    "area:jjfz",
    "status:in_progress",
    "type:A",
    "plan:2008",
    "due<2019-06-30",
    "parent:1",
    "id:2",
    "title:招留增",
    "-(status:done OR type:B)",
    "category:稳增长",
]


def _with_a_report(repo: Path) -> None:
    path = repo / TASK
    text = path.read_text(encoding="utf-8").replace("status: not_started", "status: in_progress")
    path.write_text(
        text + "progress:\n  - date: 2019-03-20\n    percent: 30\n    note: 推进中\n    by: 金融办\n", encoding="utf-8"
    )


def _rows(selection, tasks) -> list[dict]:
    return [task_row(selection, task).as_dict() for task in tasks]


def _from_the_index(repo: Path) -> bool:
    fresh = Repository(repo)
    return all(fresh.task_index(plan) is not None for plan in PLANS)


@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES)
def test_the_index_answers_as_every_task_built(git_repo: Path, monkeypatch, query: str) -> None:
    _past_clock(monkeypatch)
    _with_a_report(git_repo)
    full = select(Repository(git_repo), ())  # builds every task, and stores the snapshots
    assert full.problems == []
    expected = _rows(full, full.where(query))
    assert _from_the_index(git_repo)
    selection, matched = select_where(Repository(git_repo), (), None, query)
    assert selection.problems == []
    assert _rows(selection, matched) == expected
    assert all(type(task).__name__ == "Task" for task in matched)  # real tasks, not the stand-ins
    assert matched == full.where(query)


@pytest.mark.slow
@pytest.mark.parametrize("query", BY_COLUMN)
def test_terms_of_one_field_are_answered_by_the_columns(git_repo: Path, monkeypatch, query: str) -> None:
    from duban.store.cache import task_index

    full = select(Repository(git_repo), ())
    expected = [task.ref for task in full.where(query)]
    assert _from_the_index(git_repo)

    def no_stand_ins(self):
        raise AssertionError("a stand-in for every task was made")

    monkeypatch.setattr(task_index.TaskIndex, "entries", no_stand_ins)
    selection, matched = select_where(Repository(git_repo), (), None, query)
    assert [task.ref for task in matched] == expected


def test_the_effective_lead_of_a_sub_item_is_its_parents_in_the_columns(git_repo: Path) -> None:
    """A sub-item that names no lead has its parent's: lead: finds it, from the columns too."""
    tasks = git_repo / "plans/2019-changning/tasks"
    text = (tasks / "2.yaml").read_text(encoding="utf-8")
    lead_block = text[text.index("lead:") : text.index("status:")]
    (tasks / "5.yaml").write_text(text.replace("id: 2", "id: 5").replace(lead_block, "parent: '1'\n"), encoding="utf-8")
    full = select(Repository(git_repo), ())
    assert full.problems == []
    parent_leads = full.lead(next(t for t in full.tasks if t.ref == "2019-changning/1"))
    parent_lead = parent_leads[0]
    expected = [task.ref for task in full.where(f"lead:{parent_lead}")]
    assert "2019-changning/5" in expected
    selection, matched = select_where(Repository(git_repo), (), None, f"lead:{parent_lead}")
    assert [task.ref for task in matched] == expected
    assert selection.lead(next(t for t in matched if t.ref == "2019-changning/5")) == parent_leads


def test_an_empty_query_builds_every_task(git_repo: Path) -> None:
    select(Repository(git_repo), ())
    selection, matched = select_where(Repository(git_repo), (), None, " ")
    assert len(matched) == 7 and matched == selection.tasks


def test_a_same_size_same_mtime_edit_after_a_warm_list_is_seen(git_repo: Path, monkeypatch) -> None:
    _past_clock(monkeypatch)
    select(Repository(git_repo), ())
    assert [t.id for t in select_where(Repository(git_repo), (), None, "lead:临空办")[1]] == ["1"]
    assert select_where(Repository(git_repo), (), None, "lead:卫计委")[1] == []
    assert _from_the_index(git_repo)
    _same_size_edit(git_repo / TASK, "  - 临空办\n", "  - 卫计委\n")
    assert select_where(Repository(git_repo), (), None, "lead:临空办")[1] == []  # the snapshot, patched
    assert [t.id for t in select_where(Repository(git_repo), (), None, "lead:卫计委")[1]] == ["1"]
    assert _from_the_index(git_repo)  # and the new state's snapshot serves the next one


def test_a_checkout_after_a_warm_list_is_seen(git_repo: Path) -> None:
    from tests.support import git

    select(Repository(git_repo), ())
    git(git_repo, "switch", "-q", "-c", "other")
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: 制定并部署", "title: 研究并部署"), encoding="utf-8"
    )
    git(git_repo, "commit", "-q", "-am", "retitle on a branch")
    assert [t.id for t in select_where(Repository(git_repo), (), None, "研究并部署")[1]] == ["1"]
    git(git_repo, "switch", "-q", "main")
    assert select_where(Repository(git_repo), (), None, "研究并部署")[1] == []
    assert [t.id for t in select_where(Repository(git_repo), (), None, "制定并部署")[1]] == ["1"]


def test_a_file_that_cannot_be_read_is_reported_not_left_out(git_repo: Path) -> None:
    select(Repository(git_repo), ())
    path = git_repo / "plans/2019-changning/tasks/2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: not_started", "status: finished"), encoding="utf-8"
    )
    selection, matched = select_where(Repository(git_repo), (), None, "area:经济发展")
    assert [p.path for p in selection.problems] == ["plans/2019-changning/tasks/2.yaml"]
    assert [t.id for t in matched] == ["1"]


def _damaged_snapshots(path: Path) -> list[bytes]:
    """The snapshot at `path` with one section or another damaged in each way a disk, a crash or
    another version could leave it."""
    from duban.store.snapshot import SnapshotFile, pack

    stored = SnapshotFile(path)
    sections = dict(stored._places)
    columns = {name: stored.column(name) for name in sections if name not in ("rows", "row_ends", "row_sums")}
    rows = [marshal.dumps(row) for row in stored.rows()]
    real = path.read_bytes()
    data_at = stored._data_at

    def overwritten(section: str, junk: bytes) -> bytes:
        at = data_at + sections[section][0]
        return real[:at] + junk + real[at + len(junk) :]

    return [
        overwritten("lead", b"\x00junk"),
        overwritten("rows", b"\xff\xff\xff"),
        overwritten("row_ends", b"\xff" * 8),
        overwritten("file names", b"\x00junk"),
        pack(stored.tag, stored.key, {**columns, "lead": [("金融办",)]}, rows),  # a column one short
        pack(stored.tag, stored.key, {**columns, "file names": [1] * len(rows)}, rows),
        pack(stored.tag, stored.key, columns, [b"\xff"] * len(rows)),  # rows that do not unpack
        pack(stored.tag, stored.key, columns, [marshal.dumps(1)] * len(rows)),  # rows of the wrong shape
        pack(stored.tag, stored.key, columns, rows[:-1]),  # a row missing
        real[:-3],  # cut short
    ]


@pytest.mark.parametrize("query", ["lead:金融办 text:169.36", "lead:金融办"])
def test_a_damaged_snapshot_is_not_used(git_repo: Path, query: str) -> None:
    full = select(Repository(git_repo), ())
    expected = [t.ref for t in full.where(query)]
    snapshot = git_repo / ".git/duban-cache/plan-2019-changning.snapshot"
    for damaged in _damaged_snapshots(snapshot):
        snapshot.write_bytes(damaged)
        selection, matched = select_where(Repository(git_repo), (), None, query)
        assert [t.ref for t in matched] == expected and selection.problems == []
        assert [t.title for t in Repository(git_repo).load_tasks("2019-changning").tasks] == [
            t.title for t in full.tasks if t.plan_id == "2019-changning"
        ]


def test_a_past_date_and_no_query_take_the_usual_road(git_repo: Path) -> None:
    select(Repository(git_repo), ())
    selection, matched = select_where(Repository(git_repo), (), "2030-01-01", "lead:金融办")
    assert [t.id for t in matched] == ["1", "2"] and selection.as_of == dt.date(2030, 1, 1)
    assert len(selection.tasks) == 7  # every task, as select() gives
