"""`duban guard` as the pre-receive hook of a real bare repository (`duban init --server`), with clones
pushing over file:// as the office and as units (DUBAN_ACCOUNT, as a forced command per SSH key sets it).
Every permitted change goes through; every forbidden one is refused with its reason, and a refused
push leaves the shared repository as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from duban.guard.access import check_file, parse, pusher
from duban.guard.server import init_server
from duban.record.recording import record_progress
from duban.record.setting import set_fields
from duban.record.undo import withdraw_report
from duban.store.repository import Repository
from tests.core.guard.support import ACCESS, TASK1, _signing, _ssh_key
from tests.support import GIT_ENV, git

TASK2 = "plans/2019-changning/tasks/2.yaml"  # lead 金融办; 商务委 supports


def push(clone: Path, account: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "DUBAN_LANG": "en"}
    env.pop("DUBAN_ACCOUNT", None)
    if account:
        env["DUBAN_ACCOUNT"] = account
    return subprocess.run(
        ["git", "push", *(args or ("origin", "HEAD:main"))], cwd=clone, capture_output=True, text=True, env=env
    )


def refs(bare: Path) -> str:
    return git(bare, "for-each-ref", "--format=%(refname) %(objectname)")


def clone(bare: Path, where: Path) -> Path:
    git(where.parent, "clone", "-q", f"file://{bare}", str(where))
    return where


@pytest.fixture
def shared(git_repo: Path, tmp_path: Path) -> dict[str, Path]:
    """The office's repository with access.yaml pushed to a guarded bare repository, and one clone per unit."""
    bare = tmp_path / "shared.git"
    init_server(bare, ("duchake",))
    (git_repo / "access.yaml").write_text(ACCESS, "utf-8")
    git(git_repo, "add", "access.yaml")
    git(git_repo, "commit", "-q", "-m", "access")
    git(git_repo, "remote", "add", "origin", f"file://{bare}")
    first = push(git_repo, "duchake", "-u", "origin", "main")
    assert first.returncode == 0, first.stderr
    return {
        "bare": bare,
        "office": git_repo,
        "jrb": clone(bare, tmp_path / "jrb"),
        "swy": clone(bare, tmp_path / "swy"),
    }


def refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode != 0, result.stderr
    assert "refused:" in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_server_settings(tmp_path: Path) -> None:
    bare = tmp_path / "s.git"
    init_server(bare, ("duchake",))
    for key in ("receive.denyNonFastForwards", "receive.denyDeletes", "receive.fsckObjects"):
        assert git(bare, "config", key).strip() == "true"
    assert os.access(bare / "hooks" / "pre-receive", os.X_OK)


def test_access_file_schema_and_pusher(tmp_path: Path) -> None:
    rights, problems = parse(ACCESS)
    unit, office = rights.account("jrb-wang"), rights.account("duchake")
    assert not problems and unit is not None and unit.unit == "金融办" and office is not None and office.is_office
    _rights, problems = parse("accounts:\n  x: {role: unit}\n")
    assert problems  # a unit account names its unit
    _rights, problems = parse("accounts:\n  x: {role: boss}\n")
    assert problems
    (tmp_path / "access.yaml").write_text("accounts:\n  x: {role: unit}\n", "utf-8")
    assert check_file(tmp_path)[0].line == 2
    assert pusher({"GL_USER": "a"}) == "a" and pusher({"GITEA_PUSHER_NAME": "b"}) == "b"
    assert pusher({"DUBAN_ACCOUNT": "c", "GL_USERNAME": "c"}) == "c" and pusher({}) is None
    assert pusher({"DUBAN_ACCOUNT": "duchake", "GL_USER": "jrb-wang"}) is None  # disagreeing: nobody


