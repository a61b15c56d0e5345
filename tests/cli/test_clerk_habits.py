"""A clerk's habits (issue 32, the newcomer audit's L1–L15, M3–M8, M11 and reliability N11):
dates, numbers, refs and units as they are typed; usage errors in one translated line; what a
reviewer on a forge reads in the record; where `-o` writes; paths that cannot be made."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.i18n import set_language
from tests.support import PROJECT, git


def run(*args: str, env: dict[str, str] | None = None):
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env, prog_name="duban")
    finally:
        set_language("en")


def subject(repo: Path) -> str:
    return git(repo, "log", "-1", "--format=%s").strip()


def report_dates(repo: Path) -> list[str]:
    return git(repo, "log", "--format=%(trailers:key=Report-date,valueonly)").split()


# -- L3: dates, numbers and refs as clerks type them ---------------------------------------------


@pytest.mark.parametrize(
    "typed", ["6月24日", "6月24号", "20190624", "2019年6月24号", "二〇一九年六月二十四日", "２０１９年６月２４日"]
)
def test_a_report_date_as_a_clerk_types_it(git_repo: Path, typed: str) -> None:
    """6月24日 in a 2019 plan is 24 June 2019 (the plan's year), whatever today is."""
    result = run("progress", "2019-changning/1", "--percent", "30", "--by", "金融办", "--date", typed)
    assert result.exit_code == 0, result.stderr
    assert report_dates(git_repo)[0] == "2019-06-24"


def test_a_day_alone_needs_its_month_in_another_years_plan(git_repo: Path) -> None:
    result = run("--lang", "zh", "progress", "2019-changning/1", "--percent", "30", "--by", "金融办", "--date", "24号")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "6月24日" in result.stderr and "24号" in result.stderr


def test_a_month_as_a_clerk_types_it(git_repo: Path) -> None:
    """2019年6月份 and 6月份 (in the only plan of 2019's year) are June 2019."""
    for typed in ("2019年6月份", "201906"):
        result = run("score", "--plan", "2019-changning", "--month", typed, "--format", "json")
        assert result.exit_code == 0, result.stderr
    wanted = run("score", "--plan", "2019-changning", "--month", "2019-06", "--format", "json").stdout
    assert run("score", "--plan", "2019-changning", "--month", "6月份", "--format", "json").stdout == wanted


def test_a_decimal_comma_is_a_decimal_point(git_repo: Path) -> None:
    result = run("progress", "2019-changning/1", "--percent", "50,5", "--by", "金融办", "--date", "2019-06-24")
    assert result.exit_code == 0, result.stderr
    assert git(git_repo, "log", "-1", "--format=%(trailers:key=Percent,valueonly)").strip() == "50.5"


@pytest.mark.parametrize(
    "ref",
    ["2019-changning／1", "2019-changning/1 ", " 2019-changning / 1", "2019-changning/第1项", "２０１９-changning／１"],
)
def test_a_ref_as_a_clerk_types_it(git_repo: Path, ref: str) -> None:
    result = run("show", ref, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ref"] == "2019-changning/1"


# -- L4: --by takes what a query takes -----------------------------------------------------------


@pytest.mark.parametrize("by", ["监管局", "jgj", "市场监管"])
def test_by_takes_a_part_of_the_name_or_its_initials(git_repo: Path, by: str) -> None:
    """lead:监管局 and lead:jgj find 市场监管局; so does --by, when the part names one unit."""
    result = run("progress", "2019-changning/1", "--percent", "30", "--by", by, "--date", "2019-06-24")
    assert result.exit_code == 0, result.stderr
    assert git(git_repo, "log", "-1", "--format=%(trailers:key=Reported-by,valueonly)").strip() == "市场监管局"


def test_by_that_names_several_units_names_them_and_an_unknown_one_points_to_units(git_repo: Path) -> None:
    several = run("progress", "2019-changning/1", "--percent", "30", "--by", "委", "--date", "2019-06-24")
    assert several.exit_code == 1 and "商务委" in several.stderr and "发改委" in several.stderr
    unknown = run(
        "--lang", "zh", "progress", "2019-changning/1", "--percent", "30", "--by", "不存在的局", "--date", "2019-06-24"
    )
    assert unknown.exit_code == 1 and "duban units" in unknown.stderr and "plan.yaml" not in unknown.stderr


# -- L14, L2: usage errors in one translated line ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["progress", "2019-changning/1", "--percent", "五十"],
        ["import", "nope.txt", "--plan", "x"],
        ["circular", "--month", "2019-06", "--issue", "abc"],
        ["--lang", "zh", "progres"],
        ["init", "plans/2019-changning/plan.yaml"],
    ],
)
def test_a_usage_error_is_one_chinese_line(git_repo: Path, args: list[str]) -> None:
    from tests.cli.support import english_words

    result = run(*(["--lang", "zh"] if args[0] != "--lang" else []), *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("duban: 错误:"), result.stderr
    assert english_words(result.stderr) == [], result.stderr


def test_an_environment_variables_mistake_is_chinese_too(git_repo: Path) -> None:
    result = run("list", env={"DUBAN_LANG": "zh", "LANG": "zh_CN.UTF-8"} | {"DUBAN_LANG": "xx"})
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "env var" not in result.stderr and "环境变量" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["import", "{tmp}/letter.txt", "--plan", "2019-x"],
        ["import", "{tmp}/plan.docx", "--plan", "2019-x"],
        ["import", "{tmp}/plan.xlsx", "--plan", "2019-x"],
        ["edit", "2019-changning/1"],
    ],
    ids=["layouts", "docx", "xlsx", "editor"],
)
def test_duban_own_errors_carry_no_english(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """L2, duban's own messages: the layouts import knows, a file that is not a .docx or .xlsx,
    and an editor that does not run were said in English inside the Chinese line."""
    from tests.cli.support import english_words

    (tmp_path / "letter.txt").write_text("各位同事:\n下周一开会。\n", encoding="utf-8")
    (tmp_path / "plan.docx").write_text("not a zip\n", encoding="utf-8")  # a .doc or a page renamed
    (tmp_path / "plan.xlsx").write_text("not a zip\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    monkeypatch.delenv("VISUAL", raising=False)
    result = run("--lang", "zh", *(arg.format(tmp=tmp_path) for arg in args))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert english_words(result.stderr) == [], result.stderr
    assert git(git_repo, "status", "--porcelain") == ""


def test_several_suggestions_are_joined_in_chinese(git_repo: Path) -> None:
    """L2: a did-you-mean with two units read `是不是 '公安分局' or '安监局'?` (fixed in an earlier round)."""
    result = run("--lang", "zh", "progress", "2019-changning/1", "--percent", "10", "--by", "财务局")
    assert result.exit_code == 1 and "(是不是 '财政局' 或 '税务局'?)" in result.stderr, result.stderr


def test_the_version_is_the_same_in_every_language() -> None:
    assert run("--lang", "zh", "--version").stdout == run("--version").stdout
    assert run("--version").stdout.startswith("duban ") and "version" not in run("--version").stdout


# -- L6, L2: the record read on a forge ----------------------------------------------------------


def test_a_reports_subject_names_the_unit_and_the_task(git_repo: Path) -> None:
    run("progress", "2019-changning/1", "--percent", "30", "--by", "金融办", "--date", "2019-06-24")
    assert subject(git_repo) == "2019-changning/1: 进度 30%(进行中) 金融办 · 制定并部署2019年长宁区稳增长…"
    run("set", "2019-changning/1", "status=delayed")
    assert subject(git_repo) == "2019-changning/1: 修改 状态 · 制定并部署2019年长宁区稳增长…"


def test_undo_and_merge_messages_are_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.cli.support import english_words
    from tests.support import office_and_unit

    def duban(cwd: Path, *args: str):
        monkeypatch.chdir(cwd)
        return run(*args)

    office, unit, _remote, _first = office_and_unit(tmp_path, duban)
    assert (
        duban(
            office, "progress", "2019-changning/1", "--percent", "30", "--by", "金融办", "--date", "2019-06-24"
        ).exit_code
        == 0
    )
    assert duban(office, "sync").exit_code == 0
    assert duban(unit, "init").exit_code == 0
    assert (
        duban(
            unit, "progress", "2019-changning/2", "--percent", "40", "--by", "商务委", "--date", "2019-06-25"
        ).exit_code
        == 0
    )
    assert duban(unit, "sync").exit_code == 0
    merge = git(unit, "log", "-1", "--merges", "--format=%B")
    assert merge.startswith("合并 origin/main:1 项记录") and "2019-changning/1: 进度 30%" in merge
    assert english_words(merge.replace("origin/main", "")) == [], merge
    undone = duban(unit, "undo", "2019-changning/2", "--reason", "误录")
    assert undone.exit_code == 0, undone.stderr
    body = git(unit, "log", "-1", "--format=%b")
    assert "This reverts" not in body and "撤销提交" in body


def test_an_edits_subject_names_the_fields_it_changed(git_repo: Path, tmp_path: Path) -> None:
    """A reviewer on a forge reads what an edit changed (a sealed report's percent, say)."""
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\npath = pathlib.Path(sys.argv[1])\n"
        "path.write_text(path.read_text(encoding='utf-8').replace('status: not_started', "
        "'status: delayed'), encoding='utf-8')\n",
        encoding="utf-8",
    )
    result = run("edit", "2019-changning/2", env={"EDITOR": f"{sys.executable} {editor}", "VISUAL": ""})
    assert result.exit_code == 0, result.stderr
    assert subject(git_repo) == "2019-changning/2: 编辑 状态 · 招留增工作"
    assert git(git_repo, "log", "-1", "--format=%(trailers:key=Edited,valueonly)").strip() == "status"


# -- L13: blame for scripts ----------------------------------------------------------------------


def test_blame_as_json(history_repo: Path) -> None:
    result = run("blame", "2019-changning/1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["field"]: row for row in json.loads(result.stdout)}
    assert rows["status"]["subject"].startswith("2019-changning/1: 修改")
    assert len(rows["status"]["sha"]) == 40 and rows["status"]["date"] == "2019-05-27"


# -- M11, L8: set of an empty lead or title ------------------------------------------------------


@pytest.mark.parametrize("assignment", ["lead=", "lead= 、", "牵头=", "title=", "text="])
def test_set_refuses_an_empty_required_field(git_repo: Path, assignment: str) -> None:
    head = git(git_repo, "rev-parse", "HEAD")
    result = run("set", "2019-changning/1", assignment)
    assert result.exit_code == 1 and "cannot be empty" in result.stderr, result.stderr
    assert git(git_repo, "rev-parse", "HEAD") == head


# -- M4, L1, L2: what -o and --format write -----------------------------------------------------


def test_csv_on_standard_output_is_the_csv_of_a_file(git_repo: Path) -> None:
    """Run as a process: the terminal-escaping stream is installed by the real command."""
    file = git_repo / "t.csv"
    assert run("export", "--plan", "2019-changning", "-o", str(file)).exit_code == 0
    piped = subprocess.run(
        [sys.executable, "-m", "duban", "export", "--plan", "2019-changning", "-o", "-", "--format", "csv"],
        capture_output=True,
        cwd=git_repo,
    )
    assert piped.returncode == 0, piped.stderr
    # The same bytes, CRLF line ends included; a pipe gets no byte-order mark (Excel's, for a file).
    assert b"\\x0d" not in piped.stdout and piped.stdout == file.read_bytes().removeprefix("\ufeff".encode())


# A standard output in text mode as on Windows: every "\n" written goes out as "\r\n".
WINDOWS_STDOUT = "import sys; sys.stdout.reconfigure(newline='\\r\\n'); from duban.cli.early import run; run()"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["export", "--plan", "2019-changning", "-o", "-", "--format", "csv"],
        ["circular", "--month", "2019-06", "--format", "md"],
    ],
)
def test_a_document_on_a_text_mode_standard_output_keeps_its_line_ends(git_repo: Path, args: list[str]) -> None:
    """On Windows the CSV's \r\n came out as \r\r\n (a blank row between rows in Excel):
    standard output translates every \n it is given. The document goes out as its bytes."""
    plain = subprocess.run([sys.executable, "-m", "duban", *args], capture_output=True, cwd=git_repo)
    windows = subprocess.run([sys.executable, "-c", WINDOWS_STDOUT, *args], capture_output=True, cwd=git_repo)
    assert windows.returncode == 0, windows.stderr.decode()
    assert b"\r\r\n" not in windows.stdout and windows.stdout == plain.stdout


