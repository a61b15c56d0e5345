"""The `duban` command ends without tearing its objects down one by one (cli.main.run), and
that changes nothing a user or a script sees: every byte of output arrives, exit codes are
kept, and whatever still has work at exit (an exit handler, a profiler, a thread) gets it done."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support import DATA

DUBAN = [sys.executable, "-m", "duban"]


def _run(root: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-c", code, *args] if code else [*DUBAN, *args]
    return subprocess.run(
        argv,
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DUBAN_LANG": "en", "PYTHONPATH": str(Path(__file__).parents[2])},
    )


def test_every_byte_of_a_long_output_arrives(sample_repo: Path) -> None:
    listed = _run(sample_repo, "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)  # cut output would not parse
    assert len(rows) > 5 and listed.stdout.endswith("\n")


def test_exit_codes_are_kept(sample_repo: Path) -> None:
    assert _run(sample_repo, "validate").returncode == 0
    shutil.copy(DATA / "invalid/bad-status.yaml", sample_repo / "plans/2019-changning/tasks")
    found = _run(sample_repo, "validate")
    assert found.returncode == 1 and "bad-status.yaml" in found.stdout + found.stderr
    assert _run(sample_repo, "list", "--no-such-option").returncode == 2


def test_a_reader_that_goes_away_is_not_an_error(sample_repo: Path) -> None:
    piped = subprocess.run(
        f"{sys.executable} -m duban list --format json | head -c 10",
        shell=True,
        cwd=sample_repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.stdout == '[\n  {\n    "'[:10] and "Traceback" not in piped.stderr


def test_an_exit_handler_still_runs(sample_repo: Path, tmp_path: Path) -> None:
    mark = tmp_path / "ran"
    code = (
        f"import atexit, pathlib\natexit.register(pathlib.Path({str(mark)!r}).write_text, 'yes')\n"
        "from duban.cli.main import run\nrun()"
    )
    ran = _run(sample_repo, "list", code=code)
    assert ran.returncode == 0 and mark.read_text() == "yes"


def test_a_profiler_gets_its_figures(sample_repo: Path, tmp_path: Path) -> None:
    figures = tmp_path / "list.prof"
    profiled = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(figures), "-m", "duban", "list"],
        cwd=sample_repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert profiled.returncode == 0, profiled.stderr
    assert figures.stat().st_size > 0


def test_a_thread_still_running_is_waited_for(sample_repo: Path, tmp_path: Path) -> None:
    mark = tmp_path / "thread"
    code = (
        "import threading, time, pathlib\n"
        f"def late():\n    time.sleep(0.3)\n    pathlib.Path({str(mark)!r}).write_text('done')\n"
        "threading.Thread(target=late).start()\nfrom duban.cli.main import run\nrun()"
    )
    assert _run(sample_repo, "list", code=code).returncode == 0
    assert mark.read_text() == "done"


def test_objects_are_kept_only_when_the_process_ends_with_the_command() -> None:
    """Called in-process (tests, scripts), a command keeps nothing alive past its end."""
    import weakref

    from duban.cli.context import ProcessEnd

    class Built:
        pass

    built = Built()
    gone = weakref.ref(built)
    assert not ProcessEnd.near
    ProcessEnd.keep(built)
    del built
    assert gone() is None
