"""Exchange by file across networks that never touch: `duban sync --to FILE` and `--from FILE`,
with real git repositories that share no remote, and the real command."""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.progress import flat
from duban.store import yamlio
from tests.cli.support import duban
from tests.support import SAMPLE, git, template_env


def ok(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    result = duban(cwd, monkeypatch, *args)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture(scope="module")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The office's repository made by `duban init` with the sample plans committed, once per module."""
    base = tmp_path_factory.mktemp("exchange_office")
    with template_env(base / "home") as patch:
        office = base / "office"
        ok(base, patch, "init", str(office))
        git(office, "branch", "-M", "main")
        shutil.copytree(SAMPLE / "plans", office / "plans", dirs_exist_ok=True)
        git(office, "add", "-A")
        git(office, "commit", "-q", "-m", "sample plans")
        git(office, "config", "duban.exchange.name", "督查科")
    shutil.rmtree(office / ".git" / "duban-cache", ignore_errors=True)  # each test starts cold
    return office


@pytest.fixture
def office(office_template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(office_template, tmp_path / "office", symlinks=True))


def empty_clone(path: Path) -> Path:
    """A unit on another network: an empty repository that gets everything from the first bundle."""
    (path / "plans").mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    return path


def report(repo: Path, monkeypatch: pytest.MonkeyPatch, ref: str, percent: str, unit: str, date: str) -> None:
    ok(repo, monkeypatch, "progress", ref, "--percent", percent, "--by", unit, "--date", date, "--note", f"{unit}报送")


def all_reports(repo: Path) -> list[tuple[str, str, str, object]]:
    found = []
    for path in sorted((repo / "plans").glob("*/tasks/*.yaml")):
        data = yamlio.load_fast(path.read_text(encoding="utf-8"), str(path))
        for item in flat(data.get("progress")):
            found.append(
                (f"{path.parent.parent.name}/{path.stem}", item.get("by", ""), str(item["date"]), item.get("percent"))
            )
    return sorted(found)


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").strip()


def test_first_bundle_carries_everything_and_the_reply_only_what_is_new(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    out = ok(office, monkeypatch, "sync", "--to", str(usb / "1.bundle"), "--peer", "商务委")
    assert "2" in out and (usb / "1.bundle.manifest.txt").is_file()
    unit = empty_clone(tmp_path / "unit")
    assert "2" in ok(unit, monkeypatch, "sync", "--from", str(usb / "1.bundle"))
    assert head(unit) == head(office)
    assert git(unit, "config", "duban.exchange.name").strip() == "商务委"  # called what the office called it
    report(unit, monkeypatch, "2019-changning/1", "20", "商务委", "2019-03-24")
    ok(unit, monkeypatch, "sync", "--to", str(usb / "back.bundle"))  # the only peer it knows: the office
    listed = git(unit, "bundle", "list-heads", str(usb / "back.bundle"))
    assert "refs/duban/exchange/from/" in listed and "refs/heads/" not in listed
    # The reply assumes the office has what it sent: one commit, not the whole history.
    assert git(unit, "rev-list", "--count", f"{head(office)}..HEAD").strip() == "1"
    manifest = (usb / "back.bundle.manifest.txt").read_text(encoding="utf-8")
    assert head(office)[:12] in manifest and "2019-changning/1" in manifest
    ok(office, monkeypatch, "sync", "--from", str(usb / "back.bundle"))
    assert head(office) == head(unit)
    assert all_reports(office) == all_reports(unit) == [("2019-changning/1", "商务委", "2019-03-24", 20)]
    # Nothing new either way: the next bundle carries no commit, only the acknowledgement.
    assert ": 0 " in ok(office, monkeypatch, "sync", "--to", str(usb / "2.bundle"), "--peer", "商务委")
    assert git(office, "rev-list", "--count", f"{head(unit)}..HEAD").strip() == "0"
    before = head(unit)
    ok(unit, monkeypatch, "sync", "--from", str(usb / "2.bundle"))
    assert head(unit) == before
    for repo in (office, unit):
        assert git(repo, "status", "--porcelain") == ""
        git(repo, "fsck", "--no-progress")
        assert duban(repo, monkeypatch, "validate").exit_code == 0


def test_manifest_names_what_the_bundle_carries(office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unit = empty_clone(tmp_path / "unit")
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "0.bundle"), "--peer", "商务委")
    ok(unit, monkeypatch, "sync", "--from", str(tmp_path / "0.bundle"))
    base = head(unit)
    report(unit, monkeypatch, "2019-changning/1", "20", "商务委", "2019-03-24")
    report(unit, monkeypatch, "2019-changning/2", "35.5", "商务委", "2019-03-25")
    ok(unit, monkeypatch, "sync", "--to", str(tmp_path / "1.bundle"))
    manifest = (tmp_path / "1.bundle.manifest.txt").read_text(encoding="utf-8")
    # What the manifest lists is what the bundle holds: fetch it into a scratch clone and compare.
    scratch = tmp_path / "scratch"
    git(tmp_path, "clone", "-q", str(office), str(scratch))
    git(scratch, "fetch", "-q", str(tmp_path / "1.bundle"), "+refs/duban/exchange/from/*:refs/got/*")
    got = git(scratch, "for-each-ref", "--format=%(objectname)", "refs/got/").split()
    tip = git(scratch, "rev-parse", f"{got[0]}^{{commit}}").strip()
    assert tip == head(unit)
    count = git(scratch, "rev-list", "--count", f"{base}..{tip}").strip()
    assert f"{base[:12]}..{tip[:12]} ({count} " in manifest or f"{base[:12]}..{tip[:12]}({count} " in manifest
    lines = [line.strip() for line in manifest.splitlines() if line.startswith("  2019-")]
    assert lines == ["2019-changning/1  商务委  2019-03-24  20%", "2019-changning/2  商务委  2019-03-25  35.5%"]
    digest = __import__("hashlib").sha256((tmp_path / "1.bundle").read_bytes()).hexdigest()
    assert digest in manifest


@pytest.mark.slow
def test_bundles_applied_twice_out_of_order_and_after_a_newer_one_change_nothing_wrongly(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = empty_clone(tmp_path / "unit")
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "0.bundle"), "--peer", "商务委")
    ok(unit, monkeypatch, "sync", "--from", str(tmp_path / "0.bundle"))
    report(unit, monkeypatch, "2019-changning/1", "20", "商务委", "2019-03-24")
    ok(unit, monkeypatch, "sync", "--to", str(tmp_path / "a.bundle"))
    report(unit, monkeypatch, "2019-changning/2", "30", "商务委", "2019-03-25")
    ok(unit, monkeypatch, "sync", "--to", str(tmp_path / "b.bundle"))  # unacknowledged: carries a's too
    report(office, monkeypatch, "2019-changning/2", "50", "金融办", "2019-03-26")
    ok(office, monkeypatch, "sync", "--from", str(tmp_path / "b.bundle"))  # the newer one first
    after_newer = head(office)
    expected = all_reports(office)
    assert len(expected) == 3
    for name in ("a.bundle", "b.bundle", "a.bundle"):  # the older one, then each again
        out = ok(office, monkeypatch, "sync", "--from", str(tmp_path / name))
        assert head(office) == after_newer and all_reports(office) == expected, out
    # The acknowledgement reaches the unit; old bundles from the office change nothing there either.
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "ack.bundle"), "--peer", "商务委")
    for name in ("ack.bundle", "ack.bundle", "0.bundle"):
        ok(unit, monkeypatch, "sync", "--from", str(tmp_path / name))
    assert head(unit) == head(office) and all_reports(unit) == expected
    state = json.loads((unit / ".git" / "duban-exchange.json").read_text(encoding="utf-8"))
    assert state["peers"]["督查科"]["has"] == head(office)