def test_standard_output_without_a_format_says_so(git_repo: Path) -> None:
    result = run("export", "--plan", "2019-changning", "-o", "-")
    assert result.exit_code == 1 and "None" not in result.stderr and "standard output" in result.stderr


@pytest.mark.parametrize("name", ["x.pdf", "通报"])
def test_a_circular_into_a_name_that_says_no_format_is_refused(git_repo: Path, name: str) -> None:
    result = run("circular", "--month", "2019-06", "-o", name)
    assert result.exit_code == 1 and not (git_repo / name).exists(), result.stderr
    assert run("circular", "--month", "2019-06", "-o", "通报", "--format", "md").exit_code == 0


# -- M5, N11: -o onto a symlink, a FIFO or a device ---------------------------------------------


def test_output_through_a_symlink_writes_its_target(git_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert run("export", "--plan", "2019-changning", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and target.read_bytes().startswith("\ufeff".encode())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_output_into_a_fifo_goes_to_its_reader(git_repo: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    read: list[bytes] = []
    reader = threading.Thread(target=lambda: read.append(fifo.read_bytes()))
    reader.start()
    result = run("export", "--plan", "2019-changning", "-o", str(fifo), "--format", "csv")
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and read and read[0].startswith("\ufeff".encode())


def test_output_onto_a_device_writes_into_it(git_repo: Path, tmp_path: Path) -> None:
    """N11's reproduction: a device node of the test's own (the null device), never the system's."""
    device = tmp_path / "mynull"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (AttributeError, PermissionError, OSError):
        pytest.skip("cannot make a device node here (needs root and CAP_MKNOD)")
    for args in (
        ["export", "--plan", "2019-changning", "--format", "csv"],
        ["circular", "--month", "2019-06", "--format", "md"],
    ):
        result = run(*args, "-o", str(device))
        assert result.exit_code == 0, result.stderr
        assert stat.S_ISCHR(os.lstat(device).st_mode)


# -- M6: an output path that cannot be made ------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [
            "import",
            str(PROJECT / "plans/2019-changning/source/002_6636f39aa932eafa.txt"),
            "--plan",
            "2019-x",
            "--dry-run",
            "--report",
            "nodir/r.md",
        ],
        ["export", "--plan", "2019-changning", "-o", "长宁区" * 30 + ".xlsx"],
        ["init", "plans/2019-changning/plan.yaml/x"],
        ["circular", "--month", "2019-06", "-o", "/proc/c.md"],
    ],
)
def test_an_output_path_that_cannot_be_made_is_one_line(git_repo: Path, args: list[str]) -> None:
    result = run("--lang", "zh", *args)
    assert result.exit_code == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("提示")]
    assert len(errors) == 1 and errors[0].startswith("duban: 错误: 无法使用"), result.stderr


