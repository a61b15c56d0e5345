"""Deadline seals in real git repositories: an annotated (or signed) tag per deadline; lateness
and scores judged by what the seal holds; `verify` names a sealed report changed afterwards."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.errors import DubanError
from duban.record.recording import record_progress
from duban.store.repository import Repository
from duban.supervise import lights
from duban.supervise.entries import entered_after_deadline
from duban.supervise.reports import report
from duban.supervise.seals.judging import seals
from duban.supervise.seals.making import seal
from duban.supervise.seals.verifying import verify
from duban.supervise.selection import select
from tests.support import at, git

PLAN = "2019-changning"
JUNE_25 = dt.date(2019, 6, 25)


@pytest.fixture
def sealed_june(sample_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Plans in January; 金融办 reports on task 2 on 20 June; the office seals 25 June; on
    26 June a report on task 1 dated 24 June is typed in."""
    at(monkeypatch, "2019-01-31")
    git(sample_repo, "init", "-q", "-b", "main")
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "plans")
    repo = Repository(sample_repo)
    at(monkeypatch, "2019-06-20")
    record_progress(repo, f"{PLAN}/2", 30, by="金融办", date="2019-06-20", note="按时报送")
    at(monkeypatch, "2019-06-25")
    seal(repo, PLAN, JUNE_25)
    at(monkeypatch, "2019-06-26")
    record_progress(repo, f"{PLAN}/1", 20, by="金融办", date="2019-06-24", note="补报")
    return sample_repo


def test_a_seal_is_an_annotated_tag_on_the_record_at_the_deadline(sealed_june: Path) -> None:
    assert git(sealed_june, "cat-file", "-t", "duban/seal/2019-changning/2019-06-25").strip() == "tag"
    tagged = git(sealed_june, "rev-parse", "duban/seal/2019-changning/2019-06-25^{commit}").strip()
    assert tagged == git(sealed_june, "rev-parse", "HEAD~1").strip()
    text = git(sealed_june, "cat-file", "-p", "duban/seal/2019-changning/2019-06-25")
    # what it holds by content: the commit, each report's own identity, when and whether late
    assert "Deadline: 2019-06-25" in text and f"Commit: {tagged}" in text and "Late: no" in text
    assert "Sealed-At: 2019-06-25T" in text and "Reports: 1" in text
    task = Repository(sealed_june).resolve(f"{PLAN}/2")
    held = lights.sealed_key(Repository(sealed_june).plan(PLAN), task, task.progress[0])
    assert f"\n2\t{held}\n" in text
    [only] = seals(Repository(sealed_june), PLAN)
    assert (only.deadline, only.signed) == ("2019-06-25", False)
    with pytest.raises(DubanError, match="already exists"):
        seal(Repository(sealed_june), PLAN, JUNE_25)


def test_lateness_and_scores_are_judged_against_the_seal(sealed_june: Path) -> None:
    repo = Repository(sealed_june)
    june = select(repo, [PLAN], "2019-06-30")
    by_id = {t.id: t for t in june.tasks}
    # Dated 24 June, but not in the seal of 25 June: late.
    assert june.light_of(by_id["1"]).late is True
    assert "in the seal of that deadline" in june.light_of(by_id["1"]).late_reason
    assert june.light_of(by_id["2"]).late is False
    lead = next(t for t in report(june, june.tasks, "unit") if t.group == "金融办" and t.role == "lead")
    assert lead.late == 1
    late = entered_after_deadline(repo, PLAN)
    assert [(e.ref, e.report_date) for e in late] == [(f"{PLAN}/1", "2019-06-24")]


def test_without_a_seal_the_report_date_decides(sealed_june: Path) -> None:
    git(sealed_june, "tag", "-d", "duban/seal/2019-changning/2019-06-25")
    # This clone remembers the seal it saw (and goes on judging by it, `verify` naming the
    # deletion): a clone that never saw one is one without that memory.
    shutil.rmtree(sealed_june / ".git/duban-seals")
    june = select(Repository(sealed_june), [PLAN], "2019-06-30")
    by_id = {t.id: t for t in june.tasks}
    assert not june.light_of(by_id["2"]).late
    # Task 1's four other co-leads never reported; 金融办, dated 24 June, answered.
    missing = lights.late_units(by_id["1"], june.plan(by_id["1"]), june.as_of, june.sealed(by_id["1"]))
    assert "金融办" not in missing and len(missing) == 4


