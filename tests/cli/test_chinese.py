"""Chinese in, Chinese out: under --lang zh every help text, Click's own messages and the human
outputs are Chinese, apart from identifiers (commands, options, formats, metavars, refs,
examples of query terms); Chinese words and full-width forms are accepted wherever English
ones are. Data for scripts (JSON, CSV of `list`, trailers) stays the same in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.i18n import set_language
from tests.cli.support import english_words
from tests.support import git


def run(*args: str):
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False, prog_name="duban")
    finally:
        set_language("en")


def test_english_words_finds_english_and_skips_identifiers() -> None:
    assert english_words("Show this message and exit.") == ["Show", "this", "message", "and", "exit"]
    assert english_words("显示 --as-of REF 2019-changning/3 lead:fgw [table|json] status=delayed") == []


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(cli.commands))])
def test_every_help_is_chinese(command: list[str], sample_repo: Path) -> None:
    result = run("--lang", "zh", *command, "--help")
    assert result.exit_code == 0
    assert "用法:" in result.stdout and "选项" in result.stdout
    assert english_words(result.stdout) == []
    if command and command[0] != "merge-driver":
        assert "示例:" in result.stdout  # every command shows how it is used


def test_help_follows_the_environment_variable_too(sample_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_LANG", "zh")
    assert "显示本帮助并退出" in run("--help").stdout
    assert "Show this message and exit." in run("--lang", "en", "--help").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["lst"],
        ["progress", "2019-changning/1"],
        ["list", "--format", "yaml"],
        ["list", "--nope"],
        ["progress", "2019-changning/1", "--percent", "五十"],
        ["progress", "2019-changning/1", "--percent"],
        ["report", "--by", "颜色"],
    ],
)
def test_usage_errors_are_chinese(args: list[str], sample_repo: Path) -> None:
    result = run("--lang", "zh", *args)
    assert result.exit_code == 2
    assert "错误:" in result.stderr
    assert english_words(result.stderr) == [], result.stderr


def test_percent_with_a_percent_sign(git_repo: Path) -> None:
    result = run(
        "progress",
        "2019-changning/1",
        "--percent",
        "５０％",
        "--status",
        "进行中",
        "--date",
        "2019-03-25",
        "--by",
        "金融办",
    )
    assert result.exit_code == 0, result.stderr
    assert "进度 50%(进行中)" in result.stdout
    assert "Percent: 50\nStatus: in_progress\n" in git(git_repo, "log", "-1", "--format=%B")


def test_chinese_values_in_options(git_repo: Path) -> None:
    assert run("set", "2019-changning/2", "状态=延期").exit_code == 0
    assert "status: delayed" in (git_repo / "plans/2019-changning/tasks/2.yaml").read_text(encoding="utf-8")
    chinese = run("report", "--by", "领域", "--format", "json").stdout
    assert chinese == run("report", "--by", "area", "--format", "json").stdout
    assert run("report", "--by", "ly", "--format", "json").stdout == chinese  # the initials of 领域


def test_outputs_are_chinese(history_repo: Path) -> None:
    outputs = {
        "list": run("--lang", "zh", "list", "--as-of", "2019-06-30").stdout,
        "show": run("--lang", "zh", "show", "2019-changning/1").stdout,
        "report": run("--lang", "zh", "report", "--as-of", "2019-06-30").stdout,
        "diff": run("--lang", "zh", "diff", "--since", "2019-05-01", "--until", "2019-05-31").stdout,
        "blame": run("--lang", "zh", "blame", "2019-changning/1").stdout,
        "explain": run("--lang", "zh", "explain", "2019-changning/1", "--as-of", "2019-06-30").stdout,
        "history": run("--lang", "zh", "history", "2019-changning/1").stdout,
    }
    for name, text in outputs.items():
        assert text.strip(), name
        assert english_words(text) == [], (name, text)
    assert "配合" in outputs["report"] and "牵头" in outputs["report"]
    assert "~ 状态: 进行中 -> 延期" in outputs["diff"]
    assert outputs["blame"].splitlines()[2].split()[0] in ("序号", "标题", "文字", "领域")


def test_export_status_column_is_chinese(history_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.csv"
    assert run("--lang", "zh", "export", "--plan", "2019-changning", "--format", "csv", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "延期" in text and "delayed" not in text and "in_progress" not in text


def test_scripts_read_the_same_in_every_language(history_repo: Path) -> None:
    for args in (
        ["list", "--format", "csv"],
        ["list", "--format", "json"],
        ["report", "--format", "csv"],
        ["diff", "--since", "2019-01-01", "--until", "2019-12-31", "--format", "json"],
    ):
        assert run("--lang", "zh", *args).stdout == run("--lang", "en", *args).stdout, args


def test_full_width_forms_name_a_unit_as_their_ascii_does(git_repo: Path) -> None:
    """Typed with the input method on: （） and Ｌａｔｉｎ letters were refused where ( ) and
    ascii worked: 发改委（统计局） and ＫＷ for --by, ＪＲＢ for log and list."""
    plan = git_repo / "plans/2019-changning/plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("      - 科  委\n", "      - 科  委\n      - 科委(科技)\n"),
        encoding="utf-8",
    )
    git(git_repo, "commit", "-qam", "an alias with brackets")
    for typed, unit in (("科委（科技）", "科委"), ("ＫＷ", "科委"), ("ｊｒｂ", "金融办")):
        result = run(
            "progress", "2019-changning/1", "--percent", "10", "--by", typed, "--date", "2019-03-25", "--note", typed
        )
        assert result.exit_code == 0, result.stderr
        assert f"Reported-by: {unit}\n" in git(git_repo, "log", "-1", "--format=%B")
    assert run("log", "--unit", "ＪＲＢ").stdout.count("[金融办]") == 1
    assert run("list", "lead:ＪＲＢ").stdout == run("list", "lead:jrb").stdout != ""


def test_log_unit_takes_pinyin_and_refuses_an_unknown_unit(history_repo: Path) -> None:
    by_name = run("log", "--unit", "金融办").stdout
    assert by_name.count("[金融办]") == 3 and run("log", "--unit", "jrb").stdout == by_name
    unknown = run("--lang", "zh", "log", "--unit", "金融")
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert unknown.stderr == "duban: 错误: 所有计划中都没有单位 '金融' (是不是 '金融办'?)\n"


def test_note_without_history_is_chinese(sample_repo: Path) -> None:
    result = run("--lang", "zh", "list", "--as-of", "2019-06-30")
    assert result.exit_code == 0
    assert result.stderr.startswith("提示:2019-06-30 及以前没有 git 记录:按现有文件计算")
    assert english_words(result.stderr) == [] and english_words(result.stdout) == []


def _refs(*args: str) -> list[str]:
    import json

    result = run("list", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [row["ref"] for row in json.loads(result.stdout)]


def test_negation_and_option_like_terms_on_the_command_line(sample_repo: Path) -> None:
    everything, fgw = _refs(), _refs("lead:fgw")
    assert fgw and len(fgw) < len(everything)
    assert _refs("-lead:fgw") == [r for r in everything if r not in fgw]  # no `--` needed
    assert _refs("--lead:fgw") == fgw  # written as an option, meant as a term
    assert _refs("--plan", "2008-baoshan", "-状态:已完成") == _refs("--plan=2008-baoshan")
    assert _refs("lead:fgw", "or", "lead:jrb") == _refs("lead:fgw", "OR", "lead:jrb") != fgw
    mistyped = run("--lang", "zh", "list", "--nope")
    assert mistyped.exit_code == 2 and "没有选项 '--nope'" in mistyped.stderr


def test_a_figure_with_wan_and_a_refused_one_in_chinese(git_repo: Path) -> None:
    """--value 1.2万 was refused with Click's English "'1.2万' 不是有效的float"."""
    result = run(
        "progress",
        "2019-changning/1",
        "--percent",
        "30",
        "--value",
        "1.2万",
        "--by",
        "jrb",
        "--date",
        "2019-03-25",
        "--note",
        "x",
    )
    assert result.exit_code == 0, result.stderr
    assert "value: 12000" in git(git_repo, "show", "--format=", "HEAD")
    refused = run("--lang", "zh", "progress", "2019-changning/1", "--percent", "30", "--value", "一万")
    assert refused.exit_code == 2 and "不是数字" in refused.stderr and "float" not in refused.stderr


