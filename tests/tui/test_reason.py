"""The office records on a unit's behalf only with the paper or form it came from (the guard's rule,
duban.guard.access.reason_needed): the round and the progress form ask for the reason and put it in
the commit's `Reason:` trailer, as `duban progress --reason` does; a unit recording its own does not
see the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from duban.tui import make_app
from tests.support import git
from tests.tui.round_support import AS_OF, PLAN, copy_repo, new_reports, reported_repo
from tests.tui.support import settle, text_of
from tests.tui.waiting import finished

SIZE = (120, 36)
ACCESS = """\
accounts:
  duchake: {role: office, name: 督查科}
  fgw-zhao: {role: unit, unit: 发改委}
  jrb-wang: {role: unit, unit: 金融办}
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = reported_repo(tmp_path_factory.mktemp("reason") / "repo")
    (repo / "access.yaml").write_text(ACCESS, "utf-8")
    git(repo, "add", "access.yaml")
    git(repo, "commit", "-q", "-m", "access")
    return repo


def clone_as(template: Path, where: Path, my_unit: str, account: str | None) -> Path:
    repo = copy_repo(template, where, my_unit)
    if account:
        git(repo, "config", "duban.account", account)
    return repo


async def test_the_round_asks_the_office_for_the_reason_and_commits_it(template: Path, tmp_path: Path) -> None:
    repo = clone_as(template, tmp_path / "repo", "发改委", "duchake")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "zh", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        round_ = app.screen
        assert type(round_).__name__ == "RoundScreen" and round_.query("#round-reason")
        row = next(row for row in round_.shown() if row.state.task.id == "1")
        row.text("percent").value = "30"
        row.text("note").value = "配合召开联席会议"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        said = text_of(round_.query_one("#round-status"))
        assert "发改委" in said and "原因" in said, said  # nothing recorded without the paper it came from
        assert git(repo, "rev-parse", "HEAD").strip() == head
        assert app.focused is round_.query_one("#round-reason")
        await pilot.press(*"6月纸质报表")
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert "1" in text_of(round_.query_one("#round-status"))
    [commit] = new_reports(repo, head)
    assert (commit["Reported-by"], commit["Percent"], commit["Reason"]) == ("发改委", "30", "6月纸质报表")


async def test_a_unit_doing_its_own_round_is_not_asked(template: Path, tmp_path: Path) -> None:
    repo = clone_as(template, tmp_path / "repo", "发改委", "fgw-zhao")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        round_ = app.screen
        assert not round_.query("#round-reason")
        row = next(row for row in round_.shown() if row.state.task.id == "1")
        row.text("note").value = "配合推进"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
    [commit] = new_reports(repo, head)
    assert commit["Reported-by"] == "发改委" and "Reason" not in commit


async def test_the_progress_form_asks_for_the_reason_for_another_unit(template: Path, tmp_path: Path) -> None:
    """No account set: the form knows only my unit; recording for another unit (which only the
    office may do) shows the reason, and the commit carries it."""
    repo = clone_as(template, tmp_path / "repo", "发改委", None)
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        form = app.screen
        reason = form.query_one("#reason", Input)
        assert form.query_one("#unit", Input).value == "发改委" and not reason.display  # its own: not asked
        form.query_one("#unit", Input).value = "金融办"
        await pilot.pause()
        assert reason.display and form.query_one("#reason-label").display
        form.query_one("#percent", Input).value = "60"
        form.query_one("#note", Input).value = "据金融办6月报表"
        await pilot.press("ctrl+s")
        await finished(app, pilot)
        assert type(app.screen).__name__ == "ProgressForm" and "reason" in text_of(form.query_one("#error"))
        assert app.focused is reason and git(repo, "rev-parse", "HEAD").strip() == head
        await pilot.press(*"金融办6月纸质报表", "enter")  # Enter on the last field saves
        await finished(app, pilot)
        assert type(app.screen).__name__ == "MainScreen"
    [commit] = new_reports(repo, head)
    assert (commit["Reported-by"], commit["Percent"], commit["Reason"]) == ("金融办", "60", "金融办6月纸质报表")


async def test_enter_passes_over_the_hidden_reason_and_saves_on_the_note(template: Path, tmp_path: Path) -> None:
    repo = clone_as(template, tmp_path / "repo", "发改委", "fgw-zhao")
    head = git(repo, "rev-parse", "HEAD").strip()
    app = make_app(repo, PLAN, "en", AS_OF)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        form = app.screen
        assert not form.query_one("#reason", Input).display
        form.query_one("#note", Input).focus()
        await pilot.press(*"配合", "enter")
        await finished(app, pilot)
        assert type(app.screen).__name__ == "MainScreen"
    [commit] = new_reports(repo, head)
    assert commit["Reported-by"] == "发改委" and "Reason" not in commit
