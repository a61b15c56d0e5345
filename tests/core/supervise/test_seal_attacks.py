"""The audit's 13 seal attacks (../shared/audits/reliability.md §3.3, N1-N3, N5), each tried
by a hostile unit in real clones of one bare remote, with the office's seals signed by an ssh
key named in .duban/seal-signers: each is refused or named by `verify`, from any copy.

The unit 金融办 leads task 2 alone. It reports 10% on 20 April (on time); the office seals
25 April; whatever the unit does afterwards, its report for April stays the sealed one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from duban.errors import DubanError
from tests.seal_world import OFFICE, PLAN, SSH_KEYGEN, UNIT, World, make_world
from tests.support import git

TAG = f"duban/seal/{PLAN}/2019-04-25"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    if SSH_KEYGEN is None:
        pytest.skip("needs ssh-keygen: apt-get install openssh-client")
    return make_world(tmp_path, monkeypatch, signed=True)


@pytest.fixture
def sealed(world: World) -> World:
    """The unit's on-time March and April reports, synced; the office syncs and seals 25 April."""
    world.report("2019-03-20", 5, "2019-03-20", note="三月")
    world.report("2019-04-20", 10, "2019-04-20", note="四月按时")
    world.sync(world.unit, "2019-04-20")
    world.sync(world.office, "2019-04-25", OFFICE)
    made = world.seal("2019-04-25", "2019-04-25")
    assert made.signed and not made.late and made.held == {"2": made.held["2"]} and len(made.held["2"]) == 2
    git(world.unit, "fetch", "-q", "origin", "--tags")
    world.sync(world.unit, "2019-04-26")
    assert world.verify(world.unit) == [] and world.verify(world.office) == []
    assert world.late(world.office) is False
    return world


def _late_report(world: World, env_day: str = "2019-04-28", date: str = "2019-04-24", percent: float = 95) -> None:
    world.report(env_day, percent, date, note="封存后录入")
    world.sync(world.unit, env_day)


def _unsigned_tag(world: World, where: Path, target: str = "HEAD", *extra: str) -> None:
    message = f"督办 报送截止封存 {PLAN} 2019-04-25\n\nPlan: {PLAN}\nDeadline: 2019-04-25\n"
    git(where, "tag", "-f", "-a", "-m", message, *extra, TAG, target)


def _fresh(world: World, name: str = "fresh") -> Path:
    return world.clone(name)


# 1. backdated --date ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_backdated_report_typed_after_the_seal_is_late(sealed: World) -> None:
    world = sealed
    world.report("2019-04-28", 95, "2019-04-24", task="2", note="补报")
    world.sync(world.unit, "2019-04-28")
    world.sync(world.office, "2019-04-29", OFFICE)
    assert world.late(world.office) is False  # the sealed 10% answered April...
    assert world.percent(world.office) == 95  # ...and the 95% counts for its date, but is listed:
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(world.office)


# 2. GIT_AUTHOR_DATE / GIT_COMMITTER_DATE before the deadline -----------------------------------------


@pytest.mark.slow
def test_commit_dates_before_the_deadline_do_not_put_a_report_in_the_seal(world: World) -> None:
    world.report("2019-03-20", 5, "2019-03-20")
    world.sync(world.unit, "2019-03-20")
    world.sync(world.office, "2019-04-25", OFFICE)
    world.seal("2019-04-25", "2019-04-25")
    # typed in on the 28th with every date git knows set to the 24th
    world.report("2019-04-24", 30, "2019-04-24", note="伪造时间")
    world.sync(world.unit, "2019-04-24")
    for where in (world.unit, _fresh(world)):
        assert world.late(where) is True
        assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(where)


# 3. a report added with `duban edit` ----------------------------------------------------------------


@pytest.mark.slow
def test_a_report_added_by_hand_after_the_seal_is_late_and_listed(sealed: World) -> None:
    world = sealed
    path = world.unit / f"plans/{PLAN}/tasks/2.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "      note: 四月按时\n",
            "      note: 四月按时\n    - date: 2019-04-23\n      percent: 40\n      note: 手工补报\n",
        ),
        encoding="utf-8",
    )
    with world.acting(UNIT, "2019-04-28"):
        git(world.unit, "commit", "-qam", "edit")
    world.sync(world.unit, "2019-04-28")
    assert (f"{PLAN}/2", "2019-04-23") in world.entered_late(world.unit)


