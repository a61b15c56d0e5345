"""The bundled plans against their source documents: counts, hard cases, every line accounted for,
and `duban import` rebuilding each plan folder byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.importing.importer import import_document
from duban.importing.writer import render
from duban.store import yamlio
from duban.validate.validation import validate
from tests.support import PROJECT

PLANS = PROJECT / "plans"
SHARED_SEEDS = PROJECT.parent / "shared" / "seeds"
BUNDLED = {  # plan id -> (source document, number of task files)
    "2008-baoshan": ("000_521e3fe8008ddb33.txt", 80 + 134),
    "2013-xuhui": ("001_34836e24406d3407.txt", 7 + 18),
    "2019-changning": ("002_6636f39aa932eafa.txt", 60),
    "2019-shangcheng": ("003_26a01e5d1773f912.txt", 148 + 15),
    "2013-pingdingshan": ("004_1282b74f73776eb6.txt", 96),
}


def source_of(plan_id: str) -> Path:
    return PLANS / plan_id / "source" / BUNDLED[plan_id][0]


def seed_lines(plan_id: str) -> list[str]:
    return source_of(plan_id).read_text(encoding="utf-8-sig").split("\n")


def task(plan_id: str, task_id: str) -> dict:
    path = PLANS / plan_id / "tasks" / f"{task_id}.yaml"
    return yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))


def test_every_bundled_plan_is_here() -> None:
    assert sorted(p.name for p in PLANS.iterdir() if p.is_dir()) == sorted(BUNDLED)


@pytest.mark.parametrize("plan_id", sorted(BUNDLED))
def test_source_copy_is_the_seed(plan_id: str) -> None:
    seed = SHARED_SEEDS / BUNDLED[plan_id][0]
    if not seed.exists():
        pytest.skip(f"{seed} is not beside this checkout")
    assert source_of(plan_id).read_bytes() == seed.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("plan_id", sorted(BUNDLED))
def test_import_rebuilds_the_plan_byte_for_byte(plan_id: str) -> None:
    result = import_document(source_of(plan_id), plan_id)
    files = render(result)
    on_disk = {
        p.relative_to(PLANS / plan_id).as_posix(): p.read_text(encoding="utf-8")
        for p in (PLANS / plan_id).rglob("*.yaml")
    }
    assert sorted(files) == sorted(on_disk)
    for relative, text in files.items():
        assert text == on_disk[relative], relative
    assert len([f for f in files if f.startswith("tasks/")]) == BUNDLED[plan_id][1]


@pytest.mark.slow
@pytest.mark.parametrize("plan_id", sorted(BUNDLED))
def test_every_line_is_accounted_for(plan_id: str) -> None:
    result = import_document(source_of(plan_id), plan_id)
    for number, line in enumerate(seed_lines(plan_id), start=1):
        if line.strip():
            assert (number in result.used) != (number in result.skipped), (number, line)
    assert all(reason for reason in result.skipped.values())


@pytest.mark.slow
def test_bundled_plans_validate_and_pass_check_jsonschema() -> None:
    import subprocess
    import sys

    report = validate(root=PROJECT)
    assert report.problems == []
    assert report.files_checked == sum(n for _, n in BUNDLED.values()) + len(BUNDLED)
    script = Path(sys.executable).with_name("check-jsonschema")
    for kind, pattern in (("task", "*/tasks/*.yaml"), ("plan", "*/plan.yaml")):
        files = sorted(str(p) for p in PLANS.glob(pattern))
        result = subprocess.run(
            [str(script), "--schemafile", str(PROJECT / f"schema/{kind}.schema.json"), *files],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_task_text_is_in_the_source_character_for_character() -> None:
    for plan_id in BUNDLED:
        lines = seed_lines(plan_id)
        for path in (PLANS / plan_id / "tasks").glob("*.yaml"):
            doc = yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))
            first, last = doc["source"]["lines"]
            span = "\n".join(lines[first - 1 : last])
            assert doc["text"] in span or doc["text"] in span.replace("\n", ""), path
            for value in doc.get("milestones", {}).values():
                assert value in span, path


# ---- hard cases named in the issue ----------------------------------------------------------


def test_baoshan_item_1_and_its_four_sub_items() -> None:
    lines = seed_lines("2008-baoshan")
    parent = task("2008-baoshan", "1")
    assert parent["text"] == "加强经济运行分析,确保完成主要指标。"
    assert parent["lead"] == ["发改委", "统计局"] and "support" not in parent
    subs = [task("2008-baoshan", f"1-{n}") for n in range(1, 5)]
    assert [s["source"]["lines"][0] for s in subs] == [12, 13, 14, 15]
    for sub, number in zip(subs, range(12, 16)):
        assert sub["parent"] == 1
        assert lines[number - 1].startswith("▲" + sub["text"])
    assert subs[0]["support"] == ["发改委", "统计局", "经委"] and "lead" not in subs[0]
    assert subs[3]["lead"] == ["发改委"]
    assert subs[3]["support"] == ["新农村建设办公室<农委>", "各街镇"]
    assert not (PLANS / "2008-baoshan/tasks/1-5.yaml").exists()


def test_changning_items() -> None:
    one = task("2019-changning", "1")
    assert one["category"] == "稳增长" and one["area"] == "经济发展"
    assert one["lead"] == ["金融办", "商务委", "临空办", "财政局", "税务局"]
    assert one["support"] == ["发改委", "科委", "卫计委", "人社局", "教育局", "司法局", "市场监管局", "公安分局"]
    assert sorted(one["milestones"]) == ["Q1", "Q2", "Q3", "Q4"]
    assert one["milestones"]["Q4"].endswith("区级一般公共预算收入完成年度目标的100%")
    two = task("2019-changning", "2")
    assert two["category"] == "稳增长" and two["lead"] == ["金融办"]
    assert two["support"][-1] == "各街(镇)"
    a, b = task("2019-changning", "14a"), task("2019-changning", "14b")
    assert a["text"].startswith("开工项目:3个") and b["text"].startswith("竣工项目:3个")
    assert "Q4" not in a["milestones"] and sorted(b["milestones"]) == ["Q1", "Q2", "Q3", "Q4"]
    assert not (PLANS / "2019-changning/tasks/14.yaml").exists()
    assert len(task("2019-changning", "18")["support"]) == 15
    assert task("2019-changning", "22")["lead"] == ["虹桥办", "规土局"]
    assert task("2019-changning", "41")["lead"] == ["公安分局", "社建办"]
    assert "support" not in task("2019-changning", "46")  # its support cell is empty


def test_changning_plan_facts_and_registry() -> None:
    plan = yamlio.load_fast((PLANS / "2019-changning/plan.yaml").read_text(encoding="utf-8"), "plan.yaml")
    assert plan["reporting"]["day_of_month"] == 25 and plan["reporting"]["to"] == "区政府办公室督查科"
    assert plan["document_number"] == "长府〔2019〕5号" and plan["issued"] == "2019-01-31"
    units = {u["name"]: u for u in plan["units"]}
    assert "科  委" in units["科委"]["aliases"]
    assert "发改委(统计局)" in units["发改委"]["aliases"]


def test_shangcheng_rows_with_the_type_in_the_support_column() -> None:
    for row, expected_type, lead in (
        ("12", "A", ["区教育局"]),
        ("20", "B", ["小营街道办事处"]),
        ("85", "A", ["望江指挥部"]),
    ):
        doc = task("2019-shangcheng", row)
        assert doc["type"] == expected_type and doc["lead"] == lead and "support" not in doc
    six = task("2019-shangcheng", "6")
    assert (six["title"], six["text"], six["type"]) == ("新增城镇就业人数", "11000人", "A")
    assert six["indicators"][0]["value"] == 11000
    plan = yamlio.load_fast((PLANS / "2019-shangcheng/plan.yaml").read_text(encoding="utf-8"), "plan.yaml")
    assert plan["target_types"] == {"A": "责任目标", "B": "激励目标", "C": "争先创优目标"}
    livelihood = [task("2019-shangcheng", f"a2-{n}") for n in range(1, 16)]
    assert {d["area"] for d in livelihood} == {"2019年民生实事项目目标任务分解表"}


def test_pingdingshan_item_78_and_reporting() -> None:
    doc = task("2013-pingdingshan", "78")
    assert doc["text"] == "继续办好“十项重点民生工程”,让群众得到更多实惠。"
    # it names only 责任单位 and has no parent: by the convention those units are its lead
    assert doc["lead"] == ["相关责任单位"] and "support" not in doc
    assert doc["area"] == "保障改善民生" and "section" not in doc
    plan = yamlio.load_fast((PLANS / "2013-pingdingshan/plan.yaml").read_text(encoding="utf-8"), "plan.yaml")
    assert plan["reporting"]["day_of_month"] == 5 and "市督查局" in plan["reporting"]["to"]
    three = task("2013-pingdingshan", "3")
    assert three["section"] == "着力扩大增量"
    assert three["support"] == ["市工业和信息化局", "高新区管委会", "新城区管委会", "相关县(市、区)政府"]


def test_xuhui_targets_and_no_invented_units() -> None:
    gdp = task("2013-xuhui", "t1")
    assert gdp["text"] == "生产总值增长8%" and gdp["indicators"][0]["kind"] == "growth"
    revenue = task("2013-xuhui", "t2")
    assert [(i["value"], i["unit"]) for i in revenue["indicators"]] == [(118, "亿元"), (8, "%")]
    for path in (PLANS / "2013-xuhui/tasks").glob("*.yaml"):
        doc = yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))
        assert "lead" not in doc and "support" not in doc


def test_gb18030_document_imports_the_same(tmp_path: Path) -> None:
    seed = source_of("2013-pingdingshan")
    gb = tmp_path / seed.name
    gb.write_bytes(seed.read_text(encoding="utf-8-sig").encode("gb18030"))
    utf8 = import_document(seed, "2013-pingdingshan")
    other = import_document(gb, "2013-pingdingshan")
    assert other.document.encoding == "gb18030"
    assert other.tasks == utf8.tasks


def test_he_splits_only_where_both_sides_are_units() -> None:
    three_three = task("2008-baoshan", "3-3")  # 相关委办局和街镇 (source line 20)
    assert three_three["support"] == ["相关委办局", "街镇"]
    fifty = task("2008-baoshan", "50-1")  # 劳动保障局、相关委办局和各街镇
    assert fifty["support"] == ["劳动保障局", "相关委办局", "各街镇"]
    assert task("2019-shangcheng", "1")  # 和 inside names stays: no unit anywhere ends in a bare 和-half
    for path in (PLANS / "2008-baoshan/tasks").glob("*.yaml"):
        doc = yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))
        assert not any(name.endswith("和街镇") for name in doc.get("support", []))


def test_a_task_naming_only_its_responsible_unit_holds_it_as_lead() -> None:
    ten = task("2008-baoshan", "10")  # 10、…(责任单位:国资委)
    assert ten["lead"] == ["国资委"] and "support" not in ten
    one_one = task("2008-baoshan", "1-1")  # a sub-item: its parent's lead stands
    assert "lead" not in one_one and one_one["support"] == ["发改委", "统计局", "经委"]


def test_judgement_calls_on_units_are_reported() -> None:
    baoshan = import_document(source_of("2008-baoshan"), "2008-baoshan")
    assert any("'老镇及旧房改造指挥部' kept whole" in note for note in baoshan.notes)
    changning = import_document(source_of("2019-changning"), "2019-changning")
    assert (
        "lines 69-69: support cell '发改委 科 委卫计委 人社局 教育局 司法局 市场监管局 公安分局' read as "
        "发改委、科委、卫计委、人社局、教育局、司法局、市场监管局、公安分局"
    ) in changning.notes
    shangcheng = import_document(source_of("2019-shangcheng"), "2019-shangcheng")
    assert "line 22: type A found in the support column; read as the type" in shangcheng.notes