def test_a_side_without_the_prerequisites_is_told_what_to_ask_for(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = empty_clone(tmp_path / "unit")
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "0.bundle"), "--peer", "商务委")
    ok(unit, monkeypatch, "sync", "--from", str(tmp_path / "0.bundle"))
    ok(unit, monkeypatch, "sync", "--to", str(tmp_path / "ack.bundle"))
    ok(office, monkeypatch, "sync", "--from", str(tmp_path / "ack.bundle"))
    report(office, monkeypatch, "2019-changning/1", "25", "金融办", "2019-03-25")
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "1.bundle"), "--peer", "商务委")
    # The unit lost its disk and starts again empty: the incremental bundle cannot be applied.
    lost = empty_clone(tmp_path / "lost")
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    result = duban(lost, monkeypatch, "sync", "--from", str(tmp_path / "1.bundle"))
    assert result.exit_code != 0
    assert "督查科" in result.stderr and "--full" in result.stderr
    assert "交换包假定本仓库已有提交" in result.stderr
    assert git(lost, "rev-list", "--all").strip() == ""  # nothing was changed
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "full.bundle"), "--peer", "商务委", "--full")
    ok(lost, monkeypatch, "sync", "--from", str(tmp_path / "full.bundle"))
    assert head(lost) == head(office)