def test_quarters_roles_and_a_missing_editor_in_chinese(git_repo: Path) -> None:
    """里程碑.二季度 was 'cannot set', 红灯:主责 was an unknown role, a missing editor spoke
    Click's English."""
    assert run("set", "2019-changning/1", "里程碑.二季度=完成初稿", "节点目标．第三季度=印发").exit_code == 0
    text = (git_repo / "plans/2019-changning/tasks/1.yaml").read_text(encoding="utf-8")
    assert "  Q2: 完成初稿\n" in text and "  Q3: 印发\n" in text
    scores = run("score", "--plan", "2019-changning", "--what-if", "红灯:主责=-3")
    assert scores.exit_code == 0, scores.stderr
    missing = CliRunner().invoke(
        cli,
        ["--lang", "zh", "edit", "2019-changning/1"],
        prog_name="duban",
        env={"EDITOR": "/nonexistent/editor", "VISUAL": ""},
    )
    set_language("en")
    assert missing.exit_code == 1 and missing.stderr.startswith("duban: 错误: 编辑器 '/nonexistent/editor' 未能运行")
    assert "Traceback" not in missing.stderr


def test_the_usage_line_of_every_command_is_chinese() -> None:
    """Click's usage line said `用法: duban withdraw [OPTIONS] REF YYYY-MM-DD` in a Chinese help."""
    from click.testing import CliRunner

    from duban.cli.main import cli

    for name in [None, *sorted(cli.commands)]:
        args = ["--lang", "zh", *([name] if name else []), "--help"]
        usage = CliRunner().invoke(cli, args, prog_name="duban").output.splitlines()[0]
        assert usage.startswith("用法: duban") and "[选项]" in usage, usage
        assert not any(word in usage for word in ("OPTIONS", "COMMAND", "ARGS")), usage