@pytest.mark.slow
def test_own_reports_go_through_and_merge(shared: dict[str, Path]) -> None:
    jrb, swy = Repository(shared["jrb"]), Repository(shared["swy"])
    record_progress(jrb, "2019-changning/2", 20, note="招商启动", by="金融办", date="2019-03-20")
    assert push(shared["jrb"], "jrb-wang").returncode == 0
    # 商务委 supports task 2 and leads task 1; its clone is behind: sync makes a merge commit.
    record_progress(swy, "2019-changning/1", 25, note="一季度", by="商务委", date="2019-03-21")
    git(shared["swy"], "pull", "-q", "--no-rebase", "origin", "main")
    assert len(git(shared["swy"], "rev-list", "--parents", "-1", "HEAD").split()) == 3  # a merge
    record_progress(swy, "2019-changning/2", 10, note="配合", by="商务委", date="2019-03-22")
    result = push(shared["swy"], "swy-li")
    assert result.returncode == 0, result.stderr
    # A unit takes its own report back with a reason (duban withdraw).
    git(shared["jrb"], "pull", "-q", "--no-rebase", "origin", "main")
    withdraw_report(Repository(shared["jrb"]), "2019-changning/2", "2019-03-20", "重复报送", by="金融办")
    assert push(shared["jrb"], "jrb-wang").returncode == 0


@pytest.mark.slow
def test_forbidden_report_and_field_changes(shared: dict[str, Path]) -> None:
    bare, jrb_clone = shared["bare"], shared["jrb"]
    jrb = Repository(jrb_clone)
    before, head = refs(bare), git(jrb_clone, "rev-parse", "HEAD").strip()
    # Another unit's report, though --by says so.
    record_progress(jrb, "2019-changning/1", 30, by="商务委", date="2019-03-20")
    refused(push(jrb_clone, "jrb-wang"), TASK1, "商务委", "written by that unit")
    assert refs(bare) == before
    git(jrb_clone, "reset", "-q", "--hard", head)
    # A plan field of a task.
    set_fields(jrb, "2019-changning/2", ["due=2019-12-31"])
    refused(push(jrb_clone, "jrb-wang"), TASK2, "due")
    git(jrb_clone, "reset", "-q", "--hard", head)
    # plan.yaml, and the access file itself.
    for path in ("plans/2019-changning/plan.yaml", "access.yaml"):
        with open(jrb_clone / path, "a", encoding="utf-8") as handle:
            handle.write("\n# changed\n")
        git(jrb_clone, "commit", "-q", "-am", "edit")
        refused(push(jrb_clone, "jrb-wang"), path, "only the office")
        git(jrb_clone, "reset", "-q", "--hard", head)
    # A report on a task the unit neither leads nor supports (卫计委 supports task 1 only).
    with open(jrb_clone / TASK2, "a", encoding="utf-8") as handle:
        handle.write("progress:\n  卫计委:\n    - date: 2019-03-20\n      percent: 10\n")
    git(jrb_clone, "commit", "-q", "-am", "hand edit")
    refused(push(jrb_clone, "wjw-chen"), TASK2, "neither leads nor supports")
    git(jrb_clone, "reset", "-q", "--hard", head)
    # An own report the schema refuses (a percent of 500).
    with open(jrb_clone / TASK2, "a", encoding="utf-8") as handle:
        handle.write("progress:\n  金融办:\n    - date: 2019-03-20\n      percent: 500\n")
    git(jrb_clone, "commit", "-q", "-am", "hand edit")
    refused(push(jrb_clone, "jrb-wang"), TASK2, "schema")
    git(jrb_clone, "reset", "-q", "--hard", head)
    # An own report dated in the future.
    with open(jrb_clone / TASK2, "a", encoding="utf-8") as handle:
        handle.write("progress:\n  金融办:\n    - date: 2999-03-20\n      percent: 5\n")
    git(jrb_clone, "commit", "-q", "-am", "hand edit")
    refused(push(jrb_clone, "jrb-wang"), TASK2, "dated after")
    git(jrb_clone, "reset", "-q", "--hard", head)
    # An own report removed by hand, without a reason.
    record_progress(jrb, "2019-changning/2", 20, by="金融办", date="2019-03-20")
    assert push(jrb_clone, "jrb-wang").returncode == 0
    head = git(jrb_clone, "rev-parse", "HEAD").strip()
    text = (jrb_clone / TASK2).read_text("utf-8")
    (jrb_clone / TASK2).write_text(text.replace("percent: 20", "percent: 90"), "utf-8")
    git(jrb_clone, "commit", "-q", "-am", "改一下")
    refused(push(jrb_clone, "jrb-wang"), TASK2, "only with a reason")
    assert git(jrb_clone, "rev-parse", "HEAD").strip() != head  # the clone keeps its commit
    assert git(bare, "rev-parse", "main").strip() == head


