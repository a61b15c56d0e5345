"""The parse cache never serves a stale task: edits with equal size and mtime, checkout, rebase,
a corrupt cache file, another version's cache."""
from __future__ import annotations

import os
from pathlib import Path

from duban.cache import ParseCache
from duban.repository import Repository
from duban.validation import validate
from tests.conftest import git

TASK = "plans/2019-changning/tasks/2.yaml"


def cache_file(repo: Path) -> Path:
    return repo / ".git/duban-cache/tasks.marshal"


def titles(repo: Path) -> dict[str, str]:
    return {t.ref: t.title for t in Repository(repo).load_tasks("2019-changning").tasks}


def test_cache_is_written_and_used(git_repo: Path) -> None:
    assert validate(root=git_repo).problems == []
    assert cache_file(git_repo).exists()
    assert len(ParseCache(git_repo).entries) == 7
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
    other.write_text(other.read_text(encoding="utf-8").replace("status: not_started", "status: delayed"), encoding="utf-8")
    git(git_repo, "commit", "-q", "-am", "main moves on")
    git(git_repo, "switch", "-q", "other")
    git(git_repo, "rebase", "-q", "main")
    tasks = {t.ref: t for t in Repository(git_repo).load_tasks("2019-changning").tasks}
    assert tasks["2019-changning/2"].title == "招商留商" and tasks["2019-changning/1"].status == "delayed"


def test_corrupt_or_foreign_cache_is_rebuilt(git_repo: Path) -> None:
    validate(root=git_repo)
    cache_file(git_repo).write_bytes(b"\x00not a cache\xff")
    (git_repo / ".git/duban-cache/clean-plans").unlink()  # else the plans are known clean: no parsing at all
    assert validate(root=git_repo).problems == []
    assert len(ParseCache(git_repo).entries) == 7
    import marshal

    cache_file(git_repo).write_bytes(marshal.dumps({"tag": b"another version", "entries": {b"k": {"id": 1}}}))
    assert ParseCache(git_repo).entries == {}


def test_invalid_files_are_never_cached(git_repo: Path) -> None:
    path = git_repo / TASK
    path.write_text(path.read_text(encoding="utf-8").replace("status: not_started", "status: finished"), encoding="utf-8")
    assert [p.rule for p in validate(root=git_repo).problems] == ["schema.enum"]
    assert [p.rule for p in validate(root=git_repo).problems] == ["schema.enum"]
    documents = [v for v in ParseCache(git_repo).entries.values() if isinstance(v, dict)]
    assert len(documents) == 6 and all(d.get("status") != "finished" for d in documents)


def test_no_git_folder_no_cache(sample_repo: Path) -> None:
    assert validate(root=sample_repo).problems == []
    assert not (sample_repo / ".git").exists()
    assert ParseCache(sample_repo).path is None


def test_entries_for_other_dates_are_kept_within_a_bound(git_repo: Path) -> None:
    from duban.history import tasks_as_of
    from duban.recording import record_progress

    titles(git_repo)
    record_progress(Repository(git_repo), "2019-changning/2", 10, date="2019-03-25")
    titles(git_repo)                                   # the new version of task 2 joins the cache
    old = len(ParseCache(git_repo).entries)
    tasks_as_of(Repository(git_repo), "2019-changning", "2099-01-01")
    assert len(ParseCache(git_repo).entries) == old    # nothing new: nothing rewritten or evicted
    assert old == 3                                    # tasks 1 and 2 now, and task 2 before the report


def test_a_plan_change_rechecks_cached_tasks(git_repo: Path) -> None:
    assert validate(root=git_repo).problems == []
    assert validate(root=git_repo).problems == []  # the checks against the plan come from the cache
    plan = git_repo / "plans/2019-changning/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  - name: 金融办\n    kind: department\n", ""),
                    encoding="utf-8")
    problems = validate(root=git_repo).problems
    assert {p.path.split("/")[-1] for p in problems if p.rule == "unknown-unit"} == {"1.yaml", "2.yaml"}


# -- whole-plan verdicts: an unchanged plan that was clean is not checked again ---------------

def verdicts(repo: Path) -> Path:
    return repo / ".git/duban-cache/clean-plans"


def test_a_clean_plan_is_remembered_and_the_warm_run_skips_the_parse_cache(git_repo: Path) -> None:
    first = validate(root=git_repo)
    assert first.problems == [] and verdicts(git_repo).stat().st_size == 16 + 2 * 16  # tag + two plans
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
    from tests.conftest import DATA

    import shutil

    shutil.copy(DATA / "invalid/no-unit.yaml", git_repo / "plans/2019-changning/tasks")
    assert [p.rule for p in validate(root=git_repo).problems] == ["no-unit"]
    assert [p.rule for p in validate(root=git_repo).problems] == ["no-unit"]


def test_verdicts_of_another_version_or_a_corrupt_file_are_ignored(git_repo: Path) -> None:
    validate(root=git_repo)
    path = git_repo / TASK
    path.write_text(path.read_text(encoding="utf-8").replace("status: not_started", "status: finished"),
                    encoding="utf-8")
    for junk in (b"another version's tag" + os.urandom(64), b"\xff" * 7, b""):
        verdicts(git_repo).write_bytes(junk)
        assert [p.rule for p in validate(root=git_repo).problems] == ["schema.enum"]


# -- plan snapshots: the tasks of an unchanged plan, built without parsing --------------------

def snapshot_file(repo: Path) -> Path:
    return repo / ".git/duban-cache/plan-2019-changning.marshal"


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
        (tasks / f"{number}.yaml").write_text((tasks / "2.yaml").read_text(encoding="utf-8").replace(
            "id: 2", f"id: {number}"), encoding="utf-8")
    refs = [t.ref for t in Repository(git_repo).load_tasks("2019-changning").tasks]
    assert refs == ["2019-changning/1", "2019-changning/2", "2019-changning/9", "2019-changning/10"]
    assert [t.ref for t in Repository(git_repo).load_tasks("2019-changning").tasks] == refs  # from the snapshot
    (tasks / "10.yaml").rename(tasks / "11.yaml")  # same bytes, another name: the file's id is now wrong
    loaded = Repository(git_repo).load_tasks("2019-changning")
    assert [t.path.name for t in loaded.tasks] == ["1.yaml", "2.yaml", "9.yaml", "11.yaml"]


def test_a_corrupt_snapshot_is_ignored(git_repo: Path) -> None:
    import marshal

    first = titles(git_repo)
    stored = marshal.loads(snapshot_file(git_repo).read_bytes())
    for junk in (b"\x00junk", marshal.dumps((stored[0], stored[1], ([5, 6], [(), ()]))),
                 marshal.dumps((stored[0], stored[1], None))):
        snapshot_file(git_repo).write_bytes(junk)
        assert titles(git_repo) == first


def test_a_change_to_duban_code_starts_the_caches_afresh(git_repo: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """A verdict must not outlive the checks that gave it, even without a new version number."""
    from duban import cache

    module = tmp_path / "checks.py"
    module.write_text("# the checks, version 1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_CODE_FILES", (str(module),))  # an absolute path wins over the folder
    before = cache._tag()
    assert cache._tag() == before
    module.write_text("# the checks, version 2\n", encoding="utf-8")
    assert cache._tag() != before
