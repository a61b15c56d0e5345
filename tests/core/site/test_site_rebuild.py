"""Rebuilding the site (duban.site.fingerprint, site.output): a build that would read what the
last one read works out no figure and leaves every page; anything it reads that changes (a
report, a file edited and not committed, the as-of day, the language, duban's code, a page
taken from the folder) builds again, and the pages are then byte for byte those of a build
into an empty folder."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import duban
from duban.site.output import Written
from duban.store.repository import Repository
from tests.office_fixtures import at, make_clerk_repo
from tests.support import GIT_ENV

PLAN = "2019-changning"
DAY = dt.date(2019, 6, 30)


def make(root: Path, folder: Path, day: dt.date = DAY, language: str = "zh") -> Written:
    from duban.i18n import language as interface_language
    from duban.i18n import set_language
    from duban.site import build

    before = interface_language()
    set_language(language)
    try:
        return build(Repository(root), folder, [PLAN], day, language)
    finally:
        set_language(before)


def pages(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def same_as_a_first_build(root: Path, folder: Path, tmp_path: Path, day: dt.date = DAY, language: str = "zh") -> None:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    make(root, fresh, day, language)
    built, expected = pages(folder), pages(fresh)
    assert sorted(built) == sorted(expected)
    for name in expected:
        if name != ".duban-site":  # the manifest holds each file's time
            assert built[name] == expected[name], name


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The clerk's repository (a month of reports, no seal) and its site as of 30 June."""
    root = make_clerk_repo(tmp_path_factory.mktemp("rebuild") / "repo")
    site = root.parent / "site"
    make(root, site)
    return root, site


@pytest.fixture
def copies(office: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    root, site = office
    shutil.copytree(root, tmp_path / "repo", symlinks=True)
    shutil.copytree(site, tmp_path / "site")
    return tmp_path / "repo", tmp_path / "site"


@pytest.fixture
def gathered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plans whose figures a build works out."""
    import duban.site.figures

    asked: list[str] = []
    real = duban.site.figures.gather

    def counting(repo, plan_id, as_of, progress):  # type: ignore[no-untyped-def]
        asked.append(plan_id)
        return real(repo, plan_id, as_of, progress)

    monkeypatch.setattr(duban.site.figures, "gather", counting)
    return asked


@pytest.mark.slow  # a site build
def test_a_build_with_nothing_changed_works_out_no_figure(copies: tuple[Path, Path], gathered: list[str]) -> None:
    root, site = copies
    before = pages(site)
    result = make(root, site)
    assert gathered == []
    assert result.written == [] and result.removed == []
    assert sorted(result.unchanged) == sorted(name for name in before if name != ".duban-site")
    assert pages(site) == before


@pytest.mark.slow  # two site builds
def test_a_rebuild_after_one_report_is_byte_for_byte_a_build_into_an_empty_folder(
    copies: tuple[Path, Path], gathered: list[str], tmp_path: Path
) -> None:
    from duban.record.recording import record_progress

    root, site = copies
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-29")}.items():
            patch.setenv(key, value)
        record_progress(
            Repository(root), f"{PLAN}/41", 60, note="又一个报送", by="公安分局", date="2019-06-29", today=DAY
        )
    result = make(root, site)
    assert gathered == [PLAN]
    assert f"{PLAN}/tasks/41.html" in result.written and f"{PLAN}/tasks/40.html" in result.unchanged
    same_as_a_first_build(root, site, tmp_path)


@pytest.mark.slow  # four site builds
def test_another_as_of_day_or_language_changes_the_pages(
    copies: tuple[Path, Path], gathered: list[str], tmp_path: Path
) -> None:
    root, site = copies
    first = pages(site)
    earlier = make(root, site, dt.date(2019, 5, 31))
    assert gathered == [PLAN] and f"{PLAN}/index.html" in earlier.written
    assert pages(site)[f"{PLAN}/index.html"] != first[f"{PLAN}/index.html"]
    same_as_a_first_build(root, site, tmp_path, dt.date(2019, 5, 31))
    gathered.clear()
    english = make(root, site, dt.date(2019, 5, 31), "en")
    assert gathered == [PLAN] and f"{PLAN}/index.html" in english.written
    assert b'lang="en"' in (site / PLAN / "index.html").read_bytes()
    make(root, site)  # back to the first day and language: the first build's pages
    assert {k: v for k, v in pages(site).items() if k != ".duban-site"} == {
        k: v for k, v in first.items() if k != ".duban-site"
    }


@pytest.mark.slow  # site builds
def test_an_edit_not_committed_a_page_taken_away_or_other_code_builds_again(
    copies: tuple[Path, Path], gathered: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, site = copies
    task_file = root / "plans" / PLAN / "tasks" / "41.yaml"
    task_file.write_text(task_file.read_text(encoding="utf-8").replace("title: ", "title: 改过的", 1), encoding="utf-8")
    make(root, site)
    assert gathered == [PLAN]  # the site of a past day reads the history, but the files are read too
    same_as_a_first_build(root, site, tmp_path)
    gathered.clear()
    make(root, site)
    assert gathered == []  # the same again: nothing worked out

    (site / PLAN / "tasks" / "40.html").unlink()
    result = make(root, site)
    assert gathered == [PLAN] and result.written == [f"{PLAN}/tasks/40.html"]

    monkeypatch.setattr(duban, "__version__", duban.__version__ + ".1")
    make(root, site)
    assert gathered == [PLAN, PLAN]


def test_a_plan_with_seals_is_never_taken_as_unchanged(copies: tuple[Path, Path]) -> None:
    from duban.site.fingerprint import fingerprint
    from duban.supervise.seals.making import seal

    root, site = copies
    read = fingerprint(Repository(root), {PLAN: DAY}, "zh", site)
    assert read is not None and read == fingerprint(Repository(root), {PLAN: DAY}, "zh", site)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-30")}.items():
            patch.setenv(key, value)
        seal(Repository(root), PLAN, dt.date(2019, 6, 25), today=DAY, late=True, fetch=False)
    assert fingerprint(Repository(root), {PLAN: DAY}, "zh", site) is None