def test_unknown_and_missing_accounts(shared: dict[str, Path]) -> None:
    record_progress(Repository(shared["jrb"]), "2019-changning/2", 20, by="金融办", date="2019-03-20")
    refused(push(shared["jrb"], "stranger"), "stranger", "not in the access file")
    refused(push(shared["jrb"], None), "DUBAN_ACCOUNT")


@pytest.mark.slow
def test_history_and_refs(shared: dict[str, Path]) -> None:
    bare, jrb_clone = shared["bare"], shared["jrb"]
    record_progress(Repository(jrb_clone), "2019-changning/2", 20, by="金融办", date="2019-03-20")
    assert push(jrb_clone, "jrb-wang").returncode == 0
    git(jrb_clone, "reset", "-q", "--hard", "HEAD~1")
    git(jrb_clone, "commit", "-q", "--allow-empty", "-m", "rewrite")
    before = refs(bare)
    refused(push(jrb_clone, "jrb-wang", "--force", "origin", "HEAD:main"), "non-fast-forward")
    refused(push(jrb_clone, "duchake", "--force", "origin", "HEAD:main"), "non-fast-forward")
    refused(push(jrb_clone, "jrb-wang", "origin", ":main"), "deleting")
    refused(push(jrb_clone, "jrb-wang", "origin", "HEAD:refs/heads/mine"), "shared branch")
    assert refs(bare) == before


@pytest.mark.slow
def test_seals_and_sealed_reports(shared: dict[str, Path]) -> None:
    bare, office, jrb_clone = shared["bare"], shared["office"], shared["jrb"]
    record_progress(Repository(jrb_clone), "2019-changning/2", 20, by="金融办", date="2019-03-20")
    assert push(jrb_clone, "jrb-wang").returncode == 0
    git(office, "pull", "-q", "--no-rebase", "origin", "main")
    tag = "duban/seal/2019-changning/2019-03-25"
    git(office, "tag", "-a", "-m", "seal", tag)
    assert push(office, "duchake", "origin", f"refs/tags/{tag}").returncode == 0
    git(jrb_clone, "fetch", "-q", "--tags", "origin")
    before = refs(bare)
    # A unit makes, moves or deletes a seal.
    git(jrb_clone, "tag", "-a", "-m", "mine", "duban/seal/2019-changning/2019-04-25")
    refused(push(jrb_clone, "jrb-wang", "origin", "refs/tags/duban/seal/2019-changning/2019-04-25"), "only the office")
    git(jrb_clone, "commit", "-q", "--allow-empty", "-m", "elsewhere")
    git(jrb_clone, "tag", "-f", "-a", "-m", "moved", tag)
    refused(push(jrb_clone, "jrb-wang", "--force", "origin", f"refs/tags/{tag}"), "never moved")
    refused(push(office, "duchake", "origin", f":refs/tags/{tag}"), "deleting")
    git(jrb_clone, "reset", "-q", "--hard", "origin/main")
    # The sealed report, withdrawn with a reason by its unit, or changed by the office.
    withdraw_report(Repository(jrb_clone), "2019-changning/2", "2019-03-20", "重复报送", by="金融办")
    refused(push(jrb_clone, "jrb-wang"), TASK2, "held by the seal", "2019-03-20")
    text = (office / TASK2).read_text("utf-8")
    (office / TASK2).write_text(text.replace("percent: 20", "percent: 90"), "utf-8")
    git(office, "commit", "-q", "-am", "Fix\n\nReason: 纸质报表")
    refused(push(office, "duchake"), "held by the seal")
    assert refs(bare) == before


@pytest.mark.slow
def test_office_rights(shared: dict[str, Path]) -> None:
    office_clone = shared["office"]
    office = Repository(office_clone)
    set_fields(office, "2019-changning/2", ["due=2019-12-31"])
    assert push(office_clone, "duchake").returncode == 0
    # On a unit's behalf: with the paper it came from, not without.
    head = git(office_clone, "rev-parse", "HEAD").strip()
    record_progress(office, "2019-changning/2", 30, by="金融办", date="2019-03-20")
    refused(push(office_clone, "duchake"), TASK2, "金融办", "with a reason")
    git(office_clone, "reset", "-q", "--hard", head)
    record_progress(
        office, "2019-changning/2", 30, by="金融办", date="2019-03-20", trailers=(("Reason", "金融办3月纸质报表"),)
    )
    assert push(office_clone, "duchake").returncode == 0


