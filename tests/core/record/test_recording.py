"""Recording progress and edits as commits, in real git repositories in temp dirs."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest

from duban.errors import DubanError
from duban.progress import flat
from duban.record.hand_edits import apply_edit
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.record.task_document import add_report
from duban.record.writer import InvalidEdit
from duban.store import yaml_round_trip, yamlio
from duban.store.repository import Repository
from duban.supervise.selection import select
from tests.support import PROJECT, git

TASK = "plans/2019-changning/tasks/1.yaml"


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def test_progress_is_one_commit_of_one_file(git_repo: Path) -> None:
    before = head(git_repo)
    # Someone's unrelated work, staged and unstaged, must not be swept into the commit.
    staged = git_repo / "plans/2019-changning/tasks/2.yaml"
    staged.write_text(staged.read_text(encoding="utf-8") + "# staged note\n", encoding="utf-8")
    git(git_repo, "add", str(staged))
    unstaged = git_repo / "plans/2008-baoshan/tasks/1.yaml"
    unstaged.write_text(unstaged.read_text(encoding="utf-8") + "# draft\n", encoding="utf-8")

    recorded = record_progress(
        Repository(git_repo), "2019-changning/1", 50, note="完成楼宇信息动态数据库建设", by="金融办", date="2019-06-25"
    )
    assert git(git_repo, "rev-parse", "HEAD~1").strip() == before
    assert git(git_repo, "show", "--name-only", "--format=", "HEAD").split() == [TASK]
    assert git(git_repo, "diff", "--cached", "--name-only").split() == ["plans/2019-changning/tasks/2.yaml"]
    assert git(git_repo, "diff", "--name-only").split() == ["plans/2008-baoshan/tasks/1.yaml"]
    message = git(git_repo, "log", "-1", "--format=%B")
    recorded_at = git(git_repo, "log", "-1", "--format=%(trailers:key=Recorded-At,valueonly)").strip()
    assert message == (
        "2019-changning/1: 进度 50%(进行中) 金融办 · 制定并部署2019年长宁区稳增长…\n\n完成楼宇信息动态数据库建设\n\n"
        "Task: 2019-changning/1\nReported-by: 金融办\nPercent: 50\nStatus: in_progress\n"
        f"Report-date: 2019-06-25\nRecorded-At: {recorded_at}\n\n"
    )
    assert dt.datetime.fromisoformat(recorded_at).date() >= dt.date(2019, 6, 25)
    assert git(git_repo, "log", "-1", "--format=%an <%ae>").strip() == "Test Author <author@example.invalid>"
    assert recorded.sha == head(git_repo)
    diff = git(git_repo, "show", "--format=", "-U0", "HEAD")
    added = [l for l in diff.splitlines() if l.startswith("+") and not l.startswith("+++")]
    removed = [l for l in diff.splitlines() if l.startswith("-") and not l.startswith("---")]
    assert removed == ["-status: not_started"]
    # The first report writes every unit's key (lead units, then support units), the report under its own.
    others = [
        "商务委",
        "临空办",
        "财政局",
        "税务局",
        "发改委",
        "科委",
        "卫计委",
        "人社局",
        "教育局",
        "司法局",
        "市场监管局",
        "公安分局",
    ]
    assert added == [
        "+status: in_progress",
        "+progress:",
        "+  金融办:",
        "+    - date: 2019-06-25",
        "+      percent: 50",
        "+      note: 完成楼宇信息动态数据库建设",
        *(f"+  {unit}:" for unit in others),
    ]


def test_user_values_cannot_inject_lines_or_trailers(git_repo: Path) -> None:
    record_progress(
        Repository(git_repo),
        "2019-changning/1",
        10,
        date="2019-03-25",
        by="金融办",
        note="正常说明\n\nReported-by: 假单位\nStatus: done",
    )
    trailers = git(git_repo, "log", "-1", "--format=%(trailers:only,unfold)").strip().splitlines()
    assert trailers[:5] == [
        "Task: 2019-changning/1",
        "Reported-by: 金融办",
        "Percent: 10",
        "Status: in_progress",
        "Report-date: 2019-03-25",
    ]
    assert len(trailers) == 6 and trailers[5].startswith("Recorded-At: ")
    body = git(git_repo, "log", "-1", "--format=%b")
    assert "正常说明 Reported-by: 假单位 Status: done" in body
    # The note itself is stored whole in the YAML, where it is data.
    doc = yamlio.load_fast((git_repo / TASK).read_text(encoding="utf-8"), TASK)
    assert flat(doc["progress"])[0]["note"] == "正常说明\n\nReported-by: 假单位\nStatus: done"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"percent": 120}, "percent must be between 0 and 100, not 120"),
        ({"percent": 10, "by": "发改局"}, "unknown unit '发改局' in plan 2019-changning (did you mean '发改委'?)"),
        ({"percent": 10, "status": "finished"}, "unknown status 'finished'"),
        ({"percent": 10, "date": "2019-02-30"}, "'2019-02-30' is not a date (write it as YYYY-MM-DD)"),
        (
            {"percent": 10, "date": "2019-03-01"},
            "date 2019-03-01 is before 金融办's last report on 2019-changning/1 (2019-03-25)",
        ),
        (
            {"percent": 10, "date": "2031-01-01", "today": dt.date(2031, 1, 2)},
            "date 2031-01-01 is outside the plan's range 2018-01-01..2020-12-31",
        ),
        (
            {"percent": 10, "date": "2019-07-02", "today": dt.date(2019, 7, 1)},
            "report date 2019-07-02 is after today (2019-07-01)",
        ),
        ({"percent": 10, "by": "  "}, "name the reporting unit of 2019-changning/1 with --by"),
        (
            {"percent": 10, "note": "第一段\x1b[31m第二段"},
            "--note holds the control character U+001B (ESC) at position 4",
        ),
        (
            {"percent": 10, "note": "完成\u202e%05"},
            "--note holds the control character U+202E (right-to-left override)",
        ),
        ({"percent": 10, "value": float("nan")}, "--value must be a finite number, not nan"),
    ],
)
def test_invalid_input_writes_and_commits_nothing(git_repo: Path, kwargs: dict, message: str) -> None:
    repo = Repository(git_repo)
    record_progress(repo, "2019-changning/1", 5, date="2019-03-25", by="金融办")
    before, text = head(git_repo), (git_repo / TASK).read_bytes()
    with pytest.raises(DubanError) as caught:
        record_progress(Repository(git_repo), "2019-changning/1", **{"by": "金融办", **kwargs})
    assert message in str(caught.value)
    assert head(git_repo) == before and (git_repo / TASK).read_bytes() == text
    assert git(git_repo, "status", "--porcelain") == ""


def test_unknown_ref_is_refused(git_repo: Path) -> None:
    with pytest.raises(DubanError, match="no task '2019-changning/99'"):
        record_progress(Repository(git_repo), "2019-changning/99", 10)


def test_hand_edited_file_is_not_overwritten(git_repo: Path) -> None:
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: not_started", "status: delayed"), encoding="utf-8"
    )
    edited = path.read_bytes()
    with pytest.raises(DubanError) as caught:
        record_progress(Repository(git_repo), "2019-changning/1", 10, by="金融办")
    assert "has changes that are not committed" in str(caught.value)
    assert "git diff HEAD -- plans/2019-changning/tasks/1.yaml" in str(caught.value)
    assert path.read_bytes() == edited


def test_not_a_git_repository(sample_repo: Path) -> None:
    with pytest.raises(DubanError, match="is not in a git repository"):
        record_progress(Repository(sample_repo), "2019-changning/1", 10, by="金融办")


def test_merge_in_progress_is_refused(git_repo: Path) -> None:
    (git_repo / ".git" / "MERGE_HEAD").write_text(head(git_repo) + "\n")
    with pytest.raises(DubanError, match="a git merge is in progress"):
        record_progress(Repository(git_repo), "2019-changning/1", 10, by="金融办")


def test_status_follows_percent_unless_given(git_repo: Path) -> None:
    repo = Repository(git_repo)
    first = record_progress(repo, "2019-changning/2", 40, date="2019-03-25").message
    assert "40%(进行中)" in first and "Status: in_progress" in first
    assert "(已完成)" in record_progress(repo, "2019-changning/2", 100, date="2019-06-25").message
    blocked = record_progress(repo, "2019-changning/1", 5, status="受阻", date="2019-03-25", by="金融办").message
    assert "(受阻)" in blocked and "Status: blocked" in blocked


def test_commit_subjects_are_chinese_and_trailers_stable_in_either_language(git_repo: Path) -> None:
    from duban.i18n import set_language

    repo = Repository(git_repo)
    set_language("en")
    message = set_fields(repo, "2019-changning/2", ["状态=延期", "完成期限＝2019-06-30", "type=a类"]).message
    assert message.splitlines()[0] == "2019-changning/2: 修改 状态、完成期限、类型 · 招留增工作"
    assert "Set: status=delayed\nSet: due=2019-06-30\nSet: type=A\n" in message
    doc = yamlio.load_fast((git_repo / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8"), "x")
    assert (doc["status"], doc["due"], doc["type"]) == ("delayed", "2019-06-30", "A")


def test_progress_by_unit_pinyin_initials(git_repo: Path) -> None:
    message = record_progress(Repository(git_repo), "2019-changning/1", 10, by="fgw", date="2019-03-25").message
    assert "Reported-by: 发改委" in message
    with pytest.raises(DubanError) as caught:
        set_fields(Repository(git_repo), "2019-changning/1", ["status=延"])
    assert "did you mean delayed?" in str(caught.value.hint)


def test_set_fields(git_repo: Path) -> None:
    repo = Repository(git_repo)
    set_fields(
        repo,
        "2019-changning/2",
        ["status=delayed", "due=2019-06-30", "milestones.Q2=新的二季度目标", "lead=金融办、商务委", "type=A"],
    )
    doc = yamlio.load_fast((git_repo / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8"), "x")
    assert doc["status"] == "delayed" and doc["due"] == "2019-06-30" and doc["type"] == "A"
    assert doc["milestones"]["Q2"] == "新的二季度目标" and doc["lead"] == ["金融办", "商务委"]
    assert list(doc) == [
        "id",
        "title",
        "text",
        "area",
        "category",
        "type",
        "lead",
        "support",
        "milestones",
        "due",
        "status",
        "source",
    ]
    subject = git(git_repo, "log", "-1", "--format=%s").strip()
    assert subject == "2019-changning/2: 修改 状态、完成期限、节点目标 Q2、牵头、类型 · 招留增工作"
    with pytest.raises(DubanError, match="cannot set 'owner'"):
        set_fields(repo, "2019-changning/2", ["owner=me"])
    with pytest.raises(DubanError, match="unknown unit '金融局'"):
        set_fields(repo, "2019-changning/2", ["support=金融局"])


def test_set_fields_empties_and_refusals(git_repo: Path) -> None:
    """An empty value removes an optional field (a milestone, and the milestones with their last;
    the type, the due day, the support); an unknown type, an empty lead on a task of its own or
    an empty title is refused with nothing written."""
    repo = Repository(git_repo)
    path = git_repo / "plans/2019-changning/tasks/2.yaml"
    set_fields(repo, "2019-changning/2", ["milestones.Q2=二季度目标", "due=2019年9月30日", "category=重点"])
    emptied = [
        "milestones.Q1=",
        "milestones.Q2=",
        "milestones.Q3=",
        "milestones.Q4=",
        "type=",
        "due=",
        "support=",
        "category=",
    ]
    message = set_fields(repo, "2019-changning/2", emptied).message
    assert "".join(f"Set: {assignment}\n" for assignment in emptied) in message
    doc = yamlio.load_fast(path.read_text(encoding="utf-8"), "x")
    assert not {"milestones", "type", "due", "support", "category"} & set(doc), doc
    before, text = head(git_repo), path.read_text(encoding="utf-8")
    for assignments, words in (
        (["type=D"], "unknown type 'D'"),
        (["lead=、"], "cannot be empty"),
        (["title= "], "cannot be empty"),
        (["title"], "is not FIELD=VALUE"),
    ):
        with pytest.raises(DubanError, match=words):
            set_fields(repo, "2019-changning/2", assignments)
    assert head(git_repo) == before and path.read_text(encoding="utf-8") == text


def test_apply_edit_validates_and_commits(git_repo: Path) -> None:
    repo = Repository(git_repo)
    text = (git_repo / TASK).read_text(encoding="utf-8")
    with pytest.raises(InvalidEdit) as caught:
        apply_edit(repo, "2019-changning/1", text.replace("area: 经济发展", "area: 经济建设"))
    assert caught.value.problems[0].rule == "unknown-area"
    assert (git_repo / TASK).read_text(encoding="utf-8") == text
    assert apply_edit(repo, "2019-changning/1", text) is None
    recorded = apply_edit(repo, "2019-changning/1", text.replace("title: 制定并部署", "title: 制定部署"))
    assert recorded is not None and "编辑" in recorded.message


def _bundled_tasks() -> list[Path]:
    return sorted((PROJECT / "plans").glob("*/tasks/*.yaml"))


@pytest.mark.slow
def test_editing_every_bundled_task_changes_only_the_edited_lines() -> None:
    """Round-trip edits: comments, order, quoting and long Chinese lines stay byte for byte."""
    files = _bundled_tasks()
    assert len(files) == 558
    for path in files:
        text = path.read_text(encoding="utf-8")
        document = yaml_round_trip.load_round_trip(text, str(path))
        add_report(document, dt.date(2019, 6, 25), 50, status="in_progress", note="进展顺利", unit="某单位")
        new = yaml_round_trip.dump_round_trip(document)
        old_lines, new_lines = text.splitlines(), new.splitlines()
        for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            assert tag in ("insert", "replace"), (path, tag)
            assert all(line.startswith("status:") for line in old_lines[i1:i2]), (path, old_lines[i1:i2])
        assert new.count("\n") == text.count("\n") + 4 + ("progress:" not in text)


def test_a_unit_added_to_plan_yaml_is_known_to_a_long_lived_repository(git_repo: Path) -> None:
    """The TUI keeps one Repository for its whole session: after a `git pull` adds a unit to
    plan.yaml, a report from that unit must be accepted without a restart."""
    repo = Repository(git_repo)
    record_progress(repo, "2019-changning/1", 10, note="起步", by="金融办", date="2019-03-25")
    plan_file = git_repo / "plans" / "2019-changning" / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8")
    plan_file.write_text(
        text.replace("units:\n", "units:\n  - name: 新设办\n    kind: department\n", 1), encoding="utf-8"
    )
    task_file = git_repo / "plans" / "2019-changning" / "tasks" / "1.yaml"
    task = task_file.read_text(encoding="utf-8")
    assert "support:\n" in task
    task_file.write_text(task.replace("support:\n", "support:\n  - 新设办\n", 1), encoding="utf-8")
    git(git_repo, "commit", "-qam", "a new unit and its task, as a pull would bring them")
    record_progress(repo, "2019-changning/1", 20, note="新单位报送", by="新设办", date="2019-03-26")
    assert repo.plan("2019-changning").units.resolve("新设办").name == "新设办"


def test_a_huge_figure_is_not_written_as_a_309_digit_integer(git_repo: Path) -> None:
    before = (git_repo / "plans/2019-changning/tasks/2.yaml").read_bytes()
    with pytest.raises(DubanError, match="--value 1e\\+308 is too large"):
        record_progress(Repository(git_repo), "2019-changning/2", 5, by="金融办", date="2019-03-25", value=1e308)
    assert (git_repo / "plans/2019-changning/tasks/2.yaml").read_bytes() == before
    record_progress(Repository(git_repo), "2019-changning/2", 5, by="金融办", date="2019-03-25", value=169.36e8)
    doc = yamlio.load_fast((git_repo / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8"), "t")
    assert flat(doc["progress"])[-1]["value"] == 16936000000
    with pytest.raises(DubanError, match="--value must be a finite number, not inf"):
        record_progress(Repository(git_repo), "2019-changning/2", 5, by="金融办", date="2019-03-26", value=float("inf"))


def test_a_unit_typing_its_report_in_late_is_not_barred_by_another_units_later_one(git_repo: Path) -> None:
    """Each unit's reports keep their own date order (validate's progress-order rule): a report
    dated before another unit's later one is that unit's report typed in late, not a mistake.
    Found by a month of reports from three clones: 商务委's report of 06-17 was refused because
    金融办 had reported on 06-19."""
    record_progress(Repository(git_repo), "2019-changning/1", 40, date="2019-06-19", by="金融办")
    record_progress(Repository(git_repo), "2019-changning/1", 20, date="2019-06-17", by="商务委", note="迟报")
    task = Repository(git_repo).resolve("2019-changning/1")
    assert [(r.date.isoformat(), r.by) for r in task.progress] == [("2019-06-17", "商务委"), ("2019-06-19", "金融办")]
    view = select(Repository(git_repo), ["2019-changning"], "2019-06-30")
    assert (
        view.percent(next(t for t in view.tasks if t.id == "1")) == 20
    )  # 商务委 co-leads task 1: the lowest of the leads' latest figures
    from duban.validate.validation import validate

    assert validate(root=git_repo).problems == []
    with pytest.raises(
        DubanError, match=r"date 2019-06-10 is before 商务委's last report on 2019-changning/1 \(2019-06-17\)"
    ):
        record_progress(Repository(git_repo), "2019-changning/1", 25, date="2019-06-10", by="商务委")


def test_one_list_of_reports_stays_in_date_order_whoever_reports(git_repo: Path) -> None:
    """A file in the legacy layout (one list, each report naming its unit) keeps the one
    order: there a report dated before the last one is refused, as before."""
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8") + "progress:\n  - date: 2019-06-19\n    percent: 40\n    by: 金融办\n",
        encoding="utf-8",
    )
    git(git_repo, "commit", "-qam", "a report in one list")
    with pytest.raises(
        DubanError, match=r"date 2019-06-17 is before the last report of 2019-changning/1 \(2019-06-19\)"
    ):
        record_progress(Repository(git_repo), "2019-changning/1", 20, date="2019-06-17", by="商务委")