def test_an_edit_entered_after_an_unsealed_deadline_is_listed(world: World) -> None:
    """N13: without a seal, a report typed in with `duban edit` after its deadline is listed
    as entered late, as one typed with `progress --date` is."""
    path = world.unit / f"plans/{PLAN}/tasks/2.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "status: not_started\n",
            "status: not_started\nprogress:\n  金融办:\n"
            "    - date: 2019-04-23\n      percent: 40\n      note: 编辑补报\n",
        ),
        encoding="utf-8",
    )
    with world.acting(UNIT, "2019-05-07"):
        git(world.unit, "commit", "-qam", "编辑")
    assert world.entered_late(world.unit) == [(f"{PLAN}/2", "2019-04-23")]


# 4. a second report with the sealed report's date and unit (N2) -----------------------------------


@pytest.mark.slow
def test_a_second_report_with_a_sealed_reports_date_and_unit_is_not_sealed(world: World) -> None:
    world.report("2019-04-20", 10, "2019-04-20", note="16四月按时")
    world.sync(world.unit, "2019-04-20")
    world.sync(world.office, "2019-04-25", OFFICE)
    world.seal("2019-04-25", "2019-04-25")
    assert world.percent(world.office) == 10
    world.report("2019-04-28", 95, "2019-04-20", note="封存后录入")
    world.sync(world.unit, "2019-04-28")
    world.sync(world.office, "2019-04-29", OFFICE)
    for where in (world.office, _fresh(world)):
        assert (f"{PLAN}/2", "2019-04-20") in world.entered_late(where)
        assert world.verify(where, "2019-04-30") == []
    # the sealed report still answers April: the unit did report on time, 10%
    assert world.late(world.office) is False


def test_a_second_report_alone_does_not_answer_the_sealed_deadline(world: World) -> None:
    world.report("2019-03-20", 5, "2019-03-20")
    world.sync(world.unit, "2019-03-20")
    world.sync(world.office, "2019-04-25", OFFICE)
    world.seal("2019-04-25", "2019-04-25")
    # a report "of 20 March" (a date the seal holds) cannot answer April; one of 20 April typed later is late
    world.report("2019-04-28", 95, "2019-04-20", note="封存后")
    world.sync(world.unit, "2019-04-28")
    assert world.late(_fresh(world)) is True


# 5. a sealed report's percent changed by hand ------------------------------------------------------


@pytest.mark.slow
def test_a_sealed_report_changed_by_hand_is_named(sealed: World) -> None:
    world = sealed
    path = world.unit / f"plans/{PLAN}/tasks/2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("percent: 10", "percent: 60"), encoding="utf-8")
    with world.acting(UNIT, "2019-04-28"):
        git(world.unit, "commit", "-qam", "改")
    world.sync(world.unit, "2019-04-28")
    found = world.verify(_fresh(world))
    assert any("report of 2019-04-20 [金融办] (10%) was changed or removed after the seal" in f for f in found)
    assert world.late(_fresh(world, "fresh2")) is True  # the 60% is not the sealed report


# 6. history rewritten and force-pushed; 7. the office syncs afterwards ---------------------------------


@pytest.mark.slow
def test_a_rewritten_history_is_named_in_a_fresh_clone_and_undone_by_the_office(sealed: World) -> None:
    world = sealed
    git(world.unit, "reset", "-q", "--hard", "HEAD~1")  # drop the sealed April report
    with world.acting(UNIT, "2019-04-28"):
        git(world.unit, "commit", "-q", "--allow-empty", "-m", "another history")
    git(world.unit, "push", "-q", "-f", "origin", "main")
    found = world.verify(_fresh(world))
    assert any("the history was rewritten" in f for f in found)
    world.sync(world.office, "2019-04-29", OFFICE)  # the office's merge brings the dropped commit back
    assert world.verify(world.office) == []
    assert world.late(world.office) is False


# 8. the seal moved and force-pushed ---------------------------------------------------------------


@pytest.mark.slow
def test_a_moved_seal_is_named_everywhere(sealed: World) -> None:
    world = sealed
    _late_report(world)
    _unsigned_tag(world, world.unit)
    git(world.unit, "push", "-q", "-f", "origin", f"refs/tags/{TAG}")
    assert any("the tag was replaced" in f for f in world.verify(world.unit))  # the unit's own clone remembers
    fresh = _fresh(world)
    assert any("not a seal of the office" in f and "not signed" in f for f in world.verify(fresh))
    # the moved tag is not a seal: April is judged as without one, the 95% listed as typed in late
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(fresh)
    warnings = world.sync(world.office, "2019-04-29", OFFICE)
    assert any("holds another tag" in w for w in warnings)
    assert any("put the office's seal" in w for w in warnings)  # provably the office's: put back
    assert world.late(world.office) is False
    later = _fresh(world, "later")
    assert world.verify(later) == []
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(later)


