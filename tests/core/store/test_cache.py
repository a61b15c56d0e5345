"""The parse cache never serves a stale task: edits with equal size and mtime, checkout, rebase,
a corrupt cache file, another version's cache."""

from __future__ import annotations

import os
from pathlib import Path

from duban.store.cache.parse_cache import ParseCache
from duban.store.repository import Repository
from duban.validate.validation import validate
from tests.core.store.support import _counting_reads, _past_clock, _same_size_edit
from tests.support import git

TASK = "plans/2019-changning/tasks/2.yaml"


def cache_file(repo: Path, plan: str = "2019-changning") -> Path:
    return repo / f".git/duban-cache/tasks-{plan}.marshal"


def entries(repo: Path) -> dict:
    """Every plan's parsed documents in the cache."""
    cache = ParseCache(repo)
    found: dict = {}
    for plan in ("2008-baoshan", "2019-changning"):
        found.update(cache.slot(plan).entries)
    return found


def titles(repo: Path) -> dict[str, str]:
    return {t.ref: t.title for t in Repository(repo).load_tasks("2019-changning").tasks}


def test_cache_is_written_and_used(git_repo: Path) -> None:
    assert validate(root=git_repo).problems == []
    assert cache_file(git_repo).exists()
    assert len(entries(git_repo)) == 7
    assert validate(root=git_repo).problems == []  # warm run, same answer


def test_same_size_same_mtime_edit_is_seen(git_repo: Path) -> None:
    validate(root=git_repo)
    path = git_repo / TASK
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("area: 经济发展", "area: 经济建设")  # same length in bytes
    assert len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # a coarse clock, or clock skew
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size
    assert [p.rule for p in validate(root=git_repo).problems] == ["unknown-area"]
    assert titles(git_repo)["2019-changning/2"] == "招留增工作"


def test_checkout_and_rebase_are_seen(git_repo: Path) -> None:
    titles(git_repo)  # fill the cache on main
    git(git_repo, "switch", "-q", "-c", "other")
    path = git_repo / TASK
    path.write_text(path.read_text(encoding="utf-8").replace("title: 招留增工作", "title: 招商留商"), encoding="utf-8")
    git(git_repo, "commit", "-q", "-am", "retitle on a branch")
    assert titles(git_repo)["2019-changning/2"] == "招商留商"
    git(git_repo, "switch", "-q", "main")
    assert titles(git_repo)["2019-changning/2"] == "招留增工作"
    other = git_repo / "plans/2019-changning/tasks/1.yaml"
    other.write_text(
        other.read_text(encoding="utf-8").replace("status: not_started", "status: delayed"), encoding="utf-8"
    )
    git(git_repo, "commit", "-q", "-am", "main moves on")
    git(git_repo, "switch", "-q", "other")
    git(git_repo, "rebase", "-q", "main")
    tasks = {t.ref: t for t in Repository(git_repo).load_tasks("2019-changning").tasks}
    assert tasks["2019-changning/2"].title == "招商留商" and tasks["2019-changning/1"].status == "delayed"


def test_corrupt_or_foreign_cache_is_rebuilt(git_repo: Path) -> None:
    validate(root=git_repo)
    for plan in ("2008-baoshan", "2019-changning"):
        cache_file(git_repo, plan).write_bytes(b"\x00not a cache\xff")
    (git_repo / ".git/duban-cache/clean-plans").unlink()  # else the plans are known clean: no parsing at all
    assert validate(root=git_repo).problems == []
    assert len(entries(git_repo)) == 7
    import marshal

    cache_file(git_repo).write_bytes(marshal.dumps({"tag": b"another version", "entries": {b"k": {"id": 1}}}))
    assert ParseCache(git_repo).slot("2019-changning").entries == {}


def test_invalid_files_are_never_cached(git_repo: Path) -> None:
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: not_started", "status: finished"), encoding="utf-8"
    )
    assert [p.rule for p in validate(root=git_repo).problems] == ["schema.enum"]
    assert [p.rule for p in validate(root=git_repo).problems] == ["schema.enum"]
    documents = [v for v in entries(git_repo).values() if isinstance(v, dict)]
    assert len(documents) == 6 and all(d.get("status") != "finished" for d in documents)


