"""Shell completion through Click's protocol (the variables bash, zsh and fish scripts set):
refs, plan ids, units by name and pinyin, query fields and values, `set` fields, statuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli


def complete(words: str, shell: str = "bash") -> list[str]:
    """What the shell would offer for the last word of `words` (a trailing space: a new word)."""
    parts = words.split(" ")
    # fish passes the word being completed itself; bash and zsh pass its index.
    env = {
        "_DUBAN_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": parts[-1] if shell == "fish" else str(len(parts) - 1),
    }
    result = CliRunner().invoke(cli, [], prog_name="duban", env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    if shell == "bash":
        return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]
    if shell == "zsh":
        lines = [line for line in result.stdout.splitlines() if line]
        return [lines[i + 1].replace("\\:", ":") for i in range(0, len(lines), 3)]
    return [line.split(",", 1)[1].split("\t")[0] for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_a_script_and_answers(shell: str, sample_repo: Path) -> None:
    script = CliRunner().invoke(cli, [], prog_name="duban", env={"_DUBAN_COMPLETE": f"{shell}_source"})
    assert script.exit_code == 0 and "_DUBAN_COMPLETE" in script.stdout
    assert complete("duban show 2019-changning/", shell) == ["2019-changning/1", "2019-changning/2"]
    assert "状态:进行中" in complete("duban list 状态:进", shell)
    assert "发改委" in complete("duban progress 2019-changning/1 --by fgw", shell)


def test_refs_and_plans(sample_repo: Path) -> None:
    assert complete("duban history 2008") == [f"2008-baoshan/{n}" for n in ("1", "1-1", "1-2", "1-3", "1-4")]
    assert complete("duban list --plan 2019") == ["2019-changning"]
    assert complete("duban tui --plan 2008") == ["2008-baoshan"]


def test_units_by_name_alias_and_pinyin(sample_repo: Path) -> None:
    assert "发改委" in complete("duban progress 2019-changning/1 --by 发改")
    assert "发改委" in complete("duban progress 2019-changning/1 --by fgw")
    assert "金融办" in complete("duban log --unit jrb")


def test_query_fields_and_values(sample_repo: Path) -> None:
    assert {"status:", "support:"} <= set(complete("duban list s"))
    assert "状态:" in complete("duban list 状")
    assert complete("duban list 状态:进") == ["状态:进行中"]
    assert {"light:red", "light:红", "light:红灯"} <= set(complete("duban report light:"))
    assert "lead:发改委" in complete("duban export --plan 2019-changning lead:fgw")
    assert complete("duban list plan:2008") == ["plan:2008-baoshan"]


def test_set_fields_and_values_and_status_option(sample_repo: Path) -> None:
    assert {"status=", "support="} <= set(complete("duban set 2019-changning/1 s"))
    assert "节点目标." in complete("duban set 2019-changning/1 节点")
    assert complete("duban set 2019-changning/1 状态=延") == ["状态=延期", "状态=延迟"]
    assert "lead=金融办,发改委" in complete("duban set 2019-changning/1 lead=金融办,fgw")
    assert {"blocked", "受阻"} <= set(complete("duban progress 2019-changning/1 --status "))


def test_nothing_to_offer_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert complete("duban show 2019") == []
    assert complete("duban list status:d") == ["status:done", "status:delayed"]
