"""The command line speaks Chinese where the locale is Chinese, or with --lang zh / DUBAN_LANG=zh;
data (JSON keys, CSV headers, rule names, severities) stays the same in every language."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from duban.cli.main import cli
from duban.i18n import set_language
from tests.support import DATA


def run(*args: str, env: dict[str, str] | None = None):
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)
    finally:
        set_language("en")


def test_lang_option_translates_problems_and_summary(sample_repo: Path) -> None:
    shutil.copy(DATA / "invalid/unknown-unit.yaml", sample_repo / "plans/2019-changning/tasks")
    result = run("--lang", "zh", "validate")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "plans/2019-changning/tasks/unknown-unit.yaml:10:5: 错误: 未知单位 '发改';是不是 '发改委'? [unknown-unit]"
    )
    assert result.stderr == "已检查 10 个文件:2 个错误,0 个警告\n"


def test_environment_variable_chooses_the_language(sample_repo: Path) -> None:
    result = run("show", "2019-changning/99", env={"DUBAN_LANG": "zh"})
    assert result.exit_code == 1
    assert result.stderr == "duban: 错误: 没有任务 '2019-changning/99' (`duban list` 可列出所有编号)\n"


def test_chinese_locale_is_the_default(sample_repo: Path) -> None:
    script = Path(sys.executable).with_name("duban")
    env = {**os.environ, "LANG": "zh_CN.UTF-8"}
    result = subprocess.run([str(script), "list", "lead:fgw"], capture_output=True, text=True, cwd=sample_repo, env=env)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].split() == ["编号", "任务", "领域", "牵头", "配合", "类型", "状态", "%", "灯"]
    assert result.stderr.strip().endswith("项任务")
    english = subprocess.run(
        [str(script), "--lang", "en", "list", "lead:fgw"], capture_output=True, text=True, cwd=sample_repo, env=env
    )
    assert english.stdout.splitlines()[0].split()[:3] == ["ref", "title", "area"]


def test_data_formats_do_not_change_with_the_language(sample_repo: Path) -> None:
    shutil.copy(DATA / "invalid/percent-over.yaml", sample_repo / "plans/2019-changning/tasks")
    english = json.loads(run("validate", "--format", "json").stdout)
    chinese = json.loads(run("--lang", "zh", "validate", "--format", "json").stdout)
    assert [{k: v for k, v in p.items() if k != "message"} for p in chinese] == [
        {k: v for k, v in p.items() if k != "message"} for p in english
    ]
    assert chinese[0]["message"] == "120 超过最大值 100"
    assert run("--lang", "zh", "list", "--format", "csv").stdout == run("list", "--format", "csv").stdout


def test_show_labels_are_translated(sample_repo: Path) -> None:
    out = run("--lang", "zh", "show", "2008-baoshan/1-1").stdout
    assert "牵头 (牵头单位)  发改委、统计局  (继承自上级任务)" in out
    assert "状态             未启动" in out and "来源" in out


def test_import_summary_notes_and_errors_in_chinese(tmp_path: Path) -> None:
    from tests.support import PROJECT

    source = PROJECT / "plans/2008-baoshan/source/000_521e3fe8008ddb33.txt"
    result = run("--lang", "zh", "import", str(source), "--plan", "2008-x", "--dry-run")
    assert result.exit_code == 0
    assert "(outline 版式,utf-8-sig):80 项任务及 134 个子项,7 个领域" in result.stderr
    assert "提示:单位 '老镇及旧房改造指挥部' 保留为一个整体" in result.stderr
    binary = tmp_path / "plan.txt"
    binary.write_bytes(b"\x00\x01binary")
    failed = run("--lang", "zh", "import", str(binary), "--plan", "2008-x", "--dry-run")
    assert (
        failed.exit_code == 1
        and "这是二进制文件,不是文本文件 (请导入 .txt、.docx 或 .xlsx 文件(装有 LibreOffice 时" in failed.stderr
    )
