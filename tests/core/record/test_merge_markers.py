"""The merge driver never leaves a conflicted file without markers, and keeps the reports
outside the markers when another field conflicts (H3, M12, L8)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from duban.progress import flat
from duban.record.merging import merge_texts, run_driver
from duban.record.task_document import add_report
from duban.store import yaml_round_trip, yamlio
from tests.support import SAMPLE

BASE = (SAMPLE / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8")
HUNK = re.compile(r"^<<<<<<< ours\n(.*?)^>>>>>>> theirs\n", re.MULTILINE | re.DOTALL)


def with_report(text: str, date: str, percent: int, unit: str, status: str = "in_progress") -> str:
    document = yaml_round_trip.load_round_trip(text, "t")
    add_report(document, dt.date.fromisoformat(date), percent, status=status, note=f"{unit}的报告", unit=unit)
    return yaml_round_trip.dump_round_trip(document)


def outside_markers(text: str) -> str:
    return HUNK.sub("", text)


def test_reports_stay_outside_the_markers_of_another_field() -> None:
    ours = with_report(
        BASE.replace("status: not_started", "due: 2019-09-30\nstatus: not_started"), "2019-03-02", 15, "商务委"
    )
    theirs = with_report(
        BASE.replace("status: not_started", "due: 2019-06-30\nstatus: not_started"), "2019-03-01", 10, "金融办"
    )
    result = merge_texts(BASE, ours, theirs)
    assert not result.clean and result.conflicts == ["due"]
    hunks = HUNK.findall(result.text)
    assert len(hunks) == 1 and "due: 2019-09-30" in hunks[0] and "due: 2019-06-30" in hunks[0]
    assert "progress" not in hunks[0] and "status" not in hunks[0]
    rest = outside_markers(result.text)
    assert "商务委的报告" in rest and "金融办的报告" in rest
    # Keeping either side of the hunk gives a file with both reports.
    kept = HUNK.sub(lambda m: m.group(1).split("=======\n")[0], result.text)
    doc = yamlio.load_fast(kept, "kept")
    assert [r["by"] for r in flat(doc["progress"])] == ["金融办", "商务委"] and doc["due"] == "2019-09-30"


def test_a_tab_in_a_value_still_merges_with_the_other_sides_report() -> None:
    ours = BASE.replace("text: 招留增工作", "text: 招留增工作\t(见附表)", 1)
    assert ours != BASE
    theirs = with_report(BASE, "2019-03-20", 30, "发改委")
    result = merge_texts(BASE, ours, theirs)
    assert result.clean
    doc = yamlio.load_fast(result.text, "merged")
    assert "招留增工作\t(见附表)" in doc["text"] and [r["by"] for r in flat(doc["progress"])] == ["发改委"]


def test_a_gb18030_side_is_left_with_markers(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    base.write_bytes(BASE.encode("utf-8"))
    ours.write_bytes(BASE.replace("title: 招留增工作", "title: 招商留商").encode("gb18030"))
    theirs.write_bytes(with_report(BASE, "2019-03-20", 30, "发改委").encode("utf-8"))
    result = run_driver(base, ours, theirs)
    assert not result.clean and result.conflicts == ["(not UTF-8)"]
    data = ours.read_bytes()
    assert data.startswith(b"<<<<<<< ours\n") or b"\n<<<<<<< ours\n" in data
    assert "发改委的报告".encode() in data


def test_the_merge_driver_command_never_leaves_a_file_without_markers(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / name for name in ("base", "ours", "theirs"))
    base.write_bytes(BASE.encode("utf-8"))
    ours.write_bytes(BASE.replace("title: 招留增工作", "title: 招商留商").encode("gb18030"))
    theirs.write_bytes(BASE.replace("title: 招留增工作", "title: 招留增").encode("gb18030"))
    result = subprocess.run(
        [sys.executable, "-m", "duban", "merge-driver", str(base), str(ours), str(theirs), "t.yaml"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert b"<<<<<<< ours" in ours.read_bytes() and b">>>>>>> theirs" in ours.read_bytes()


def test_git_merge_file_failing_still_leaves_markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text("#!/bin/sh\nexit 255\n", encoding="utf-8")
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    ours = BASE.replace("title: 招留增工作", "title: 招商留商增商")
    theirs = BASE.replace("title: 招留增工作", "title: 招留增")
    result = merge_texts(BASE, ours, theirs)
    assert not result.clean
    assert "<<<<<<< ours" in result.text and ">>>>>>> theirs" in result.text
    assert "title: 招商留商增商" in result.text and "title: 招留增\n" in result.text


def test_a_supervisors_decision_is_not_undone_by_a_concurrent_report() -> None:
    ours = BASE.replace("status: not_started", "status: delayed")
    theirs = with_report(BASE, "2019-03-25", 30, "金融办")
    for a, b in ((ours, theirs), (theirs, ours)):
        result = merge_texts(BASE, a, b)
        doc = yamlio.load_fast(result.text, "m")
        assert result.clean and doc["status"] == "delayed" and len(flat(doc["progress"])) == 1


def test_same_date_reports_come_out_in_the_same_order_both_ways() -> None:
    ours = with_report(BASE, "2019-03-25", 30, "金融办")
    theirs = with_report(BASE, "2019-03-25", 20, "商务委")
    one = flat(yamlio.load_fast(merge_texts(BASE, ours, theirs).text, "a")["progress"])
    other = flat(yamlio.load_fast(merge_texts(BASE, theirs, ours).text, "b")["progress"])
    assert one == other and len(one) == 2


def test_reports_new_to_ours_go_where_the_format_puts_them() -> None:
    theirs = with_report(BASE, "2019-03-20", 30, "发改委")
    keys = list(
        yamlio.load_fast(merge_texts(BASE, BASE.replace("title: 招留增工作", "title: 招留增"), theirs).text, "m")
    )
    assert keys.index("progress") < keys.index("source")
