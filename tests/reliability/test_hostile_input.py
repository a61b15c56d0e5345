"""Hostile and unusual input: bombs, huge and deep files, odd bytes, refs and paths, symlinks."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.store import yamlio
from duban.validate.validation import validate

TASKS = Path("plans/2019-changning/tasks")


def put(repo: Path, name: str, data: bytes) -> Path:
    path = repo / TASKS / name
    path.write_bytes(data)
    return path


def rules_for(repo: Path, name: str) -> list[str]:
    return [p.rule for p in validate([TASKS / name]).problems]


def test_billion_laughs_is_refused_in_bounded_time(sample_repo: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(c)}: &{chr(c)} [" + ",".join([f"*{chr(c - 1)}"] * 9) + "]" for c in range(ord("b"), ord("j"))]
    put(sample_repo, "bomb.yaml", ("\n".join(lines) + "\n").encode())
    began = time.perf_counter()
    assert rules_for(sample_repo, "bomb.yaml") == ["yaml-alias"]
    assert time.perf_counter() - began < 5


def test_a_50_mb_file_is_refused_without_reading_it_all(sample_repo: Path) -> None:
    path = sample_repo / TASKS / "huge.yaml"
    with path.open("wb") as stream:
        stream.write(b"id: huge\ntext: '")
        stream.seek(50 * 1024 * 1024)
        stream.write(b"'\n")
    began = time.perf_counter()
    problems = validate([TASKS / "huge.yaml"]).problems
    assert [p.rule for p in problems] == ["too-large"] and "at most 2 MB" in problems[0].message
    assert time.perf_counter() - began < 5


@pytest.mark.parametrize(
    "body",
    [
        b"text: " + b"[" * 100_000 + b"]" * 100_000,  # libyaml's composer crashed on this
        b"text: " + b"{a: " * 5_000 + b"1" + b"}" * 5_000,
        b"text:\n" + b"- " * 5_000 + b"x",
        b"".join(b" " * n + b"k%d:\n" % n for n in range(0, 2_000, 2)) + b" " * 2_000 + b"x: 1",
    ],
)
def test_deep_nesting_is_an_error_not_a_crash(sample_repo: Path, body: bytes) -> None:
    put(sample_repo, "deep.yaml", b"id: deep\n" + body + b"\n")
    problems = validate([TASKS / "deep.yaml"]).problems
    assert [p.rule for p in problems] == ["yaml-depth"] and problems[0].line is not None


@pytest.mark.parametrize(
    ("name", "data", "rule"),
    [
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "encoding"),
        ("gbk.yaml", "id: gbk\ntitle: 稳增长\n".encode("gb18030"), "encoding"),
        ("tag.yaml", b"id: tag\ntitle: !!python/object/apply:os.system [echo]\n", "yaml-tag"),
        ("merge.yaml", b"id: merge\n<<: {title: x}\n", "yaml-merge"),
        ("control.yaml", b"id: control\ntitle: a\x07b\n", "yaml-syntax"),
        ("key.yaml", b"1: one\nid: key\n", "schema.key"),
        ("listkey.yaml", b"? [a, b]\n: c\n", "yaml-syntax"),
    ],
)
def test_odd_bytes_give_a_positioned_problem(sample_repo: Path, name: str, data: bytes, rule: str) -> None:
    put(sample_repo, name, data)
    problems = validate([TASKS / name]).problems
    assert problems[0].rule == rule and problems[0].line is not None


def test_bom_and_crlf_files_are_read(sample_repo: Path) -> None:
    original = (sample_repo / TASKS / "2.yaml").read_bytes()
    (sample_repo / TASKS / "2.yaml").write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n"))
    assert validate(root=sample_repo).problems == []
    doc = yamlio.load_fast(yamlio.read_text(sample_repo / TASKS / "2.yaml"), "2.yaml")
    assert doc["title"] == "招留增工作"


@pytest.mark.parametrize(
    "ref", ["../../../etc/passwd", "/etc/passwd", "2019-changning/../../x", "2019-changning/.hidden", "..", "plans"]
)
def test_refs_cannot_leave_the_repository(sample_repo: Path, ref: str) -> None:
    result = CliRunner().invoke(cli, ["show", "--", ref])
    assert result.exit_code == 1 and result.stderr.startswith("duban: error: no ")


def test_names_starting_with_a_dash_are_not_options(git_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["progress", "--percent", "10", "--note", "--help", "--", "-x"])
    assert result.exit_code == 1 and "no task '-x'" in result.stderr


def test_symlinks_leading_outside_are_refused(sample_repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_bytes((sample_repo / TASKS / "2.yaml").read_bytes().replace(b"id: 2", b"id: leak"))
    os.symlink(secret, sample_repo / TASKS / "leak.yaml")
    assert rules_for(sample_repo, "leak.yaml") == ["outside-link"]
    listed = CliRunner().invoke(cli, ["list", "--format", "json"])
    assert "outside the repository" in listed.stderr and '"leak"' not in listed.stdout
    shown = CliRunner().invoke(cli, ["show", "2019-changning/leak"])
    assert shown.exit_code == 1
    os.symlink(tmp_path, sample_repo / "plans" / "2099-outside")
    assert CliRunner().invoke(cli, ["list", "--plan", "2099-outside"]).exit_code == 1


def test_a_tasks_folder_linked_outside_is_not_followed(git_repo: Path, tmp_path: Path) -> None:
    """The audit's M10: a plan whose tasks/ is a symlink to a folder outside the repository."""
    import shutil

    from tests.support import git

    outside = tmp_path / "outside"
    shutil.copytree(git_repo / TASKS, outside)
    (outside / "2.yaml").write_text(
        (outside / "2.yaml").read_text(encoding="utf-8").replace("title: 招留增工作", "title: 来自仓库外的文件"),
        encoding="utf-8",
    )
    git(git_repo, "rm", "-rq", str(TASKS))
    os.symlink(outside, git_repo / TASKS)
    git(git_repo, "add", str(TASKS))
    git(git_repo, "commit", "-qm", "tasks is a symlink")
    listed = CliRunner().invoke(cli, ["list", "--plan", "2019-changning", "--format", "csv"])
    assert listed.exit_code == 1 and "来自仓库外的文件" not in listed.stdout
    assert "tasks folder is a symlink outside the repository" in listed.stderr
    report = validate(root=git_repo)
    assert [p.rule for p in report.problems] == ["outside-link"] and report.errors == 1
    shown = CliRunner().invoke(cli, ["show", "2019-changning/2"])
    assert shown.exit_code == 1 and "来自仓库外的文件" not in shown.stdout
    progress = CliRunner().invoke(
        cli, ["progress", "2019-changning/2", "--percent", "9", "--by", "金融办", "--date", "2019-03-09"]
    )
    assert progress.exit_code == 1 and "no task" in progress.stderr
    assert "id: 2" in (outside / "2.yaml").read_text(encoding="utf-8")
    assert "progress" not in (outside / "2.yaml").read_text(encoding="utf-8")
