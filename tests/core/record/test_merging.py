"""The merge driver's field-level merge of three versions of a task file."""

from __future__ import annotations

from duban.progress import flat
from duban.record.merging import merge_texts
from duban.store import yaml_round_trip, yamlio
from tests.support import SAMPLE

BASE = (SAMPLE / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8")


def with_report(text: str, date: str, percent: int, unit: str, status: str = "in_progress") -> str:
    document = yaml_round_trip.load_round_trip(text, "t")
    import datetime as dt

    from duban.record.task_document import add_report

    add_report(document, dt.date.fromisoformat(date), percent, status=status, note=f"{unit}报送", unit=unit)
    return yaml_round_trip.dump_round_trip(document)


def load(text: str) -> dict:
    return yamlio.load_fast(text, "merged")


def test_reports_from_both_sides_are_kept_in_date_order() -> None:
    ours = with_report(BASE, "2019-03-26", 25, "商务委")
    theirs = with_report(BASE, "2019-03-25", 20, "金融办")
    result = merge_texts(BASE, ours, theirs)
    assert result.clean
    doc = load(result.text)
    assert [(r["date"], r["by"]) for r in flat(doc["progress"])] == [("2019-03-25", "金融办"), ("2019-03-26", "商务委")]
    assert doc["status"] == "in_progress"
    # Everything else is ours, byte for byte, apart from the reports.
    assert result.text.split("progress:")[0] == ours.split("progress:")[0]


def test_the_same_report_on_both_sides_is_not_duplicated() -> None:
    both = with_report(BASE, "2019-03-25", 20, "金融办")
    result = merge_texts(BASE, both, both)
    assert result.clean and len(flat(load(result.text)["progress"])) == 1


def test_disjoint_field_changes_merge() -> None:
    ours = BASE.replace("status: not_started", "status: delayed")
    theirs = BASE.replace("  Q2: 招:", "  Q2: 调整:")
    result = merge_texts(BASE, ours, theirs)
    assert result.clean
    doc = load(result.text)
    assert doc["status"] == "delayed" and doc["milestones"]["Q2"].startswith("调整:")


def test_status_follows_the_newer_report() -> None:
    ours = with_report(BASE, "2019-06-25", 100, "金融办", status="done")
    theirs = with_report(BASE, "2019-06-20", 80, "商务委", status="in_progress")
    doc = load(merge_texts(BASE, ours, theirs).text)
    assert doc["status"] == "done" and [r["percent"] for r in flat(doc["progress"])] == [80, 100]


def test_a_true_conflict_is_left_with_both_values() -> None:
    ours = BASE.replace("title: 招留增工作", "title: 招商留商增商")
    theirs = BASE.replace("title: 招留增工作", "title: 招留增")
    result = merge_texts(BASE, ours, theirs)
    assert not result.clean and result.conflicts == ["title"]
    assert "<<<<<<< ours" in result.text and "title: 招商留商增商" in result.text
    assert "title: 招留增\n" in result.text and ">>>>>>> theirs" in result.text


def test_unreadable_side_falls_back_to_line_merge() -> None:
    result = merge_texts(BASE, BASE + "oops: [\n", BASE.replace("招留增工作", "招留增"))
    assert not result.clean and result.conflicts == ["(unreadable YAML)"]
