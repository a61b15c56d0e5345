"""One task-row builder (duban.supervise.rows.TaskRow) for `duban list`, the TUI's table and the
ledger: a sub-item's lead is its parent's, the light and percent are the selection's, in each."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from duban.cli.main import cli
from duban.store.repository import Repository
from duban.supervise.export.ledger import ledger
from duban.supervise.rows import ROW_FIELDS, task_row
from duban.supervise.selection import select


def _selection(root: Path):
    return select(Repository(root), ["2008-baoshan"], as_of="2008-12-31")


def test_a_sub_item_takes_its_parents_lead(sample_repo: Path) -> None:
    selection = _selection(sample_repo)
    sub_item = next(task for task in selection.tasks if task.id == "1-1")
    assert sub_item.lead == ()
    row = task_row(selection, sub_item)
    assert row.lead == ("发改委", "统计局")
    assert row.as_dict()["lead"] == ["发改委", "统计局"] and row.text("lead") == "发改委、统计局"
    assert list(row.as_dict()) == list(ROW_FIELDS)
    assert row.as_dict()["path"] == "plans/2008-baoshan/tasks/1-1.yaml"


def test_list_and_the_ledger_show_the_rows_lead_light_and_percent(sample_repo: Path) -> None:
    selection = _selection(sample_repo)
    rows = {task.ref: task_row(selection, task) for task in selection.tasks}
    listed = json.loads(
        CliRunner()
        .invoke(
            cli, ["list", "--plan", "2008-baoshan", "--as-of", "2008-12-31", "--format", "json"], catch_exceptions=False
        )
        .stdout
    )
    assert listed == [rows[item["ref"]].as_dict() for item in listed] and len(listed) == len(rows)
    printed = ledger(selection, selection.tasks)
    lead_column, light_column = printed.headers.index("牵头单位"), printed.headers.index("灯")
    for task, line in zip(selection.tasks, printed.rows):
        row = rows[task.ref]
        assert line[lead_column] == row.text("lead")
        assert line[light_column].startswith(
            {"red": "红", "yellow": "黄", "green": "绿", "grey": "灰"}[row.light.colour]
        )
        assert line[light_column - 1] == (row.value("percent") or 0)


def test_sort_keys(sample_repo: Path) -> None:
    selection = _selection(sample_repo)
    ordered = sorted(selection.tasks, key=lambda task: task_row(selection, task).sort_key("id"))
    assert [task.id for task in ordered] == ["1", "1-1", "1-2", "1-3", "1-4"]
    rows = [task_row(selection, task) for task in selection.tasks]
    unreported = [row for row in rows if row.percent is None]
    assert unreported and all(row.sort_key("percent") < 0 for row in unreported)
    by_light = sorted(rows, key=lambda row: row.sort_key("light"))
    order = ["red", "yellow", "green", "grey"]
    assert [order.index(row.light.colour) for row in by_light] == sorted(order.index(row.light.colour) for row in rows)
