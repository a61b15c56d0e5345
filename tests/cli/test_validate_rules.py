"""`duban validate --rules` prints the table of rules, translated under the zh locale; the ids
and severities stay the same in every language."""

from __future__ import annotations

import json

from click.testing import CliRunner

from duban.cli.main import cli
from duban.i18n import set_language
from duban.problems import RULES, RuleId


def run(*args: str):
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        set_language("en")


def test_rules_lists_every_rule_in_english() -> None:
    result = run("--lang", "en", "validate", "--rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert (
        "report-without-unit      warning  a report names no reporting unit (by:); add by: with the unit that "
        "reported" in lines
    )


def test_rules_are_in_chinese_under_the_zh_locale() -> None:
    result = run("--lang", "zh", "validate", "--rules")
    assert result.exit_code == 0
    assert "future-report            error    报送日期晚于今天;修正日期" in result.stdout.splitlines()


def test_rules_as_json() -> None:
    result = run("--lang", "zh", "validate", "--rules", "--format", "json")
    rules = json.loads(result.stdout)
    assert [rule["rule"] for rule in rules] == [str(rule_id) for rule_id in RULES]
    assert {
        "rule": "no-unit",
        "severity": "warning",
        "description": "任务没有牵头单位,也没有配合单位",
        "fix": "在 lead 或 support 中填写责任单位",
    } in rules
    assert RuleId.SCHEMA in [rule["rule"] for rule in rules]