def test_no_git_folder_no_cache(sample_repo: Path) -> None:
    assert validate(root=sample_repo).problems == []
    assert not (sample_repo / ".git").exists()
    assert ParseCache(sample_repo).path is None


def test_entries_for_other_dates_are_kept_within_a_bound(git_repo: Path) -> None:
    from duban.record.history import tasks_as_of
    from duban.record.recording import record_progress

    titles(git_repo)
    record_progress(Repository(git_repo), "2019-changning/2", 10, date="2019-03-25")
    titles(git_repo)  # the snapshot is patched for task 2: its new version is parsed, not kept
    (git_repo / ".git/duban-cache/plan-2019-changning.snapshot").unlink()
    titles(git_repo)  # every task built: the new version joins the cache
    old = len(entries(git_repo))
    tasks_as_of(Repository(git_repo), "2019-changning", "2099-01-01")
    assert len(entries(git_repo)) == old  # nothing new: nothing rewritten or evicted
    assert old == 3  # tasks 1 and 2 now, and task 2 before the report


def test_a_plan_change_rechecks_cached_tasks(git_repo: Path) -> None:
    assert validate(root=git_repo).problems == []
    assert validate(root=git_repo).problems == []  # the checks against the plan come from the cache
    plan = git_repo / "plans/2019-changning/plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("  - name: 金融办\n    kind: department\n", ""), encoding="utf-8"
    )
    problems = validate(root=git_repo).problems
    assert {p.path.split("/")[-1] for p in problems if p.rule == "unknown-unit"} == {"1.yaml", "2.yaml"}


# -- whole-plan verdicts: an unchanged plan that was clean is not checked again ---------------


def verdicts(repo: Path) -> Path:
    return repo / ".git/duban-cache/clean-plans"


def test_a_clean_plan_is_remembered_and_the_warm_run_skips_the_parse_cache(git_repo: Path) -> None:
    first = validate(root=git_repo)
    assert (
        first.problems == [] and verdicts(git_repo).stat().st_size == 16 + 2 * 16 + 24
    )  # tag + two plans + the digest
    cache_file(git_repo).write_bytes(b"\x00not a cache\xff")  # the warm run does not even read it
    again = validate(root=git_repo)
    assert again.problems == [] and again.files_checked == first.files_checked == 9
    assert cache_file(git_repo).read_bytes() == b"\x00not a cache\xff"


def test_renaming_or_removing_a_file_is_seen(git_repo: Path) -> None:
    validate(root=git_repo)
    tasks = git_repo / "plans/2008-baoshan/tasks"
    (tasks / "1-4.yaml").rename(tasks / "1-5.yaml")  # same bytes, another name
    assert [p.rule for p in validate(root=git_repo).problems] == ["id-matches-file"]
    (tasks / "1-5.yaml").rename(tasks / "1-4.yaml")
    assert validate(root=git_repo).problems == []
    (tasks / "1.yaml").unlink()  # the parent of four others
    assert [p.rule for p in validate(root=git_repo).problems] == ["unknown-parent"] * 4


def test_same_size_same_mtime_edit_after_a_clean_run_is_seen(git_repo: Path) -> None:
    assert validate(root=git_repo).problems == []
    assert validate(root=git_repo).problems == []  # from the verdict
    path = git_repo / TASK
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("area: 经济发展", "area: 经济建设"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert [p.rule for p in validate(root=git_repo).problems] == ["unknown-area"]


def test_warnings_are_reported_every_time(git_repo: Path) -> None:
    import shutil

    from tests.support import DATA

    shutil.copy(DATA / "invalid/no-unit.yaml", git_repo / "plans/2019-changning/tasks")
    assert [p.rule for p in validate(root=git_repo).problems] == ["no-unit"]
    assert [p.rule for p in validate(root=git_repo).problems] == ["no-unit"]


def test_verdicts_of_another_version_or_a_corrupt_file_are_ignored(git_repo: Path) -> None:
    validate(root=git_repo)
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: not_started", "status: finished"), encoding="utf-8"
    )
    for junk in (b"another version's tag" + os.urandom(64), b"\xff" * 7, b""):
        verdicts(git_repo).write_bytes(junk)
        assert [p.rule for p in validate(root=git_repo).problems] == ["schema.enum"]


# -- plan snapshots: the tasks of an unchanged plan, built without parsing --------------------