# -- M8: an exported ledger read back as a plan ------------------------------------------------


def test_an_exported_ledger_reads_back_as_its_tasks_not_its_scores(git_repo: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    assert run("export", "--plan", "2019-changning", "-o", str(ledger), "--as-of", "2019-06-30").exit_code == 0
    from openpyxl import load_workbook

    assert "考核得分" in load_workbook(ledger).sheetnames  # the sheet of units that must not become tasks
    result = run("--lang", "zh", "import", str(ledger), "--plan", "2019-back", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "2 项任务" in result.stderr, result.stderr


# -- M7: the identity hint whatever language git speaks ------------------------------------------


def test_no_identity_is_said_when_git_speaks_chinese(git_repo: Path, tmp_path: Path) -> None:
    env = {name: None for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")}
    env |= {
        "HOME": str(tmp_path),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "LANGUAGE": "zh_CN",
        "EMAIL": "",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    result = CliRunner().invoke(
        cli,
        ["--lang", "zh", "progress", "2019-changning/1", "--percent", "30", "--by", "金融办", "--date", "2019-06-24"],
        env=env,
        catch_exceptions=False,
    )
    set_language("en")
    assert result.exit_code == 1 and "git config --global user.name" in result.stderr, result.stderr
    assert git(git_repo, "status", "--porcelain") == ""
