"""A correctable import: three documents the importer misreads, each put right by a recipe of
a few lines, applied the same way on every import; the preview shows what the recipe changed,
and `duban import` keeps the recipe beside the plan's source copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.errors import DubanError
from duban.importing.importer import import_document
from duban.importing.preview import preview
from duban.importing.recipe import find_recipe, load_recipe

# 1. Label words no vocabulary has: the units stay in the tasks' text.
WORDS = """2024年街道重点工作安排
一、城市建设
1.新建口袋公园3座。
包干部门:街道城建办
帮办部门:街道财政所
2.改造老旧小区5个。
包干部门:街道城建办
帮办部门:各社区居委会
"""
WORDS_RECIPE = """# 包干部门 leads, 帮办部门 helps
roles: {lead: [包干部门], support: [帮办部门]}
"""

# 2. A table whose column words say nothing: the lead is read as the unit column before it.
COLUMNS = """2024年局重点工作督办表
序号 | 事项 | 经办 | 督办 | 时限 |
1 | 完成全年招商引资签约额50亿元。 | 投资促进科 | 局办公室 | 12月底前 |
2 | 新增规上企业20家。 | 企业服务科 | 局办公室 | 11月底前 |
3 | 建成企业服务中心。 | 企业服务科、财务科 | 局长办公会 | 9月底前 |
"""
COLUMNS_RECIPE = """# 督办 is the lead; 经办 the units that do the work
columns: [seq, text, support, lead, due]
"""

# 3. Headings and tasks with no numbers at all: nothing reads as a task.
PLAIN = """2024年社区重点工作安排
经济发展
招商引资签约项目10个。(责任单位:经济服务办)
新增市场主体500户。(责任单位:市场监管所)
社会事业
新建社区食堂2家。(责任单位:社区事务办)
联系电话:12345678
"""
PLAIN_RECIPE = """# unnumbered areas and tasks
headings: [2, 5]
tasks: [3-4, 6]
skip: [7]
"""


def _write(tmp_path: Path, name: str, text: str, recipe: str) -> tuple[Path, Path]:
    document = tmp_path / name
    document.write_text(text, encoding="utf-8")
    path = tmp_path / (name + ".recipe.yaml")
    path.write_text(recipe, encoding="utf-8")
    return document, path


def test_recipes_are_short() -> None:
    for recipe in (WORDS_RECIPE, COLUMNS_RECIPE, PLAIN_RECIPE):
        assert len(recipe.strip().split("\n")) <= 10


def test_extra_role_words(tmp_path: Path) -> None:
    document, path = _write(tmp_path, "words.txt", WORDS, WORDS_RECIPE)
    before = import_document(document, "2024-x")
    assert not any(t.get("lead") for t in before.tasks)  # misread: no unit found
    after = import_document(document, "2024-x", recipe=load_recipe(path))
    assert [(t["text"], t["lead"], t["support"]) for t in after.tasks] == [
        ("新建口袋公园3座。", ["街道城建办"], ["街道财政所"]),
        ("改造老旧小区5个。", ["街道城建办"], ["各社区居委会"]),
    ]
    shown = preview(after, before)
    assert "街道城建办" in shown and shown.count("\n* ") == 2


def test_columns_named_by_the_clerk(tmp_path: Path) -> None:
    document, path = _write(tmp_path, "columns.txt", COLUMNS, COLUMNS_RECIPE)
    before = import_document(document, "2024-x")
    assert before.tasks[0]["lead"] != ["局办公室"]  # misread: 经办 taken for the lead
    after = import_document(document, "2024-x", recipe=load_recipe(path))
    assert [t["lead"] for t in after.tasks] == [["局办公室"], ["局办公室"], ["局长办公会"]]
    assert after.tasks[2]["support"] == ["企业服务科", "财务科"]
    assert after.tasks[0]["due"] == "2024-12-31"


def test_headings_tasks_and_skipped_lines(tmp_path: Path) -> None:
    document, path = _write(tmp_path, "plain.txt", PLAIN, PLAIN_RECIPE)
    with pytest.raises(DubanError):
        import_document(document, "2024-x")  # misread: no task at all
    after = import_document(document, "2024-x", recipe=load_recipe(path))
    assert [(t["area"], t["text"], t["lead"]) for t in after.tasks] == [
        ("经济发展", "招商引资签约项目10个。", ["经济服务办"]),
        ("经济发展", "新增市场主体500户。", ["市场监管所"]),
        ("社会事业", "新建社区食堂2家。", ["社区事务办"]),
    ]
    assert after.skipped[7] == "the recipe skips it"
    again = import_document(document, "2024-x", recipe=load_recipe(path))
    assert again.tasks == after.tasks  # reproducible


def test_a_wrong_recipe_gets_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.recipe.yaml"
    for text, words in (
        ("colums: [seq]\n", "unknown keys colums"),
        ("columns: [seq, name]\n", "columns:"),
        ("tasks: [3-x]\n", "tasks:"),
        ("roles: {boss: [主任]}\n", "roles:"),
    ):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DubanError) as raised:
            load_recipe(path)
        assert words in str(raised.value)


def test_the_recipe_is_found_beside_the_document_or_the_source_copy(tmp_path: Path) -> None:
    document, path = _write(tmp_path, "plain.txt", PLAIN, PLAIN_RECIPE)
    assert find_recipe(document) == path
    source = tmp_path / "plans" / "x" / "source"
    source.mkdir(parents=True)
    elsewhere = tmp_path / "other" / "plain.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text(PLAIN, encoding="utf-8")
    assert find_recipe(elsewhere, source) is None
    (source / "plain.txt.recipe.yaml").write_text(PLAIN_RECIPE, encoding="utf-8")
    assert find_recipe(elsewhere, source) == source / "plain.txt.recipe.yaml"


def test_cli_preview_and_the_recipe_kept_in_source(tmp_path: Path, git_repo: Path) -> None:
    from duban.cli.main import cli

    document, _path = _write(git_repo, "columns.txt", COLUMNS, COLUMNS_RECIPE)
    runner = CliRunner()
    shown = runner.invoke(
        cli, ["--repo", str(git_repo), "import", str(document), "--plan", "2024-x", "--preview"], catch_exceptions=False
    )
    assert shown.exit_code == 0, shown.output
    assert "局长办公会" in shown.stdout and "* 3" in shown.stdout
    assert not (git_repo / "plans" / "2024-x").exists()
    written = runner.invoke(
        cli, ["--repo", str(git_repo), "import", str(document), "--plan", "2024-x"], catch_exceptions=False
    )
    assert written.exit_code == 0, written.output
    kept = git_repo / "plans" / "2024-x" / "source" / "columns.txt.recipe.yaml"
    assert kept.read_text(encoding="utf-8") == COLUMNS_RECIPE