def test_refusal_in_chinese(shared: dict[str, Path]) -> None:
    record_progress(Repository(shared["jrb"]), "2019-changning/1", 30, by="商务委", date="2019-03-20")
    env = {**os.environ, **GIT_ENV, "DUBAN_ACCOUNT": "jrb-wang"}
    env.pop("DUBAN_LANG", None)
    result = subprocess.run(
        ["git", "push", "origin", "HEAD:main"], cwd=shared["jrb"], capture_output=True, text=True, env=env
    )
    assert result.returncode != 0
    assert "已拒绝" in result.stderr and "商务委" in result.stderr and TASK1 in result.stderr


@pytest.mark.slow
def test_refused_sync_keeps_the_clone(shared: dict[str, Path]) -> None:
    """`duban sync` refused by the guard: the clone keeps its commit, the shared repository is unchanged,
    and the guard's lines reach the user."""
    bare, jrb_clone = shared["bare"], shared["jrb"]
    record_progress(Repository(jrb_clone), "2019-changning/1", 30, by="商务委", date="2019-03-20")
    head, before = git(jrb_clone, "rev-parse", "HEAD").strip(), refs(bare)
    env = {**os.environ, **GIT_ENV, "DUBAN_ACCOUNT": "jrb-wang", "DUBAN_LANG": "zh"}
    result = subprocess.run(
        [sys.executable, "-m", "duban", "sync"], cwd=jrb_clone, capture_output=True, text=True, env=env
    )
    # The guard's own line reaches the user, with what to do; before, only git's last line
    # ("failed to push some refs") and a hint to sync again.
    assert result.returncode != 0 and "共享仓库拒绝了这次推送" in result.stderr
    assert "已拒绝" in result.stderr and "商务委" in result.stderr and "duban undo" in result.stderr
    assert git(jrb_clone, "rev-parse", "HEAD").strip() == head and refs(bare) == before
    assert not git(jrb_clone, "status", "--porcelain").strip()


@pytest.mark.slow
def test_merges_inherit_only_what_their_parents_bring(shared: dict[str, Path]) -> None:
    bare, office_clone, jrb_clone = shared["bare"], shared["office"], shared["jrb"]
    old = git(office_clone, "rev-parse", "HEAD").strip()
    # The office changes a field and plan.yaml; a unit's merge brings them along: allowed.
    set_fields(Repository(office_clone), "2019-changning/2", ["due=2019-12-31"])
    with open(office_clone / "plans/2019-changning/plan.yaml", "a", encoding="utf-8") as handle:
        handle.write("\n# 督查科\n")
    git(office_clone, "commit", "-q", "-am", "plan note")
    assert push(office_clone, "duchake").returncode == 0
    record_progress(Repository(jrb_clone), "2019-changning/1", 20, by="金融办", date="2019-03-20")
    git(jrb_clone, "pull", "-q", "--no-rebase", "origin", "main")
    result = push(jrb_clone, "jrb-wang")
    assert result.returncode == 0, result.stderr
    # A merge with an old commit that takes the old due date back: the merge's own change, refused.
    before = refs(bare)
    git(jrb_clone, "checkout", old, "--", TASK2)
    tree = git(jrb_clone, "write-tree").strip()
    forged = git(jrb_clone, "commit-tree", tree, "-p", "HEAD", "-p", old, "-m", "merge").strip()
    git(jrb_clone, "reset", "-q", "--hard", forged)
    assert len(git(jrb_clone, "rev-list", "--parents", "-1", "HEAD").split()) == 3
    refused(push(jrb_clone, "jrb-wang"), TASK2, "due")
    assert refs(bare) == before