def snapshot_file(repo: Path) -> Path:
    return repo / ".git/duban-cache/plan-2019-changning.snapshot"


def test_snapshot_is_used_and_never_stale(git_repo: Path) -> None:
    first = titles(git_repo)
    assert snapshot_file(git_repo).exists()
    cache_file(git_repo).write_bytes(b"")  # a snapshot hit needs no parse cache
    assert titles(git_repo) == first
    path = git_repo / TASK
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 招留增工作", "title: 招商安商"), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert titles(git_repo)["2019-changning/2"] == "招商安商"
    path.write_text(text, encoding="utf-8")
    assert titles(git_repo) == first


def test_snapshot_follows_renames_and_keeps_the_natural_order(git_repo: Path) -> None:
    tasks = git_repo / "plans/2019-changning/tasks"
    for number in (10, 9):
        (tasks / f"{number}.yaml").write_text(
            (tasks / "2.yaml").read_text(encoding="utf-8").replace("id: 2", f"id: {number}"), encoding="utf-8"
        )
    refs = [t.ref for t in Repository(git_repo).load_tasks("2019-changning").tasks]
    assert refs == ["2019-changning/1", "2019-changning/2", "2019-changning/9", "2019-changning/10"]
    assert [t.ref for t in Repository(git_repo).load_tasks("2019-changning").tasks] == refs  # from the snapshot
    (tasks / "10.yaml").rename(tasks / "11.yaml")  # same bytes, another name: the file's id is now wrong
    loaded = Repository(git_repo).load_tasks("2019-changning")
    assert [t.path.name for t in loaded.tasks] == ["1.yaml", "2.yaml", "9.yaml", "11.yaml"]