def test_rewritten_history_is_refused(office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unit = empty_clone(tmp_path / "unit")
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "0.bundle"), "--peer", "商务委")
    ok(unit, monkeypatch, "sync", "--from", str(tmp_path / "0.bundle"))
    report(unit, monkeypatch, "2019-changning/1", "20", "商务委", "2019-03-24")
    ok(unit, monkeypatch, "sync", "--to", str(tmp_path / "a.bundle"))
    ok(office, monkeypatch, "sync", "--from", str(tmp_path / "a.bundle"))
    before = head(office)
    git(unit, "reset", "-q", "--hard", "HEAD~1")
    report(unit, monkeypatch, "2019-changning/1", "90", "商务委", "2019-03-24")
    ok(unit, monkeypatch, "sync", "--to", str(tmp_path / "b.bundle"), "--peer", "督查科", "--full")
    result = duban(office, monkeypatch, "sync", "--from", str(tmp_path / "b.bundle"))
    assert result.exit_code == 1 and ("rewritten" in result.stderr or "改写" in result.stderr)
    assert head(office) == before


def test_options_go_together_or_not_at_all(office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert duban(office, monkeypatch, "sync", "--to", "x", "--from", "y").exit_code == 2
    assert duban(office, monkeypatch, "sync", "--peer", "x").exit_code == 2
    result = duban(office, monkeypatch, "sync", "--to", str(tmp_path / "x.bundle"))  # no peer known yet
    assert result.exit_code == 1 and "--peer" in result.stderr
    result = duban(office, monkeypatch, "sync", "--from", str(tmp_path / "missing.bundle"))
    assert result.exit_code == 1
    (tmp_path / "junk.bundle").write_text("not a bundle\n", encoding="utf-8")
    assert duban(office, monkeypatch, "sync", "--from", str(tmp_path / "junk.bundle")).exit_code == 1


def _cycle_reports() -> list[tuple[str, str, str, str, str]]:
    return [
        ("unit1", "2019-changning/1", "20", "商务委", "2019-03-24"),
        ("unit1", "2019-changning/1", "40", "商务委", "2019-03-28"),
        ("unit2", "2019-changning/1", "25", "金融办", "2019-03-25"),
        ("unit2", "2019-changning/2", "60", "金融办", "2019-03-26"),
    ]


@pytest.mark.slow
@pytest.mark.parametrize("order", [("unit1", "unit2"), ("unit2", "unit1")])
def test_monthly_cycle_by_usb_stick(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: tuple[str, str]
) -> None:
    """The office sends the plan out on a stick, two units on other networks apply it, record
    their reports and send bundles back; the office applies both (in either order) and issues a
    circular that equals the one from typing the same reports in directly."""
    direct = tmp_path / "direct"
    git(tmp_path, "clone", "-q", str(office), str(direct))
    usb = tmp_path / "usb"
    usb.mkdir()
    units = {"unit1": empty_clone(tmp_path / "unit1"), "unit2": empty_clone(tmp_path / "unit2")}
    for name in units:
        ok(office, monkeypatch, "sync", "--to", str(usb / f"plan-{name}.bundle"), "--peer", name)
    for name, repo in units.items():
        ok(repo, monkeypatch, "sync", "--from", str(usb / f"plan-{name}.bundle"))
    for minute, (name, ref, percent, unit, date) in enumerate(_cycle_reports()):
        for variable in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):  # when each was typed in, alike in both
            monkeypatch.setenv(variable, f"2019-03-29T10:{minute:02d}:00+08:00")
        report(units[name], monkeypatch, ref, percent, unit, date)
        report(direct, monkeypatch, ref, percent, unit, date)
    for variable in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.delenv(variable)
    for name, repo in units.items():
        ok(repo, monkeypatch, "sync", "--to", str(usb / f"{name}-2019-03.bundle"))
    for name in order:
        ok(office, monkeypatch, "sync", "--from", str(usb / f"{name}-2019-03.bundle"))
    assert all_reports(office) == all_reports(direct)
    assert len(all_reports(office)) == 4
    circular = ["circular", "--month", "2019-03", "--plan", "2019-changning", "--format", "md", "--date", "2019-04-05"]
    assert ok(office, monkeypatch, *circular) == ok(direct, monkeypatch, *circular)
    # The office's next bundle brings each unit the other's reports and acknowledges its own.
    for name, repo in units.items():
        ok(office, monkeypatch, "sync", "--to", str(usb / f"{name}-2019-04.bundle"), "--peer", name)
        ok(repo, monkeypatch, "sync", "--from", str(usb / f"{name}-2019-04.bundle"))
        assert head(repo) == head(office) and all_reports(repo) == all_reports(direct)
        assert duban(repo, monkeypatch, "validate").exit_code == 0
        git(repo, "fsck", "--no-progress")