@pytest.mark.slow
def test_a_seal_moved_with_the_units_own_key_is_not_the_offices(sealed: World) -> None:
    world = sealed
    _late_report(world)
    message = f"督办 报送截止封存 {PLAN} 2019-04-25\n\nPlan: {PLAN}\nDeadline: 2019-04-25\n"
    git(
        world.unit,
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={world.unit_key}",
        "tag",
        "-f",
        "-s",
        "-m",
        message,
        TAG,
        "HEAD",
    )
    git(world.unit, "push", "-q", "-f", "origin", f"refs/tags/{TAG}")
    found = world.verify(_fresh(world))
    assert any("no key of the office" in f for f in found)


@pytest.mark.slow
def test_the_offices_seal_copied_to_another_deadline_is_not_a_seal(sealed: World) -> None:
    """The office's signed April tag object put under May's name: signed, but the object names April."""
    world = sealed
    object_id = git(world.unit, "rev-parse", f"refs/tags/{TAG}").strip()
    git(world.unit, "update-ref", f"refs/tags/duban/seal/{PLAN}/2019-05-25", object_id)
    git(world.unit, "push", "-q", "origin", f"refs/tags/duban/seal/{PLAN}/2019-05-25")
    found = world.verify(_fresh(world), "2019-05-26")
    assert any("a seal taken from another name" in f for f in found)


# 9. a signed seal replaced by an unsigned one (N1 A) --------------------------------------------------


@pytest.mark.slow
def test_a_signed_seal_replaced_by_an_unsigned_one_is_named_from_a_fresh_clone(sealed: World) -> None:
    world = sealed
    _late_report(world)
    assert world.late(world.unit) is False  # the sealed 10% answered; the 95% is late:
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(world.unit)
    _unsigned_tag(world, world.unit)
    git(world.unit, "push", "-q", "-f", "origin", f"refs/tags/{TAG}")
    fresh = _fresh(world)
    found = world.verify(fresh)
    assert any(TAG in f and "not signed" in f for f in found), found
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(fresh)


# 10. the seal pre-created by the unit (N1 B) -----------------------------------------------------------


def test_a_seal_made_by_the_unit_first_is_refused_by_the_office_and_named(world: World) -> None:
    world.report("2019-03-20", 5, "2019-03-20")
    world.report("2019-04-28", 30, "2019-04-24", note="补报四月")
    world.sync(world.unit, "2019-04-28")
    with world.acting(UNIT, "2019-04-25"):
        _unsigned_tag(world, world.unit)
    git(world.unit, "push", "-q", "origin", "--tags")
    world.sync(world.office, "2019-04-25", OFFICE)
    git(world.office, "fetch", "-q", "origin", "--tags")
    with pytest.raises(DubanError, match="this office did not make"):
        world.seal("2019-04-25", "2019-04-25", push=False)
    from duban.supervise.seals.judging import seals

    assert seals(world.repo(world.office)) == []  # the unit's tag is not a seal: April is judged by dates
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(world.office)
    assert any("not a seal of the office" in f for f in world.verify(_fresh(world)))


def test_without_a_key_the_office_still_refuses_a_tag_it_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path, monkeypatch, signed=False)
    world.report("2019-04-20", 5, "2019-04-20")
    world.sync(world.unit, "2019-04-20")
    with world.acting(UNIT, "2019-04-25"):
        _unsigned_tag(world, world.unit)
    git(world.unit, "push", "-q", "origin", "--tags")
    world.sync(world.office, "2019-04-25", OFFICE)
    with pytest.raises(DubanError, match="this office did not make"):
        world.seal("2019-04-25", "2019-04-25", push=False)


# 11. the seal deleted on the remote (N1 C) ---------------------------------------------------------------


@pytest.mark.slow
def test_a_seal_deleted_on_the_remote_is_named(sealed: World) -> None:
    world = sealed
    _late_report(world, env_day="2019-04-24")  # every date forged to the 24th
    git(world.unit, "push", "-q", "origin", f":refs/tags/{TAG}")
    fresh = _fresh(world)
    found = world.verify(fresh, "2019-04-30")
    assert any("2019-04-25 has no seal of the office" in f for f in found), found
    git(world.office, "fetch", "-q", "origin")  # the office's memory of the remote's seals
    world.sync(world.office, "2019-04-26", OFFICE)
    git(world.unit, "push", "-q", "origin", f":refs/tags/{TAG}")
    warnings = world.sync(world.office, "2019-04-29", OFFICE)
    assert any("no longer holds the seal" in w for w in warnings)
    # the office still judges by the seal it saw, and put it back
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(world.office)
    assert world.verify(_fresh(world, "later")) == []