def test_a_corrupt_snapshot_is_ignored(git_repo: Path) -> None:
    from duban.store.snapshot import SnapshotFile

    first = titles(git_repo)
    real = snapshot_file(git_repo).read_bytes()
    for junk in (
        b"",
        b"\x00junk",
        real[:7],
        real[:20],
        real[: len(real) // 2],
        real[:-1],
        real + b"more",
        real.replace(b"DUBANSN3", b"DUBANSN2", 1),
    ):
        snapshot_file(git_repo).write_bytes(junk)
        assert titles(git_repo) == first
        assert SnapshotFile(snapshot_file(git_repo)).count == len(first)  # and written again whole


def test_a_change_to_duban_code_starts_the_caches_afresh(git_repo: Path, tmp_path: Path, monkeypatch) -> None:
    """A verdict must not outlive the checks that gave it, even without a new version number."""
    from duban.store.cache import tag

    module = tmp_path / "duban_fake_checks.py"
    module.write_text("# the checks, version 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(tag, "CODE_MODULES", ("duban_fake_checks",))
    before = tag.cache_tag()
    assert tag.cache_tag() == before
    module.write_text("# the checks, version 2\n", encoding="utf-8")
    assert tag.cache_tag() != before


# -- file states: a file is read only when its stat fields changed since it was last read ------


def test_a_warm_run_reads_no_unchanged_task_file(git_repo: Path, monkeypatch) -> None:
    _past_clock(monkeypatch)
    first = titles(git_repo)
    assert validate(root=git_repo).problems == []
    read = _counting_reads(monkeypatch)
    assert titles(git_repo) == first and validate(root=git_repo).problems == []
    assert [name for name in read if name != "plan.yaml"] == []
    _same_size_edit(git_repo / TASK, "title: 招留增工作", "title: 招商安商稳")
    assert titles(git_repo)["2019-changning/2"] == "招商安商稳"
    assert [name for name in read if name != "plan.yaml"] == ["2.yaml"]  # that file only


def test_a_file_changed_within_the_clock_tick_is_read_again(git_repo: Path, monkeypatch) -> None:
    """A coarse clock: the file's ctime is not older than the clock read before it was read,
    so an edit in the same tick could leave every stat field equal. No record is kept for it."""
    from duban.store.cache import file_states

    path = git_repo / TASK
    monkeypatch.setattr(file_states, "file_system_clock", lambda folder: path.stat().st_ctime_ns)
    titles(git_repo)
    states = Repository(git_repo).parse_cache().file_states(git_repo / "plans/2019-changning/tasks")
    assert "2.yaml" not in states.records
    read = _counting_reads(monkeypatch)
    titles(git_repo)
    assert "2.yaml" in read


def test_a_file_changed_while_duban_reads_it_is_seen_next_time(git_repo: Path, monkeypatch) -> None:
    """Another process writes the file (same size, mtime put back) right after duban read it:
    the record duban keeps is of the stat before the edit, so the next run reads it again."""
    from duban.store import files, repository

    _past_clock(monkeypatch)
    path = git_repo / TASK
    edited = []

    def read_then_edit(name: str) -> bytes:
        data = files.read_bytes(name)
        if name == str(path) and not edited:
            edited.append(name)
            _same_size_edit(path, "title: 招留增工作", "title: 招商安商稳")
        return data

    monkeypatch.setattr(repository, "read_bytes", read_then_edit)
    assert titles(git_repo)["2019-changning/2"] == "招留增工作"  # what was there when it was read
    assert edited
    assert titles(git_repo)["2019-changning/2"] == "招商安商稳"


def test_a_file_changed_while_validate_runs_is_checked_next_time(git_repo: Path, monkeypatch) -> None:
    from duban.store import files
    from duban.validate import validation

    _past_clock(monkeypatch)
    assert validate(root=git_repo).problems == []
    path = git_repo / TASK
    _same_size_edit(path, "status: not_started", "status: finished!!!")  # invalid, same size
    _same_size_edit(path, "status: finished!!!", "status: not_started")  # and back: a new ctime
    edited = []

    def read_then_edit(name: str) -> bytes:
        data = files.read_bytes(name)
        if name == str(path) and not edited:
            edited.append(name)
            _same_size_edit(path, "status: not_started", "status: finished!!!")
        return data

    monkeypatch.setattr(validation, "read_bytes", read_then_edit)
    validate(root=git_repo)  # checks the bytes it read, or the edit; either way not a stale verdict
    assert edited
    assert [p.rule for p in validate(root=git_repo).problems] == ["schema.enum"]


def test_amend_staged_untracked_and_deleted_files_are_seen(git_repo: Path, monkeypatch) -> None:
    _past_clock(monkeypatch)
    assert validate(root=git_repo).problems == []
    titles(git_repo)
    path = git_repo / TASK
    # Edits git sees too: git, as built here, compares ctimes to the second only, and misses a
    # same-size edit within the second that puts the mtime back (duban does not: see above).
    path.write_text(path.read_text(encoding="utf-8").replace("title: 招留增工作", "title: 招商"), encoding="utf-8")
    git(git_repo, "add", TASK)  # staged, not committed
    assert titles(git_repo)["2019-changning/2"] == "招商"
    git(git_repo, "commit", "-q", "-m", "retitle")
    path.write_text(path.read_text(encoding="utf-8").replace("title: 招商", "title: 招商引资"), encoding="utf-8")
    git(git_repo, "commit", "-q", "--amend", "-am", "retitle, amended")
    assert titles(git_repo)["2019-changning/2"] == "招商引资"
    git(git_repo, "reset", "-q", "--hard", "HEAD~1")  # back before the amended commit
    assert titles(git_repo)["2019-changning/2"] == "招留增工作"
    untracked = path.with_name("3.yaml")
    untracked.write_text(path.read_text(encoding="utf-8").replace("id: 2", "id: 3"), encoding="utf-8")
    assert "2019-changning/3" in titles(git_repo)
    assert validate(root=git_repo).problems == []
    untracked.write_text(
        untracked.read_text(encoding="utf-8").replace("area: 经济发展", "area: 经济建设"), encoding="utf-8"
    )
    assert [p.rule for p in validate(root=git_repo).problems] == ["unknown-area"]
    untracked.unlink()
    assert "2019-changning/3" not in titles(git_repo)
    assert validate(root=git_repo).problems == []
    path.unlink()  # a tracked file deleted
    assert "2019-changning/2" not in titles(git_repo)


def test_a_same_size_plan_change_after_a_clean_run_is_checked(git_repo: Path, monkeypatch) -> None:
    _past_clock(monkeypatch)
    assert validate(root=git_repo).problems == []
    assert validate(root=git_repo).problems == []  # from the verdict
    plan = git_repo / "plans/2019-changning/plan.yaml"
    _same_size_edit(plan, "name: 经济发展", "name: 经济建设")
    assert "unknown-area" in {p.rule for p in validate(root=git_repo).problems}


def test_file_states_of_another_version_or_corrupt_are_ignored(git_repo: Path, monkeypatch) -> None:
    import marshal

    _past_clock(monkeypatch)
    first = titles(git_repo)
    states = git_repo / ".git/duban-cache/files-2019-changning.marshal"
    tag, folder, key, tail, listing_stat, complete, count, body = marshal.loads(states.read_bytes())
    records, entries, names = marshal.loads(body)
    assert set(records) == {"1.yaml", "2.yaml"} and count == 2
    (git_repo / ".git/duban-cache/plan-2019-changning.snapshot").unlink()
    wrong = {name: b"\0" * len(record) for name, record in records.items()}  # vouches for nothing

    def packed(*body_parts, header=(tag, folder, key, tail, listing_stat, complete, count)) -> bytes:
        return marshal.dumps((*header, marshal.dumps(body_parts)))

    for junk in (
        b"\x00junk",
        packed(records, entries, names, header=(b"another version", folder, key, tail, listing_stat, complete, count)),
        packed(wrong, entries, names),
        marshal.dumps((tag, folder, records)),
        marshal.dumps((tag, folder, key, tail, listing_stat, complete, count, b"\x00junk")),
        packed(records, [], names),
        packed(records, entries, ["1.yaml"]),
        packed(records, entries),
        packed(records, entries, names, header=(tag, folder, key, tail, "stat", complete, count)),
        packed(records, entries, names, header=(tag, folder, b"another key", tail, listing_stat, True, 2)),
    ):
        states.write_bytes(junk)
        assert titles(git_repo) == first


def test_plan_documents_are_cached_by_their_bytes(git_repo: Path, monkeypatch) -> None:
    plan = git_repo / "plans/2019-changning/plan.yaml"
    assert Repository(git_repo).plan("2019-changning").area("经济发展") is not None
    _same_size_edit(plan, "name: 经济发展", "name: 经济建设")
    repo = Repository(git_repo)
    assert repo.plan("2019-changning").area("经济发展") is None
    assert repo.plan("2019-changning").area("经济建设") is not None
    plan.write_text(plan.read_text(encoding="utf-8").replace("year: 2019", "year: twenty"), encoding="utf-8")
    import pytest

    from duban.store.yamlio import YamlError

    with pytest.raises(YamlError):  # an invalid plan.yaml is never cached, nor served from the cache
        Repository(git_repo).plan("2019-changning")


def test_paths_built_from_a_snapshot_are_those_pathlib_gives(git_repo: Path) -> None:
    first = Repository(git_repo).load_tasks("2019-changning").tasks
    again = Repository(git_repo).load_tasks("2019-changning").tasks  # from the snapshot
    for built, parsed in zip(again, first):
        expected = git_repo / "plans/2019-changning/tasks" / parsed.path.name
        assert built.path == parsed.path == expected and hash(built.path) == hash(expected)
        assert str(built.path) == str(expected) and built.path.parts == expected.parts
        assert built.path.read_bytes() == expected.read_bytes()


def test_verdicts_of_many_plans_are_all_kept(git_repo: Path) -> None:
    """A repository of many plans (every county's): each clean plan keeps its verdict, so a
    warm run checks none of them again (32 were kept before: 18 of 50 plans were checked on
    every run)."""
    import shutil

    for number in range(40):
        shutil.copytree(git_repo / "plans/2019-changning", git_repo / f"plans/2019-county-{number:02d}")
        plan = git_repo / f"plans/2019-county-{number:02d}/plan.yaml"
        plan.write_text(
            plan.read_text(encoding="utf-8").replace("id: 2019-changning", f"id: 2019-county-{number:02d}"),
            encoding="utf-8",
        )
    assert validate(root=git_repo).problems == []
    assert verdicts(git_repo).stat().st_size == 16 + 42 * 16 + 24  # and the digest


def test_each_plan_keeps_its_own_parsed_documents(git_repo: Path) -> None:
    """Loading one plan writes (and later reads) that plan's documents only."""
    titles(git_repo)
    assert cache_file(git_repo).exists() and not cache_file(git_repo, "2008-baoshan").exists()
    assert len(ParseCache(git_repo).slot("2019-changning").entries) == 2
    Repository(git_repo).load_tasks("2008-baoshan")
    assert len(ParseCache(git_repo).slot("2008-baoshan").entries) == 5
    assert len(ParseCache(git_repo).slot("2019-changning").entries) == 2


def test_paths_of_an_as_of_snapshot_are_those_pathlib_gives(git_repo: Path) -> None:
    from duban.record.history import tasks_as_of

    first = tasks_as_of(Repository(git_repo), "2019-changning", "2099-01-01")
    again = tasks_as_of(Repository(git_repo), "2019-changning", "2099-01-01")  # from the snapshot
    assert (
        [t.path for t in again]
        == [t.path for t in first]
        == [git_repo / "plans/2019-changning/tasks" / name for name in ("1.yaml", "2.yaml")]
    )
    assert [str(t.path) for t in again] == [str(t.path) for t in first]
    assert {hash(t.path) for t in again} == {hash(t.path) for t in first}


def test_a_change_to_either_schema_starts_the_caches_afresh(monkeypatch) -> None:
    """plan.yaml documents are cached as having passed the plan schema: a new plan schema
    must not let an old verdict stand, any more than a new task schema."""
    from duban.store.cache import tag

    before = tag.cache_tag()
    real = tag.schema_bytes
    for changed in ("task.schema.json", "plan.schema.json"):
        monkeypatch.setattr(
            tag, "schema_bytes", lambda name, changed=changed: real(name) + (b" " if name == changed else b"")
        )
        assert tag.cache_tag() != before


def test_every_module_the_cache_tag_names_exists() -> None:
    """A module moved or renamed without updating the list must fail here, not weaken the tag."""
    import importlib.util

    from duban.store.cache import tag

    assert all(importlib.util.find_spec(name) is not None for name in tag.CODE_MODULES)
    tag.cache_tag()


# -- a snapshot patched for the few files that changed -------------------------------------------


def _rows(repo: Path) -> list[tuple]:
    return [(t.as_row(), t.path) for t in Repository(repo).load_tasks("2019-changning").tasks]


def _counting_builds(monkeypatch) -> list[str]:
    from duban.model import Task

    built: list[str] = []
    real = Task.from_document.__func__  # type: ignore[attr-defined]

    def counted(cls, doc, plan_id, path):
        built.append(path.name)
        return real(cls, doc, plan_id, path)

    monkeypatch.setattr(Task, "from_document", classmethod(counted))
    return built


def test_a_changed_file_patches_the_snapshot_as_a_full_build_would(git_repo: Path, tmp_path: Path, monkeypatch) -> None:
    import shutil

    _past_clock(monkeypatch)
    titles(git_repo)
    path = git_repo / TASK
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: 招留增工作", "title: 招商引资与稳商"), encoding="utf-8"
    )
    built = _counting_builds(monkeypatch)
    patched = _rows(git_repo)
    assert built == ["2.yaml"]  # the other task's row is the snapshot's
    fresh = tmp_path / "fresh"
    shutil.copytree(git_repo, fresh)
    shutil.rmtree(fresh / ".git/duban-cache")
    assert [(row, p.name) for row, p in patched] == [(row, p.name) for row, p in _rows(fresh)]
    assert dict(zip([p.name for _row, p in patched], [row[1] for row, _p in patched]))["2.yaml"] == "招商引资与稳商"
    built.clear()
    assert _rows(git_repo) == patched and built == []  # stored under the new state's key


def test_a_patch_keeps_no_row_of_a_file_changed_while_no_snapshot_was_stored(git_repo: Path, monkeypatch) -> None:
    """One run stores the snapshot; the next changes 1.yaml and finds 2.yaml broken (no snapshot
    stored, 1.yaml's record updated); 2.yaml is put back. Patching the first snapshot for the
    file read last (2.yaml) only would keep 1.yaml's old row: rows are kept by digest."""
    _past_clock(monkeypatch)
    titles(git_repo)
    first, second = git_repo / "plans/2019-changning/tasks/1.yaml", git_repo / TASK
    first.write_text(first.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
    good = second.read_bytes()
    second.write_text("id: [\n", encoding="utf-8")
    loaded = Repository(git_repo).load_tasks("2019-changning")
    assert [p.path for p in loaded.problems] == [TASK]
    second.write_bytes(good)
    assert titles(git_repo)["2019-changning/1"].startswith("新")