def test_seals_travel_with_the_bundle(office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report(office, monkeypatch, "2019-changning/1", "25", "金融办", "2019-03-25")
    ok(office, monkeypatch, "seal", "--plan", "2019-changning", "--deadline", "2019-03-25", "--late", "--no-fetch")
    tags = git(office, "tag", "--list", "duban/seal/*").split()
    assert tags
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "0.bundle"), "--peer", "商务委")
    assert tags[0] in (tmp_path / "0.bundle.manifest.txt").read_text(encoding="utf-8")
    unit = empty_clone(tmp_path / "unit")
    ok(unit, monkeypatch, "sync", "--from", str(tmp_path / "0.bundle"))
    assert git(unit, "tag", "--list", "duban/seal/*").split() == tags
    assert git(unit, "rev-parse", tags[0]) == git(office, "rev-parse", tags[0])


@pytest.mark.slow
def test_a_bundle_killed_while_merging_is_recovered_by_applying_it_again(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = empty_clone(tmp_path / "unit")
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "0.bundle"), "--peer", "商务委")
    ok(unit, monkeypatch, "sync", "--from", str(tmp_path / "0.bundle"))
    report(unit, monkeypatch, "2019-changning/1", "20", "商务委", "2019-03-24")
    ok(unit, monkeypatch, "sync", "--to", str(tmp_path / "1.bundle"))
    report(office, monkeypatch, "2019-changning/1", "25", "金融办", "2019-03-25")
    from duban.record import sync as sync_module

    def killed(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # the process dies with the merge half done and the marker left

    with monkeypatch.context() as patch:
        patch.setattr(sync_module.sync_recovery, "conclude", killed)
        monkeypatch.chdir(office)
        interrupted = CliRunner().invoke(cli, ["sync", "--from", str(tmp_path / "1.bundle")])
        assert interrupted.exit_code != 0
    assert (office / ".git" / "duban-sync").is_file() and (office / ".git" / "MERGE_HEAD").is_file()
    out = ok(office, monkeypatch, "sync", "--from", str(tmp_path / "1.bundle"))
    assert "merged" in out or "合并" in out
    assert all_reports(office) == [
        ("2019-changning/1", "商务委", "2019-03-24", 20),
        ("2019-changning/1", "金融办", "2019-03-25", 25),
    ]
    assert not (office / ".git" / "duban-sync").exists() and git(office, "status", "--porcelain") == ""
    ok(office, monkeypatch, "sync", "--from", str(tmp_path / "1.bundle"))  # and once more: nothing changes
    assert len(all_reports(office)) == 2


CASES = int(os.environ.get("DUBAN_EXCHANGE_CASES", "3"))
OPERATIONS = int(os.environ.get("DUBAN_EXCHANGE_OPERATIONS", "30"))
SPEAKS = {
    "督查科": ("金融办", "2019-changning/2"),
    "unit1": ("商务委", "2019-changning/1"),
    "unit2": ("临空办", "2019-changning/1"),
}


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(CASES))
def test_clones_that_exchange_only_by_files_lose_and_duplicate_no_report(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Three clones share only a folder of bundles: bundles are written for random peers, lost,
    applied twice, out of order or after newer ones, and a merge is killed now and then (each
    clone then does as duban says: applies the same bundle again). In the end, after one round
    through the office, every report is in every clone exactly once and the heads agree."""
    from duban.record import sync as sync_module

    chance = random.Random(seed)
    stick = tmp_path / "stick"
    stick.mkdir()
    clones = {"督查科": office, "unit1": empty_clone(tmp_path / "unit1"), "unit2": empty_clone(tmp_path / "unit2")}
    for name in ("unit1", "unit2"):
        ok(office, monkeypatch, "sync", "--to", str(stick / f"start-{name}.bundle"), "--peer", name)
        ok(clones[name], monkeypatch, "sync", "--from", str(stick / f"start-{name}.bundle"))
    bundles: list[tuple[str, Path]] = []  # (for whom, file) on the stick
    typed: list[tuple[str, str, str, object]] = []
    counts = {"reports": 0, "written": 0, "applied": 0, "lost": 0, "kill attempts": 0, "kills": 0}
    broken: dict[str, Path] = {}  # a clone killed while merging, and the bundle it was applying

    def killed(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    def apply(name: str, path: Path, kill: bool) -> None:
        if kill:
            with monkeypatch.context() as patch:
                # Killed inside a merge (before it is checked and committed) or a fast-forward
                # (after git moved the branch, before the marker is removed).
                patch.setattr(sync_module.sync_recovery, "conclude", killed)
                patch.setattr(sync_module.Marker, "remove", killed)
                monkeypatch.chdir(clones[name])
                result = CliRunner().invoke(cli, ["sync", "--from", str(path)])
            counts["kill attempts"] += 1
            if result.exit_code != 0:  # the bundle brought something: killed half-way
                counts["kills"] += 1
                broken[name] = path
            return
        ok(clones[name], monkeypatch, "sync", "--from", str(path))
        counts["applied"] += 1

    for step in range(OPERATIONS):
        name = chance.choice(sorted(clones))
        if name in broken:  # as duban says: apply the same bundle again
            apply(name, broken.pop(name), kill=False)
            continue
        action = chance.choice(["report", "report", "write", "write", "apply", "apply", "apply", "lose"])
        if action == "report":
            unit, ref = SPEAKS[name]
            date = f"2019-03-{counts['reports'] + 1:02d}"
            report(clones[name], monkeypatch, ref, str(counts["reports"] + 1), unit, date)
            typed.append((ref, unit, date, counts["reports"] + 1))
            counts["reports"] += 1
        elif action == "write":
            peer = chance.choice([other for other in clones if other != name])
            path = stick / f"{step}-{name}-for-{peer}.bundle"
            ok(clones[name], monkeypatch, "sync", "--to", str(path), "--peer", peer)
            bundles.append((peer, path))
            counts["written"] += 1
        elif action == "apply":
            mine = [path for peer, path in bundles if peer == name]
            if mine:
                apply(name, chance.choice(mine), kill=chance.random() < 0.4)
        elif bundles:
            bundles.pop(chance.randrange(len(bundles)))
            counts["lost"] += 1
    for name, path in list(broken.items()):
        apply(name, path, kill=False)
    # One round through the office: each unit sends, the office applies both, then answers each.
    for name in ("unit1", "unit2"):
        ok(clones[name], monkeypatch, "sync", "--to", str(stick / f"end-{name}.bundle"), "--peer", "督查科")
        ok(office, monkeypatch, "sync", "--from", str(stick / f"end-{name}.bundle"))
    for name in ("unit1", "unit2"):
        ok(office, monkeypatch, "sync", "--to", str(stick / f"answer-{name}.bundle"), "--peer", name)
        ok(clones[name], monkeypatch, "sync", "--from", str(stick / f"answer-{name}.bundle"))
    expected = sorted(typed)
    for name, repo in clones.items():
        assert all_reports(repo) == expected, name
        assert head(repo) == head(office)
        assert git(repo, "status", "--porcelain", "--untracked-files=no") == ""
        git(repo, "fsck", "--no-progress")
        assert duban(repo, monkeypatch, "validate").exit_code == 0
    print(f"seed {seed}: {counts}")


GUARDED_ACCESS = """\
accounts:
  duchake: {role: office, name: 督查科}
  swy-li: {role: unit, unit: 商务委}
  jrb-wang: {role: unit, unit: 金融办}
"""


@pytest.mark.slow
def test_sync_from_refuses_what_the_guard_would_refuse(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the clone's branch has access.yaml, the commits a bundle brings are judged as the shared
    repository's guard judges a push by the bundle's account (git config duban.account there): another
    unit's report or a plan field is refused with the guard's own Chinese lines and nothing changes; the
    unit's own reports go through, and the office's bundle relays them to the other units."""
    monkeypatch.setenv("DUBAN_LANG", "zh")
    (office / "access.yaml").write_text(GUARDED_ACCESS, "utf-8")
    git(office, "add", "access.yaml")
    git(office, "commit", "-q", "-m", "access")
    git(office, "config", "duban.account", "duchake")
    usb = tmp_path / "usb"
    usb.mkdir()
    units = {"商务委": empty_clone(tmp_path / "swy"), "金融办": empty_clone(tmp_path / "jrb")}
    for name, repo in units.items():
        ok(office, monkeypatch, "sync", "--to", str(usb / f"plan-{name}.bundle"), "--peer", name)
        ok(repo, monkeypatch, "sync", "--from", str(usb / f"plan-{name}.bundle"))
    swy = units["商务委"]
    report(swy, monkeypatch, "2019-changning/1", "20", "商务委", "2019-03-20")  # its own: permitted
    good = head(swy)
    state = (office / ".git" / "duban-exchange.json").read_text("utf-8")
    before = head(office)

    def refused(*words: str) -> None:
        monkeypatch.chdir(office)
        result = CliRunner().invoke(cli, ["sync", "--from", str(usb / "swy.bundle")])
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert "违反访问权限文件的规则" in result.stderr and "已拒绝" in result.stderr, result.stderr
        for word in words:
            assert word in result.stderr, result.stderr
        assert head(office) == before and git(office, "status", "--porcelain") == ""
        assert (office / ".git" / "duban-exchange.json").read_text("utf-8") == state  # nothing remembered

    # No account named: the sender's name 商务委 is no account of access.yaml.
    ok(swy, monkeypatch, "sync", "--to", str(usb / "swy.bundle"), "--peer", "督查科")
    refused("账号 商务委 不在访问权限文件中", "git config duban.account")
    git(swy, "config", "duban.account", "swy-li")
    # Another unit's report, and a plan field: the guard's lines, naming the file and the unit.
    report(swy, monkeypatch, "2019-changning/2", "40", "金融办", "2019-03-21")
    ok(swy, monkeypatch, "sync", "--to", str(usb / "swy.bundle"), "--peer", "督查科")
    refused(
        "plans/2019-changning/tasks/2.yaml",
        "单位 金融办",
        "单位的报送只能由该单位(或督查部门)写入,账号 swy-li 无权写入",
    )
    git(swy, "reset", "-q", "--hard", good)
    ok(swy, monkeypatch, "set", "2019-changning/1", "due=2019-12-31")
    ok(swy, monkeypatch, "sync", "--to", str(usb / "swy.bundle"), "--peer", "督查科")
    refused("只有督查部门可以修改任务字段 due")
    git(swy, "reset", "-q", "--hard", good)
    # Its own report alone: through; the office's next bundle relays it to 金融办, whose clone takes it.
    ok(swy, monkeypatch, "sync", "--to", str(usb / "swy.bundle"), "--peer", "督查科")
    ok(office, monkeypatch, "sync", "--from", str(usb / "swy.bundle"))
    assert all_reports(office) == [("2019-changning/1", "商务委", "2019-03-20", 20)]
    jrb = units["金融办"]
    git(jrb, "config", "duban.account", "jrb-wang")
    ok(office, monkeypatch, "sync", "--to", str(usb / "jrb.bundle"), "--peer", "金融办")
    ok(jrb, monkeypatch, "sync", "--from", str(usb / "jrb.bundle"))
    assert all_reports(jrb) == all_reports(office) and head(jrb) == head(office)


@pytest.mark.skipif(not shutil.which("ssh-keygen"), reason="needs ssh-keygen: apt-get install -y openssh-client")
def test_a_unit_claiming_to_be_the_office_in_its_bundle_is_caught_by_the_signatures(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundle's account is a claim: a unit that calls itself duchake passes the office's rights
    on, but where signing is in use every report it carries must be signed by its own unit's key
    or the office's, so another unit's report forged under the office's name is refused."""
    from tests.core.guard.support import _signing, _ssh_key

    monkeypatch.setenv("DUBAN_LANG", "zh")
    keys = tmp_path / "keys"
    keys.mkdir()
    swy_key, swy_public = _ssh_key(keys, "swy")
    access = GUARDED_ACCESS.replace(
        "{role: unit, unit: 商务委}", f'{{role: unit, unit: 商务委, keys: ["{swy_public}"]}}'
    )
    (office / "access.yaml").write_text(access + "signing_required: [2019-changning]\n", "utf-8")
    git(office, "add", "access.yaml")
    git(office, "commit", "-q", "-m", "access")
    swy = empty_clone(tmp_path / "swy")
    ok(office, monkeypatch, "sync", "--to", str(tmp_path / "plan.bundle"), "--peer", "商务委")
    ok(swy, monkeypatch, "sync", "--from", str(tmp_path / "plan.bundle"))
    _signing(monkeypatch, swy_key)
    report(swy, monkeypatch, "2019-changning/1", "20", "商务委", "2019-03-20")  # its own, signed: fine
    good = head(swy)
    git(swy, "config", "duban.account", "duchake")  # the lie
    ok(
        swy,
        monkeypatch,
        "progress",
        "2019-changning/2",
        "--percent",
        "40",
        "--by",
        "金融办",
        "--date",
        "2019-03-21",
        "--reason",
        "金融办纸质报表",
    )  # signed, but by 商务委's key
    _signing(monkeypatch, None)
    ok(swy, monkeypatch, "sync", "--to", str(tmp_path / "swy.bundle"), "--peer", "督查科")
    before = head(office)
    monkeypatch.chdir(office)
    result = CliRunner().invoke(cli, ["sync", "--from", str(tmp_path / "swy.bundle")])
    assert result.exit_code != 0 and "交换包所称的账号只是声明" in result.stderr, result.stderr
    assert "plans/2019-changning/tasks/2.yaml" in result.stderr and "tasks/1.yaml" not in result.stderr
    assert head(office) == before
    git(swy, "reset", "-q", "--hard", good)
    ok(swy, monkeypatch, "sync", "--to", str(tmp_path / "swy.bundle"), "--peer", "督查科")
    ok(office, monkeypatch, "sync", "--from", str(tmp_path / "swy.bundle"))
    assert all_reports(office) == [("2019-changning/1", "商务委", "2019-03-20", 20)]
