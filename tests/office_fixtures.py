"""Repositories for the office's documents: a month of a clerk's work on the bundled 2019
Changning plan (with the office's circular and scoring words in plan.yaml), and scripted
histories on the small sample plan for scoring date by date."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.store.repository import Repository
from tests.support import GIT_ENV, PROJECT, copy_sample, git

OFFICE_WORDS = """\
circular:
  office: 区政府督查室
  to: 各街道、镇，区政府各委、办、局
  cc: 区委办公室，区人大常委会办公室，区政协办公室
  printed_by: 区政府办公室
  first_month: 2019-02
  requirements:
    - 请{滞后单位}对照序时进度查找原因，于{下次报送截止日}前将整改措施报送区政府督查室。
    - 请{未报送单位}严格执行每月报送制度，确保按时报送{月份}以后的进展。
scoring:
  start: 100
  rules:
    - {rule: late_report, points: -1, role: lead}
    - {rule: red_at_deadline, points: -2, role: lead}
    - {rule: 红灯, points: -1, role: 配合}
    - {rule: done_early, points: 1, role: lead}
  escalation:
    - {light: yellow, in_a_row: 2, action: 发督办专函}
    - {light: 红灯, in_a_row: 2, action: 约谈}
"""

# A clerk's May and June (newcomer audit, section 4): who reported what, on which day.
CLERK_MONTHS = [
    ("2019-05-20", "6", 40, "科委", "科创中心建设稳步推进"),
    ("2019-05-23", "18", 30, "建交委", "重大工程前期手续办理中"),
    ("2019-05-24", "1", 30, "金融办", "稳增长方案已起草"),
    ("2019-06-18", "17", 100, "发改委", "已完成向市政府备案节能指标"),
    ("2019-06-20", "1", 50, "金融办", "稳增长方案已印发"),
    ("2019-06-20", "15", 30, "规土局", "土地出让受市场影响"),
    ("2019-06-21", "2", 50, "金融办", "落地重点项目156家"),
    ("2019-06-22", "25", 10, "绿化市容局", "立体绿化完成2000平方米"),
    ("2019-06-24", "6", 50, "科委", "科创中心建设按计划推进"),
    ("2019-06-24", "18", 45, "建交委", "完成3个项目开工。存在问题：个别地块动迁进度慢；下步计划：7月底前完成动迁"),
    ("2019-06-24", "35", 50, "民政局", "新增养老床位150张"),
    ("2019-06-25", "12", 50, "人社局", "引进高层次人才"),
    ("2019-06-26", "46", 40, "教育局", "三年行动计划推进中"),
]


def at(when: str) -> dict[str, str]:
    return {"GIT_AUTHOR_DATE": f"{when}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{when}T10:00:00+08:00"}


def bundled_plan_repo(root: Path, plan: str, day: str, message: str, words: str = "") -> Path:
    """A new repository at `root` holding the bundled `plan` (with `words` added to its
    plan.yaml) and the schemas, committed on `day`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(PROJECT / "plans" / plan, root / "plans" / plan)
    if not (root / "schema").exists():
        shutil.copytree(
            PROJECT / "schema", root / "schema", ignore=shutil.ignore_patterns("__init__.py", "__pycache__")
        )
    if words:
        with (root / "plans" / plan / "plan.yaml").open("a", encoding="utf-8") as stream:
            stream.write(words)
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=root, env={**os.environ, **GIT_ENV, **at(day)}, check=True
    )
    return root


def record_on_their_days(root: Path, plan: str, reports: list[tuple[str, str, int, str, str]]) -> None:
    """(day, task id, percent, unit, note) recorded by `record_progress`, each committed on its day."""
    repo = Repository(root)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in GIT_ENV.items():
            patch.setenv(key, value)
        for day, task_id, percent, unit, note in reports:
            for key, value in at(day).items():
                patch.setenv(key, value)
            record_progress(
                repo, f"{plan}/{task_id}", percent, note=note, by=unit, date=day, today=dt.date.fromisoformat(day)
            )


def make_clerk_repo(root: Path) -> Path:
    """The bundled 2019 Changning plan with the office's words, committed on 2019-01-31, then
    the clerk's May and June reports, each committed on its day."""
    bundled_plan_repo(root, "2019-changning", "2019-01-31", "2019-changning: 长府〔2019〕5号", OFFICE_WORDS)
    record_on_their_days(root, "2019-changning", CLERK_MONTHS)
    # One more fact the circular must carry: 规土局 marked task 15 blocked on 06-28.
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-28")}.items():
            patch.setenv(key, value)
        set_fields(Repository(root), "2019-changning/15", ["status=blocked"])
    return root


@pytest.fixture(scope="session")
def clerk_repo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clerk_repo(tmp_path_factory.mktemp("clerk") / "repo")


@pytest.fixture
def clerk_repo(clerk_repo_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the clerk's repository (git history included) for one test."""
    copy = tmp_path / "clerk"
    shutil.copytree(clerk_repo_template, copy, symlinks=True)
    yield copy


def scripted_repo(tmp_path: Path, script: list[tuple], words: str = "") -> Repository:
    """The sample plans committed on 2019-01-31, then `script` in date order: (day, "progress",
    ref, percent, unit) or (day, "set", ref, assignment). `words` is added to Changning's plan.yaml."""
    root = copy_sample(tmp_path / "scripted")
    if words:
        with (root / "plans/2019-changning/plan.yaml").open("a", encoding="utf-8") as stream:
            stream.write(words)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-01-31")}.items():
            patch.setenv(key, value)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        subprocess.run(["git", "commit", "-q", "-m", "plans"], cwd=root, env=dict(os.environ), check=True)
        repo = Repository(root)
        for day, kind, ref, *rest in script:
            for key, value in at(day).items():
                patch.setenv(key, value)
            if kind == "progress":
                percent, unit = rest
                record_progress(repo, ref, percent, by=unit, date=day, today=dt.date.fromisoformat(day))
            else:
                set_fields(repo, ref, list(rest))
    return Repository(root)


# Pingdingshan's June 2013 with plan.yaml as bundled (no office words): a few reports by the
# 5 June deadline, then a commit of another plan, years later (documents audit D8, D9).
PINGDINGSHAN_JUNE = [
    (
        "2013-06-03",
        "1",
        45,
        "市工业和信息化局",
        "帮扶企业开拓市场。存在问题：部分企业订单不足；下步计划：组织产销对接会",
    ),
    ("2013-06-04", "2", 40, "市发改委", "项目建设稳步推进"),
    ("2013-06-04", "6", 5, "市科技局", "存在问题：科技投入资金尚未到位"),
]


def make_pingdingshan_repo(root: Path) -> Path:
    """The bundled 2013 Pingdingshan plan with the defaults, committed on 2013-03-02, the
    reports of PINGDINGSHAN_JUNE each on its day, then the 2019 Changning plan committed on
    2019-01-31: the latest commit of the repository belongs to another plan."""
    bundled_plan_repo(root, "2013-pingdingshan", "2013-03-02", "2013-pingdingshan")
    record_on_their_days(root, "2013-pingdingshan", PINGDINGSHAN_JUNE)
    return bundled_plan_repo(root, "2019-changning", "2019-01-31", "2019-changning")


@pytest.fixture(scope="session")
def pingdingshan_repo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pingdingshan_repo(tmp_path_factory.mktemp("pingdingshan") / "repo")


@pytest.fixture
def pingdingshan_repo(pingdingshan_repo_template: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "pingdingshan"
    shutil.copytree(pingdingshan_repo_template, copy, symlinks=True)
    yield copy
