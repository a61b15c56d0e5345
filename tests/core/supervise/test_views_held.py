"""The views a document of many days shares (selection.views_held), the scores worked out from
them, and each deadline's on-time steps: the same figures as the core gives one at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from duban.store.repository import Repository
from duban.supervise import deadlines, lights
from duban.supervise.scoring import score
from duban.supervise.selection import select, views_held
from tests.office_fixtures import make_clerk_repo

PLAN = "2019-changning"


@pytest.fixture(scope="module")
def clerk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clerk_repo(tmp_path_factory.mktemp("held") / "repo")


def _figures(scores) -> list[tuple]:
    return [
        (u.unit, u.score, u.met, u.due, u.rank, sorted((p.rule, p.task.ref, p.day, p.points) for p in u.points))
        for u in scores.units
    ]


def test_a_held_view_is_read_once_and_scores_as_a_fresh_one(clerk: Path) -> None:
    repo = Repository(clerk)
    plan = repo.plan(PLAN)
    days = deadlines.period_days(plan, dt.date(2019, 6, 30))
    assert len(days) >= 5
    alone = [_figures(score(Repository(clerk), PLAN, day)) for day in days]
    with views_held(repo):
        first = select(repo, [PLAN], days[-1])
        assert select(repo, [PLAN], days[-1]) is first and select(repo, (PLAN,), days[-1].isoformat()) is first
        assert select(repo, [PLAN], days[-2]) is not first
        assert select(Repository(clerk), [PLAN], days[-1]) is not first  # another repository's are its own
        held = [_figures(score(repo, PLAN, day, final=select(repo, [PLAN], day))) for day in days]
        again = [_figures(score(repo, PLAN, day)) for day in days]  # the points of each day from the memo
    assert held == alone == again
    assert any(points for figures in alone for *_rest, points in figures)  # points were given: a real check
    assert select(repo, [PLAN], days[-1]) is not first  # the block closed: fresh views again
    assert select(repo, [PLAN]) is not select(repo, [PLAN])  # today's files are never held


def test_the_on_time_steps_add_up_to_the_record_at_each_deadline(clerk: Path) -> None:
    repo = Repository(clerk)
    plan = repo.plan(PLAN)
    end = dt.date(2019, 6, 30)
    view = select(repo, [PLAN], end)
    checked = 0
    for task in view.tasks:
        lead = view.lead(task)
        for unit in (None, *lead):
            steps = lights.on_time_steps(task, plan, end, view.sealed(task), unit, lead)
            assert [day for day, _m, _d in steps] == deadlines.days(plan, end)
            for at, (day, _met, _due) in enumerate(steps):
                upto = steps[: at + 1]
                assert lights.on_time_record(task, plan, day, view.sealed(task), unit, lead) == (
                    sum(m for _d, m, _o in upto),
                    sum(o for _d, _m, o in upto),
                )
                checked += 1
    assert checked > 100
    assert any(met for task in view.tasks for _d, met, _o in lights.on_time_steps(task, plan, end))


def _circular_figures(c) -> tuple:
    return (
        c.issue,
        c.counts,
        c.previous,
        [(e.ref, e.unit, e.report_date, e.sha) for e in c.entered_late],
        {u: [t.ref for t in ts] for u, ts in c.late.items()},
        {u: [t.ref for t in ts] for u, ts in c.lagging.items()},
        _figures(c.scores),
        [t.ref for t in c.completed],
    )


def test_circulars_and_stories_made_in_one_block_are_those_made_alone(clerk: Path) -> None:
    from duban.site.story import stories
    from duban.supervise.circular.building import build

    months = ["2019-03", "2019-04", "2019-05", "2019-06"]
    alone = [_circular_figures(build(Repository(clerk), month, PLAN)) for month in months]
    told = stories(Repository(clerk), PLAN)
    repo = Repository(clerk)
    with views_held(repo):
        together = [_circular_figures(build(repo, month, PLAN)) for month in months]
        _forget_stories(repo)  # told again from the history, its files parsed once in the block
        assert stories(repo, PLAN) == told
    assert together == alone
    assert any(figures[4] and figures[5] for figures in alone) and sum(len(v) for v in told.values()) > 60


def _forget_stories(repo: Repository) -> None:
    from duban.site.story import _KeptStories

    kept = _KeptStories(repo, PLAN).path
    assert kept is not None and kept.exists()
    kept.unlink()


def test_a_story_is_told_once_and_a_rebuild_tells_only_the_new_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from duban.record.recording import record_progress
    from duban.site import story
    from tests.office_fixtures import at
    from tests.support import GIT_ENV

    root = make_clerk_repo(tmp_path / "repo")
    first = story.stories(Repository(root), PLAN)
    told: list[int] = []
    real = story._tell
    monkeypatch.setattr(
        story, "_tell", lambda repo, plan_id, commits: told.append(len(commits)) or real(repo, plan_id, commits)
    )
    assert story.stories(Repository(root), PLAN) == first and told == []  # all kept
    with monkeypatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-29")}.items():
            patch.setenv(key, value)
        record_progress(
            Repository(root),
            f"{PLAN}/41",
            70,
            note="又一个报送",
            by="公安分局",
            date="2019-06-29",
            today=dt.date(2019, 6, 29),
        )
    after = story.stories(Repository(root), PLAN)
    assert told == [1]  # the one new commit
    assert any(line.startswith("new report: 2019-06-29 公安分局 70%") for line in after["41"][-1].lines)
    _forget_stories(Repository(root))
    assert story.stories(Repository(root), PLAN) == after  # as told from the whole history
    assert len(told) == 2 and told[1] > 10  # every commit told again
