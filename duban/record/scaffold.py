"""`duban init`: a new plan repository, or the duban setup added to an existing clone.

Creates plans/, schema/, .gitattributes (task files merge with duban's driver),
.pre-commit-config.yaml (validation on commit) and a README for the office, and registers
the merge driver in the repository's git config, which git does not copy with a clone.
"""

from __future__ import annotations

import shlex
import sys
from importlib import resources
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import N_, _
from duban.store.gitstore import Git

ATTRIBUTES = "plans/*/tasks/*.yaml merge=duban\n"
PRE_COMMIT = """\
# Validate plan and task files on every commit: `pip install pre-commit && pre-commit install`.
repos:
  - repo: local
    hooks:
      - id: duban-validate
        name: duban validate
        entry: duban validate
        language: system
        files: ^plans/.*\\.ya?ml$
        require_serial: true
"""
README = """\
# 工作目标任务督办 · Plan repository

本仓库用 duban 管理政府年度工作目标任务:每项任务一个 YAML 文件,每次进度报送都是一次 git 提交。

This repository holds work plans managed with duban: one YAML file per task under
`plans/<plan-id>/tasks/`, every progress report a git commit.

- Import a plan: `duban import notice.docx --plan 2025-somewhere`
- Record progress: `duban progress 2025-somewhere/18 --percent 50 --note "..." --by 发改委`
- Review: `duban history 2025-somewhere/18 --patch`, `duban diff --since 2025-06-01 --until 2025-06-30`
- Share with other units: `duban sync`
- Check files: `duban validate`
"""


def driver_command() -> str:
    """How git should call the merge driver: this Python, so it works whatever PATH is."""
    return f"{shlex.quote(sys.executable)} -m duban merge-driver %O %A %B %P"


def register_merge_driver(git: Git) -> None:
    git.run("config", "merge.duban.name", "duban task merge (progress from both sides)")
    git.run("config", "merge.duban.driver", driver_command())


def ensure_merge_driver(git: Git) -> None:
    """Register the driver if this clone's config lacks it, so a plain `git pull` merges
    reports too; read from the config file, so a write with the driver set costs no process."""
    try:
        config = (git.git_dir() / "config").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    if '[merge "duban"]' not in config:
        register_merge_driver(git)


def init_repository(folder: Path) -> list[str]:
    """Set up `folder`; returns what was created. Existing files are left as they are."""
    folder.mkdir(parents=True, exist_ok=True)
    git = Git(folder)
    created: list[str] = []
    if git.run("rev-parse", "--is-inside-work-tree", check=False).returncode != 0:
        git.run("init", "--quiet")
        created.append(N_("git repository"))
    (folder / "plans").mkdir(exist_ok=True)
    keep = folder / "plans" / ".gitkeep"
    if not any((folder / "plans").iterdir()):
        keep.write_text("", encoding="utf-8")
        created.append(N_("plans/"))
    schema_folder = folder / "schema"
    schema_folder.mkdir(exist_ok=True)
    for name in ("plan.schema.json", "task.schema.json"):
        target = schema_folder / name
        if not target.exists():
            target.write_text(resources.files("duban.schema").joinpath(name).read_text("utf-8"), encoding="utf-8")
            created.append(f"schema/{name}")
    for name, text in ((".gitattributes", ATTRIBUTES), (".pre-commit-config.yaml", PRE_COMMIT), ("README.md", README)):
        path = folder / name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            created.append(name)
        elif name == ".gitattributes" and "merge=duban" not in path.read_text(encoding="utf-8"):
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + ATTRIBUTES, encoding="utf-8")
            created.append(N_(".gitattributes entry"))
    register_merge_driver(git)
    created.append(N_("merge driver in .git/config"))
    if not git.has_commits():
        git.run("add", "--", "plans", "schema", ".gitattributes", ".pre-commit-config.yaml", "README.md")
        result = git.run("commit", "--quiet", "-m", "duban init", check=False)
        if result.returncode != 0:
            raise DubanError(
                _("git could not make the first commit: {reason}").format(
                    reason=(result.stderr.strip().splitlines() or ["unknown error"])[-1]
                ),
                hint=_('set your identity: git config --global user.name "…" and user.email "…"'),
            )
        created.append(N_("first commit"))
    return created