@pytest.mark.slow
def test_a_seal_deleted_locally_is_named_and_still_judged_by(sealed: World) -> None:
    world = sealed
    _late_report(world, env_day="2019-04-24")
    git(world.unit, "tag", "-d", TAG)
    assert any("was deleted" in f for f in world.verify(world.unit))
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(world.unit)


@pytest.mark.slow
def test_a_deleted_seal_that_a_later_one_follows_is_named_without_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(tmp_path, monkeypatch, signed=False)
    world.report("2019-04-20", 5, "2019-04-20")
    world.sync(world.unit, "2019-04-20")
    world.sync(world.office, "2019-04-25", OFFICE)
    world.seal("2019-04-25", "2019-04-25")
    world.report("2019-05-20", 15, "2019-05-20")
    world.sync(world.unit, "2019-05-20")
    world.sync(world.office, "2019-05-25", OFFICE)
    world.seal("2019-05-25", "2019-05-25")
    git(world.unit, "push", "-q", "origin", f":refs/tags/{TAG}")
    found = world.verify(_fresh(world), "2019-05-26")
    assert any("2019-04-25 has no seal" in f for f in found)
    assert any("follows the seal of 2019-04-25" in f for f in found)


# 12. the office seals after the deadline (N3) ---------------------------------------------------------


@pytest.mark.slow
def test_a_seal_after_the_deadline_needs_late_and_holds_only_what_was_recorded_by_it(world: World) -> None:
    world.report("2019-03-20", 10, "2019-03-20", note="三月")
    world.report("2019-04-28", 30, "2019-04-24", note="四月28日才录入")
    world.sync(world.unit, "2019-04-28")
    world.sync(world.office, "2019-04-29", OFFICE)
    before = world.entered_late(world.office)
    assert (f"{PLAN}/2", "2019-04-24") in before
    with pytest.raises(DubanError, match="passed 4 day") as refused:
        world.seal("2019-04-25", "2019-04-29")
    assert "--late" in (refused.value.hint or "")
    made = world.seal("2019-04-25", "2019-04-29", late=True)
    assert made.late and len(made.held["2"]) == 1  # only March's report, recorded by the deadline
    for where in (world.office, _fresh(world)):
        assert world.entered_late(where) == before
        assert world.late(where) is True
        assert world.verify(where, "2019-04-30") == []


@pytest.mark.slow
def test_a_late_seal_is_not_fooled_by_a_commit_dated_before_its_parent(world: World) -> None:
    """The unit backdates its commit but builds on a commit recorded after the deadline."""
    world.report("2019-03-20", 10, "2019-03-20")
    world.sync(world.unit, "2019-03-20")
    world.report("2019-04-27", 5, "2019-04-27", task="1", by="金融办", where=world.office)  # any commit on the 27th
    world.sync(world.office, "2019-04-27", OFFICE)
    world.sync(world.unit, "2019-04-27")
    world.report("2019-04-24", 30, "2019-04-24", note="倒签")  # all of its dates say the 24th
    world.sync(world.unit, "2019-04-24")
    world.sync(world.office, "2019-04-29", OFFICE)
    made = world.seal("2019-04-25", "2019-04-29", late=True)
    assert len(made.held["2"]) == 1
    assert world.late(world.office) is True