def test_validate_checks_the_access_file(git_repo: Path) -> None:
    (git_repo / "access.yaml").write_text("accounts:\n  jrb: {role: unit}\n", "utf-8")
    env = {**os.environ, **GIT_ENV, "DUBAN_LANG": "en"}
    result = subprocess.run(
        [sys.executable, "-m", "duban", "validate"], cwd=git_repo, capture_output=True, text=True, env=env
    )
    assert result.returncode == 1 and "access.yaml:2" in result.stdout, result.stdout + result.stderr
    (git_repo / "access.yaml").write_text(ACCESS, "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "duban", "validate"], cwd=git_repo, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("ssh-keygen"), reason="needs ssh-keygen: apt-get install -y openssh-client")
def test_signed_reports(shared: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An account with a key in the access file: its reports go through only signed with that key."""
    bare, office, jrb_clone = shared["bare"], shared["office"], shared["jrb"]
    keys = tmp_path / "keys"
    keys.mkdir()
    jrb_key, jrb_public = _ssh_key(keys, "jrb")
    swy_key, swy_public = _ssh_key(keys, "swy")
    text = ACCESS.replace("{role: unit, unit: 金融办}", f'{{role: unit, unit: 金融办, keys: ["{jrb_public}"]}}')
    text = text.replace("{role: unit, unit: 商务委}", f'{{role: unit, unit: 商务委, keys: ["{swy_public}"]}}')
    (office / "access.yaml").write_text(text, "utf-8")
    git(office, "commit", "-q", "-am", "keys")
    assert push(office, "duchake").returncode == 0
    git(jrb_clone, "pull", "-q", "origin", "main")
    head = git(jrb_clone, "rev-parse", "HEAD").strip()
    before = refs(bare)
    jrb = Repository(jrb_clone)
    record_progress(jrb, "2019-changning/2", 20, by="金融办", date="2019-03-20")  # unsigned
    refused(push(jrb_clone, "jrb-wang"), TASK2, "must be signed")
    git(jrb_clone, "reset", "-q", "--hard", head)
    _signing(monkeypatch, swy_key)  # another unit's key
    record_progress(jrb, "2019-changning/2", 20, by="金融办", date="2019-03-20")
    refused(push(jrb_clone, "jrb-wang"), TASK2, "not signed by a key of account jrb-wang", "swy-li")
    git(jrb_clone, "reset", "-q", "--hard", head)
    assert refs(bare) == before
    _signing(monkeypatch, jrb_key)  # its own key
    record_progress(jrb, "2019-changning/2", 20, by="金融办", date="2019-03-20")
    result = push(jrb_clone, "jrb-wang")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("ssh-keygen"), reason="needs ssh-keygen: apt-get install -y openssh-client")
def test_a_plan_that_requires_signing_refuses_unsigned_reports(
    shared: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """signing_required in the access file: on that plan an unsigned report is refused, whoever pushes it,
    with one Chinese line saying how to sign; an account with no key is told the office must add one."""
    bare, office, jrb_clone, swy_clone = shared["bare"], shared["office"], shared["jrb"], shared["swy"]
    keys = tmp_path / "keys"
    keys.mkdir()
    jrb_key, jrb_public = _ssh_key(keys, "jrb")
    office_key, office_public = _ssh_key(keys, "office")
    text = ACCESS.replace("{role: unit, unit: 金融办}", f'{{role: unit, unit: 金融办, keys: ["{jrb_public}"]}}')
    text = text.replace("{role: office, name: 督查科}", f'{{role: office, name: 督查科, keys: ["{office_public}"]}}')
    (office / "access.yaml").write_text(text + "signing_required: [2019-changning]\n", "utf-8")
    git(office, "commit", "-q", "-am", "signing required")
    assert push(office, "duchake").returncode == 0
    for where in (jrb_clone, swy_clone):
        git(where, "pull", "-q", "origin", "main")
    before = refs(bare)
    env = {**os.environ, **GIT_ENV, "DUBAN_LANG": "zh"}

    def pushed_in_chinese(where: Path, account: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "push", "origin", "HEAD:main"],
            cwd=where,
            capture_output=True,
            text=True,
            env={**env, "DUBAN_ACCOUNT": account},
        )

    # 商务委's account has no key: told that the office adds one, and how its clone then signs.
    head = git(swy_clone, "rev-parse", "HEAD").strip()
    record_progress(Repository(swy_clone), "2019-changning/1", 25, by="商务委", date="2019-03-21")
    result = pushed_in_chinese(swy_clone, "swy-li")
    assert result.returncode != 0 and "计划 2019-changning 要求报送签名" in result.stderr, result.stderr
    assert "git config user.signingkey" in result.stderr and TASK1 in result.stderr
    git(swy_clone, "reset", "-q", "--hard", head)
    # The office's own unsigned report on a unit's behalf, reason and all.
    head = git(office, "rev-parse", "HEAD").strip()
    record_progress(
        Repository(office),
        "2019-changning/2",
        30,
        by="金融办",
        date="2019-03-20",
        trailers=(("Reason", "金融办3月纸质报表"),),
    )
    refused(push(office, "duchake"), TASK2, "must be signed")
    git(office, "reset", "-q", "--hard", head)
    # 金融办 unsigned: refused; signed with its key: through. The other plan asks for no signature.
    head = git(jrb_clone, "rev-parse", "HEAD").strip()
    record_progress(Repository(jrb_clone), "2019-changning/2", 20, by="金融办", date="2019-03-20")
    result = pushed_in_chinese(jrb_clone, "jrb-wang")
    assert result.returncode != 0 and "已拒绝" in result.stderr and "commit.gpgsign" in result.stderr, result.stderr
    assert refs(bare) == before
    git(jrb_clone, "reset", "-q", "--hard", head)
    _signing(monkeypatch, jrb_key)
    record_progress(Repository(jrb_clone), "2019-changning/2", 20, by="金融办", date="2019-03-20")
    assert push(jrb_clone, "jrb-wang").returncode == 0
    _signing(monkeypatch, office_key)
    git(office, "pull", "-q", "origin", "main")
    record_progress(
        Repository(office),
        "2019-changning/2",
        30,
        by="金融办",
        date="2019-03-22",
        trailers=(("Reason", "金融办3月纸质报表"),),
    )
    assert push(office, "duchake").returncode == 0


def test_signing_required_is_in_the_schema_and_checked_by_validate(git_repo: Path) -> None:
    _rights, problems = parse(ACCESS + "signing_required: 2019-changning\n")
    assert problems  # a list of plans
    rights, problems = parse(ACCESS + "signing_required: [2019-changning]\n")
    assert not problems and rights.signing_required == ("2019-changning",)
    (git_repo / "access.yaml").write_text(ACCESS + "signing_required:\n  - 2019-changning\n  - 2019-长宁\n", "utf-8")
    env = {**os.environ, **GIT_ENV, "DUBAN_LANG": "zh"}
    result = subprocess.run(
        [sys.executable, "-m", "duban", "validate"], cwd=git_repo, capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    assert "access.yaml:9:5:" in result.stdout and "2019-长宁" in result.stdout and "不存在" in result.stdout, (
        result.stdout
    )
    assert "2019-changning," not in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_units_syncing_through_the_guard_lose_nothing(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two units record on the tasks they share and `duban sync` in a random order through a guarded
    repository: no push is refused (duban's merges bring only what their parents bring), and every
    report ends up everywhere exactly once."""
    import random

    from click.testing import CliRunner

    from duban.cli.main import cli
    from duban.progress import flat
    from duban.record.sync import sync
    from duban.store import yamlio
    from tests.support import SAMPLE

    bare = tmp_path / "shared.git"
    init_server(bare, ("duchake",))
    office = tmp_path / "office"
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(cli, ["init", str(office)], catch_exceptions=False).exit_code == 0
    git(office, "branch", "-M", "main")
    shutil.copytree(SAMPLE / "plans", office / "plans", dirs_exist_ok=True)
    (office / "access.yaml").write_text(ACCESS, "utf-8")
    git(office, "add", "-A")
    git(office, "commit", "-q", "-m", "plans")
    git(office, "remote", "add", "origin", str(bare))
    monkeypatch.setenv("DUBAN_ACCOUNT", "duchake")
    sync(Repository(office))
    units = {"jrb-wang": ("金融办", clone(bare, tmp_path / "jrb")), "swy-li": ("商务委", clone(bare, tmp_path / "swy"))}
    chance = random.Random(seed)
    recorded: set[tuple[str, str, str]] = set()
    day = 0
    for _step in range(14):
        account = chance.choice(sorted(units))
        unit, where = units[account]
        monkeypatch.setenv("DUBAN_ACCOUNT", account)
        if chance.random() < 0.6:
            day += 1
            task = chance.choice(["1", "2"])
            date = f"2019-03-{day:02d}"
            record_progress(Repository(where), f"2019-changning/{task}", day, by=unit, date=date)
            recorded.add((task, unit, date))
        else:
            sync(Repository(where))
    for _round in range(2):
        for account, (_unit, where) in sorted(units.items()):
            monkeypatch.setenv("DUBAN_ACCOUNT", account)
            sync(Repository(where))
    for where in (units["jrb-wang"][1], units["swy-li"][1]):
        found = []
        for task in ("1", "2"):
            text = (where / f"plans/2019-changning/tasks/{task}.yaml").read_text("utf-8")
            found += [(task, r["by"], str(r["date"])) for r in flat(yamlio.load_fast(text, task).get("progress"))]
        assert sorted(found) == sorted(recorded)
    assert git(bare, "rev-parse", "main") == git(units["jrb-wang"][1], "rev-parse", "HEAD")
    assert int(git(bare, "rev-list", "--merges", "--count", "main")) > 0  # sync's merges went through the guard


def _signed_history(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """金融办: one report unsigned, one signed with its key; 商务委: one signed with 金融办's key."""
    keys = tmp_path / "keys"
    keys.mkdir()
    jrb_key, jrb_public = _ssh_key(keys, "jrb")
    _swy_key, swy_public = _ssh_key(keys, "swy")
    text = ACCESS.replace("{role: unit, unit: 金融办}", f'{{role: unit, unit: 金融办, keys: ["{jrb_public}"]}}')
    text = text.replace("{role: unit, unit: 商务委}", f'{{role: unit, unit: 商务委, keys: ["{swy_public}"]}}')
    (git_repo / "access.yaml").write_text(text, "utf-8")
    git(git_repo, "add", "access.yaml")
    git(git_repo, "commit", "-q", "-m", "keys")
    repo = Repository(git_repo)
    record_progress(repo, "2019-changning/2", 10, by="金融办", date="2019-03-01")  # unsigned
    _signing(monkeypatch, jrb_key)
    record_progress(repo, "2019-changning/2", 20, by="金融办", date="2019-03-02")  # its own key
    record_progress(repo, "2019-changning/1", 20, by="商务委", date="2019-03-02")  # 金融办's key on 商务委's report
    _signing(monkeypatch, None)


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("ssh-keygen"), reason="needs ssh-keygen: apt-get install -y openssh-client")
def test_signature_counts_per_unit(git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from duban.guard.signatures import OTHER, SIGNED, UNSIGNED, signatures

    _signed_history(git_repo, tmp_path, monkeypatch)
    counts = signatures(git_repo)
    assert counts["金融办"][SIGNED] == 1 and counts["金融办"][UNSIGNED] == 1
    assert counts["商务委"][OTHER] == 1
    env = {**os.environ, **GIT_ENV, "DUBAN_LANG": "en"}
    shown = subprocess.run(
        [sys.executable, "-m", "duban", "guard", "--signatures"], cwd=git_repo, capture_output=True, text=True, env=env
    )
    assert "金融办: 1 signed, 1 unsigned, 0 signed by the office, 0 signed by a key not the unit's" in shown.stdout, (
        shown
    )


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("ssh-keygen"), reason="needs ssh-keygen: apt-get install -y openssh-client")
def test_verify_shows_the_signature_counts_of_guard(
    git_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`duban verify` says per unit how many reports are signed by its key, unsigned or signed by
    another: the very lines `duban guard --signatures` prints, in Chinese by default."""
    _signed_history(git_repo, tmp_path, monkeypatch)
    env = {**os.environ, **GIT_ENV, "DUBAN_LANG": "zh"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "duban", *args], cwd=git_repo, capture_output=True, text=True, env=env
        )

    guard_lines = run("guard", "--signatures").stdout.splitlines()
    verified = run("verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert len(guard_lines) == 2 and [line.strip() for line in verified.stdout.splitlines()[1:]] == guard_lines
    assert "金融办:本单位签名 1 条,未签名 1 条" in verified.stdout
    assert "商务委:本单位签名 0 条,未签名 0 条,督查部门签名 0 条,非本单位密钥签名 1 条" in verified.stdout
    # Only the plan asked for: every report here is on 2019-changning, none on 2008-baoshan.
    assert "金融办:本单位签名 1 条" in run("verify", "--plan", "2019-changning").stdout
    assert "金融办" not in run("verify", "--plan", "2008-baoshan").stdout


@pytest.mark.slow
def test_the_office_clone_is_asked_for_a_reason_before_it_commits(shared: dict[str, Path]) -> None:
    """git config duban.account names the office: `duban progress --by` another unit without --reason
    is refused in Chinese before any commit (the guard would refuse it at the push); with it, it goes through."""
    office = shared["office"]
    git(office, "config", "duban.account", "duchake")
    head = git(office, "rev-parse", "HEAD").strip()
    env = {**os.environ, **GIT_ENV, "DUBAN_LANG": "zh"}
    args = [
        sys.executable,
        "-m",
        "duban",
        "progress",
        "2019-changning/2",
        "--percent",
        "30",
        "--by",
        "金融办",
        "--date",
        "2019-03-20",
    ]
    result = subprocess.run(args, cwd=office, capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "代 金融办 报送须写明所依据的纸质报表或表格" in result.stderr, result.stderr
    assert "--reason" in result.stderr and "Traceback" not in result.stderr
    assert git(office, "rev-parse", "HEAD").strip() == head and not git(office, "status", "--porcelain").strip()
    result = subprocess.run(
        [*args, "--reason", "金融办3月纸质报表"], cwd=office, capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "Reason: 金融办3月纸质报表" in git(office, "log", "-1", "--format=%B")
    assert push(office, "duchake").returncode == 0


@pytest.mark.skipif(not shutil.which("ssh-keygen"), reason="needs ssh-keygen: apt-get install -y openssh-client")
def test_the_clone_account_by_config_or_signing_key(git_repo: Path, tmp_path: Path) -> None:
    from duban.guard.access import clone_account, reason_needed

    assert not reason_needed(git_repo, "金融办", "商务委")  # no access file: no rule to follow
    keys = tmp_path / "keys"
    keys.mkdir()
    office_key, office_public = _ssh_key(keys, "office")
    jrb_key, jrb_public = _ssh_key(keys, "jrb")
    text = ACCESS.replace("{role: unit, unit: 金融办}", f'{{role: unit, unit: 金融办, keys: ["{jrb_public}"]}}')
    text = text.replace("{role: office, name: 督查科}", f'{{role: office, name: 督查科, keys: ["{office_public}"]}}')
    (git_repo / "access.yaml").write_text(text, "utf-8")
    assert clone_account(git_repo) is None
    assert reason_needed(git_repo, "金融办", "商务委") and not reason_needed(git_repo, "金融办", "金融办")
    assert not reason_needed(git_repo, "金融办", None)  # nothing known: the guard says it at the push
    git(git_repo, "config", "user.signingkey", str(office_key))  # the private key beside its .pub
    assert clone_account(git_repo).name == "duchake" and reason_needed(git_repo, "金融办", "金融办")
    git(git_repo, "config", "user.signingkey", f"{jrb_key}.pub")
    assert clone_account(git_repo).name == "jrb-wang" and not reason_needed(git_repo, "金融办", "商务委")
    git(git_repo, "config", "user.signingkey", f"key::{office_public}")
    assert clone_account(git_repo).name == "duchake"
    git(git_repo, "config", "duban.account", "swy-li")  # named: the config wins
    assert clone_account(git_repo).name == "swy-li" and not reason_needed(git_repo, "商务委", None)


@pytest.mark.slow
def test_a_refused_report_taken_back_with_duban_undo_lets_the_sync_through(shared: dict[str, Path]) -> None:
    """What the refusal says to do works: `duban undo` of the refused commit, and the next push holds
    the commit and its exact revert, which change nothing together; the unit's own report goes with it."""
    from duban.record.undo import undo_last

    bare, jrb_clone = shared["bare"], shared["jrb"]
    jrb = Repository(jrb_clone)
    record_progress(jrb, "2019-changning/2", 20, by="金融办", date="2019-03-19")  # its own
    record_progress(jrb, "2019-changning/1", 30, by="商务委", date="2019-03-20")  # another unit's
    refused(push(jrb_clone, "jrb-wang"), TASK1, "商务委")
    undo_last(jrb, "2019-changning/1")
    result = push(jrb_clone, "jrb-wang")
    assert result.returncode == 0, result.stderr
    assert git(bare, "rev-parse", "main") == git(jrb_clone, "rev-parse", "HEAD")
    # A "revert" that does not undo the commit exactly leaves both judged.
    record_progress(jrb, "2019-changning/1", 31, by="商务委", date="2019-03-21")
    forged = git(jrb_clone, "rev-parse", "HEAD").strip()
    text = (jrb_clone / TASK1).read_text("utf-8")
    (jrb_clone / TASK1).write_text(text.replace("percent: 31", "percent: 32"), "utf-8")
    git(jrb_clone, "commit", "-q", "-am", f"not quite\n\nReverts: {forged}")
    refused(push(jrb_clone, "jrb-wang"), TASK1, "商务委")