def test_verify_names_a_sealed_report_changed_afterwards(sealed_june: Path) -> None:
    result = CliRunner().invoke(cli, ["verify"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 seal checked, 1 sealed report: all unchanged" in result.stderr
    path = sealed_june / "plans/2019-changning/tasks/2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("percent: 30", "percent: 60"), encoding="utf-8")
    git(sealed_june, "commit", "-qam", "quietly raise a sealed report")
    result = CliRunner().invoke(cli, ["verify"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == (
        "duban/seal/2019-changning/2019-06-25: 2019-changning/2: report of 2019-06-20 [金融办] "
        "(30%) was changed or removed after the seal\n"
    )


def test_verify_names_a_rewritten_history(sealed_june: Path) -> None:
    git(sealed_june, "reset", "-q", "--hard", "HEAD~2")  # back before the sealed report
    git(sealed_june, "commit", "-q", "--allow-empty", "-m", "another line of history")
    findings = verify(Repository(sealed_june)).findings
    assert any("the history was rewritten" in f.message for f in findings)


def test_a_deadline_must_have_passed_and_be_a_deadline(sealed_june: Path) -> None:
    with pytest.raises(DubanError, match="is not a reporting deadline"):
        seal(Repository(sealed_june), PLAN, dt.date(2019, 6, 24))
    with pytest.raises(DubanError, match="has not passed yet"):
        seal(Repository(sealed_june), PLAN, dt.date(2019, 7, 25), today=dt.date(2019, 7, 1))


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen")
def test_a_seal_is_signed_where_a_key_is_configured(sealed_june: Path, tmp_path: Path) -> None:
    key = tmp_path / "office_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "office", "-f", str(key)], check=True)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"committer@example.invalid {(tmp_path / 'office_key.pub').read_text()}", encoding="utf-8")
    for name, value in (
        ("gpg.format", "ssh"),
        ("user.signingkey", str(key)),
        ("gpg.ssh.allowedSignersFile", str(signers)),
    ):
        git(sealed_june, "config", name, value)
    made = seal(Repository(sealed_june), PLAN, dt.date(2019, 7, 25), today=dt.date(2019, 7, 25))
    assert made.signed
    git(sealed_june, "verify-tag", made.tag)  # raises if the signature does not verify
    assert [s.signed for s in seals(Repository(sealed_june), PLAN)] == [False, True]
    assert verify(Repository(sealed_june), today=dt.date(2019, 7, 26)).findings == []


def test_a_sealed_report_under_an_alias_keeps_its_seal_through_migrate(
    sample_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A legacy report typed with a unit's alias (科  委) is kept under the unit's own name (科委)
    by `duban migrate`: the same report, so still in its seal, on time, and unchanged for verify."""
    from duban.record.migrating import migrate

    at(monkeypatch, "2019-01-31")
    git(sample_repo, "init", "-q", "-b", "main")
    path = sample_repo / "plans/2019-changning/tasks/1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "indicators:",
            "progress:\n  - date: 2019-06-20\n    percent: 30\n    note: 按时\n    by: 科  委\nindicators:",
        ),
        encoding="utf-8",
    )
    git(sample_repo, "add", "-A")
    git(sample_repo, "commit", "-q", "-m", "plans, with a report typed by hand")
    repo = Repository(sample_repo)
    at(monkeypatch, "2019-06-25")
    seal(repo, PLAN, JUNE_25)
    at(monkeypatch, "2019-06-26")
    migrate(Repository(sample_repo))
    assert "  科委:\n    - date: 2019-06-20\n" in path.read_text(encoding="utf-8")
    repo = Repository(sample_repo)
    assert verify(repo).findings == []
    june = select(repo, [PLAN], "2019-06-30")
    task = next(t for t in june.tasks if t.id == "1")
    # 科委 supports task 1, so its report answers no lead's duty; but it is still the report the
    # seal holds, and so not entered late.
    [report] = task.progress
    assert lights.sealed_key(june.plan(task), task, report) in (june.sealed(task) or {}).get("2019-06-25", set())
    assert entered_after_deadline(repo, PLAN) == []


def test_verify_names_a_seal_whose_list_is_not_what_its_commit_held(sealed_june: Path) -> None:
    """A seal retagged with the same commit but another report in its list: the list is named
    as not what the commit held by the deadline (in a clone that never saw the first tag)."""
    name = "duban/seal/2019-changning/2019-06-25"
    text = git(sealed_june, "cat-file", "-p", name)
    task = Repository(sealed_june).resolve(f"{PLAN}/2")
    held = lights.sealed_key(Repository(sealed_june).plan(PLAN), task, task.progress[0])
    message = text.split("\n\n", 1)[1].replace(f"\n2\t{held}\n", "\n2\tnot-a-report-it-held\n")
    assert "not-a-report-it-held" in message
    (sealed_june / "message.txt").write_text(message, encoding="utf-8")
    commit = git(sealed_june, "rev-parse", f"{name}^{{commit}}").strip()
    git(sealed_june, "tag", "-f", "-a", "--cleanup=verbatim", "-F", "message.txt", name, commit)
    (sealed_june / "message.txt").unlink()
    shutil.rmtree(sealed_june / ".git/duban-seals")
    findings = verify(Repository(sealed_june)).findings
    assert [f.message for f in findings] == [
        "the reports it lists are not those its commit held by the deadline",
        "report not-a-report-it-held was changed or removed after the seal",
    ]