def test_a_seal_claiming_to_be_on_time_after_its_deadline_is_not_a_seal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a key a unit can make a well-formed tag; one dated after its deadline that holds
    everything (no Late: yes) is refused as a seal."""
    world = make_world(tmp_path, monkeypatch, signed=False)
    world.report("2019-04-28", 30, "2019-04-24")
    world.sync(world.unit, "2019-04-28")
    head = git(world.unit, "rev-parse", "HEAD").strip()
    message = (
        f"督办 报送截止封存 {PLAN} 2019-04-25\n\nPlan: {PLAN}\nDeadline: 2019-04-25\nCommit: {head}\n"
        "Sealed-At: 2019-04-28T10:00:00+08:00\nLate: no\nPrevious: none\nSeal-Format: 2\nReports: 0\n"
    )
    git(world.unit, "tag", "-a", "-m", message, TAG, head)
    assert any("after its deadline" in f for f in world.verify(world.unit))
    assert (f"{PLAN}/2", "2019-04-24") in world.entered_late(_fresh(world))  # judged as without a seal


# 13. the office seals while behind the remote (N5) ------------------------------------------------------


@pytest.mark.slow
def test_the_office_cannot_seal_behind_the_shared_branch(world: World) -> None:
    world.report("2019-04-20", 10, "2019-04-20", note="四月按时")
    world.sync(world.unit, "2019-04-20")
    with pytest.raises(DubanError, match="behind origin/main"):
        world.seal("2019-04-25", "2019-04-25")
    world.sync(world.office, "2019-04-25", OFFICE)
    world.seal("2019-04-25", "2019-04-25")
    assert world.late(world.office) is False


def test_the_office_cannot_seal_commits_it_has_not_pushed(world: World) -> None:
    world.report("2019-04-20", 10, "2019-04-20", where=world.office)
    with pytest.raises(DubanError, match="lacks"):
        world.seal("2019-04-25", "2019-04-25")


# The office's keys ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_unit_that_adds_its_key_to_the_signers_file_is_named(sealed: World) -> None:
    world = sealed
    path = world.unit / ".duban/seal-signers"
    path.write_text(
        path.read_text(encoding="utf-8") + f"unit@example.invalid {Path(str(world.unit_key) + '.pub').read_text()}",
        encoding="utf-8",
    )
    with world.acting(UNIT, "2019-04-28"):
        git(world.unit, "commit", "-qam", "keys")
    world.sync(world.unit, "2019-04-28")
    _late_report(world)
    message = f"督办 报送截止封存 {PLAN} 2019-05-25\n\nPlan: {PLAN}\nDeadline: 2019-05-25\n"
    git(
        world.unit,
        "-c",
        "gpg.format=ssh",
        "-c",
        f"user.signingkey={world.unit_key}",
        "tag",
        "-s",
        "-m",
        message,
        f"duban/seal/{PLAN}/2019-05-25",
        "HEAD",
    )
    git(world.unit, "push", "-q", "origin", "--tags")
    found = world.verify(_fresh(world), "2019-05-26")
    assert any("seal-signers was changed by" in f for f in found)


@pytest.mark.slow
def test_a_unit_that_removes_the_signers_file_is_named(sealed: World) -> None:
    world = sealed
    git(world.unit, "rm", "-q", ".duban/seal-signers")
    with world.acting(UNIT, "2019-04-28"):
        git(world.unit, "commit", "-qm", "no keys")
    world.sync(world.unit, "2019-04-28")
    found = world.verify(_fresh(world))
    assert any("seal-signers was removed by" in f for f in found)


@pytest.mark.slow
def test_the_office_changes_its_keys_in_a_signed_commit(sealed: World) -> None:
    world = sealed
    path = world.office / ".duban/seal-signers"
    path.write_text(path.read_text(encoding="utf-8") + "# a second clerk's key comes here\n", encoding="utf-8")
    with world.acting(OFFICE, "2019-04-28"):
        git(world.office, "commit", "-q", "-S", "-am", "keys")
    world.sync(world.office, "2019-04-28", OFFICE)
    assert world.verify(_fresh(world), "2019-04-30") == []


@pytest.mark.slow
def test_the_office_needs_its_key_to_seal(sealed: World) -> None:
    world = sealed
    git(world.office, "config", "--unset", "user.signingkey")
    world.sync(world.office, "2019-05-25", OFFICE)
    with pytest.raises(DubanError, match="signs its seals"):
        world.seal("2019-05-25", "2019-05-25")
    git(world.office, "config", "user.signingkey", str(world.unit_key))  # a key the file does not name
    with pytest.raises(DubanError, match="not kept"):
        world.seal("2019-05-25", "2019-05-25")
    assert git(world.office, "tag", "-l", f"duban/seal/{PLAN}/2019-05-25").strip() == ""


@pytest.mark.slow
def test_sync_and_verify_through_the_cli(sealed: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world = sealed
    _unsigned_tag(world, world.unit)
    git(world.unit, "push", "-q", "-f", "origin", f"refs/tags/{TAG}")
    env = {**OFFICE, "GIT_COMMITTER_DATE": "2019-04-29T10:00:00+08:00", "GIT_AUTHOR_DATE": "2019-04-29T10:00:00+08:00"}
    import os
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "duban", "sync"],
        cwd=world.office,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert run.returncode == 0, run.stderr
    assert "warning" in run.stderr and TAG in run.stderr
    assert "put the office's seal" in run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "duban", "verify"],
        cwd=world.unit,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert run.returncode == 1 and TAG in run.stdout and "the tag was replaced" in run.stdout
