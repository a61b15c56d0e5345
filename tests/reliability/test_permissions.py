"""Permission problems end in one clear line (exit 1), never an internal error, and a task file's
own mode is kept. Run as an unprivileged user: under root through `setpriv` as nobody, since
root ignores file modes.

nobody may not be able to enter the checkout (a clone in a `mktemp -d` folder, mode 700), so
under root duban runs from a copy nobody can reach: the virtual environment (hard links where
the disk allows) and the package as it installs (duban/ with cli/, tui/ and schema/ in it)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import GIT_ENV, PROJECT, copy_sample, git

PLAN = "2019-changning"
TASK = f"plans/{PLAN}/tasks/1.yaml"


def _prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv to drop root")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
            raise
        shutil.copy2(source, destination)


@pytest.fixture(scope="module")
def runner() -> Iterator[tuple[list[str], dict[str, str]]]:
    """The command that runs `python -m duban` as the unprivileged user, and its environment:
    this interpreter as it is for a normal user; under root, copies in a folder nobody can enter."""
    prefix = _prefix()
    if not prefix:
        _skip_unless_modes_bind([sys.executable], {})
        yield [sys.executable], {}
        return
    staged = Path(tempfile.mkdtemp(prefix="duban-perm-python-"))
    try:
        os.chmod(staged, 0o755)
        shutil.copytree(sys.prefix, staged / "venv", symlinks=True, copy_function=_link_or_copy)
        # symlinks=False: duban/cli, duban/tui and duban/schema are links to the folders they install from
        shutil.copytree(
            PROJECT / "duban", staged / "src" / "duban", symlinks=False, ignore=shutil.ignore_patterns("__pycache__")
        )
        python = staged / "venv" / Path(sys.executable).relative_to(sys.prefix)
        env = {"PYTHONPATH": str(staged / "src")}  # ahead of the editable install's hook into the checkout
        probe = subprocess.run(
            [*prefix, str(python), "-c", "import duban.cli.main"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        if probe.returncode != 0:
            pytest.skip(f"nobody cannot run duban from a copy in {staged}: {probe.stderr.strip()[-300:]}")
        _skip_unless_modes_bind([*prefix, str(python)], env)
        yield [*prefix, str(python)], env
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _skip_unless_modes_bind(command: list[str], env: dict[str, str]) -> None:
    """Skip, saying why, where the user duban runs as reads a file of mode 000 all the same
    (root without setpriv's drop, or a user given CAP_DAC_OVERRIDE): no test here could fail."""
    folder = Path(tempfile.mkdtemp(prefix="duban-perm-probe-"))
    try:
        os.chmod(folder, 0o755)
        unreadable = folder / "unreadable"
        unreadable.write_text("secret", encoding="utf-8")
        os.chmod(unreadable, 0)
        probe = subprocess.run(
            [*command, "-c", f"open({str(unreadable)!r}).read()"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        if probe.returncode == 0:
            pytest.skip(
                f"file modes do not bind for the user duban runs as here ({' '.join(command)}): "
                "it read a file of mode 000, so no permission could be denied"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def repo(runner: tuple[list[str], dict[str, str]]) -> Iterator[Path]:
    """A committed sample repository in a folder the unprivileged user owns."""
    prefix = _prefix()
    base = Path(tempfile.mkdtemp(prefix="duban-perm-"))
    os.chmod(base, 0o755)
    root = copy_sample(base / "r")
    shutil.copytree(PROJECT / f"plans/{PLAN}/source", base / "source")  # for `import`, which reads it as nobody
    _RUNNERS[root] = runner
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "plans")
    if prefix:
        subprocess.run(["chown", "-R", "nobody:", str(base)], check=True)
    yield root
    del _RUNNERS[root]
    subprocess.run(["chmod", "-R", "u+rwx", str(base)], check=False)
    shutil.rmtree(base, ignore_errors=True)


_RUNNERS: dict[Path, tuple[list[str], dict[str, str]]] = {}  # each test's repository: how duban runs there


def duban(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command, extra = _RUNNERS[root]
    env = {**os.environ, **GIT_ENV, **extra, "HOME": str(root.parent), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DUBAN_REPO", None)
    return subprocess.run(
        [*command, "-m", "duban", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def _one_clear_line(result: subprocess.CompletedProcess[str], *words: str, after_notes: bool = False) -> None:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    if after_notes:  # the importer's summary and notes come first
        lines = lines[-1:]
        assert "internal error" not in result.stderr
    assert len(lines) == 1 and "internal error" not in lines[0] and lines[0].startswith("duban: error:"), lines
    assert all(word.lower() in lines[0].lower() for word in words), lines[0]  # git and the OS capitalise


def _progress(root: Path, percent: str = "6") -> subprocess.CompletedProcess[str]:
    return duban(root, "progress", f"{PLAN}/1", "--percent", percent, "--by", "金融办", "--date", "2019-03-02")


@pytest.mark.slow
def test_a_read_only_lock_file(repo: Path) -> None:
    assert _progress(repo, "5").returncode == 0  # creates .git/duban.lock
    os.chmod(repo / ".git/duban.lock", 0o444)
    _one_clear_line(_progress(repo), "duban.lock", "permission")


def test_a_git_folder_that_cannot_be_written(repo: Path) -> None:
    os.chmod(repo / ".git", 0o555)
    try:
        result = _progress(repo)
    finally:
        os.chmod(repo / ".git", 0o755)
    _one_clear_line(result, "permission")
    assert "index.lock exists" not in result.stderr


def test_an_unreadable_tasks_folder(repo: Path) -> None:
    os.chmod(repo / f"plans/{PLAN}/tasks", 0)
    try:
        listed, validated = duban(repo, "list"), duban(repo, "validate")
    finally:
        os.chmod(repo / f"plans/{PLAN}/tasks", 0o755)
    _one_clear_line(listed, "tasks", "ermission")
    _one_clear_line(validated, "tasks", "ermission")


@pytest.mark.slow
def test_a_read_only_repository(repo: Path) -> None:
    subprocess.run(["chmod", "-R", "a-w", str(repo)], check=True)
    try:
        for args in (
            ["progress", f"{PLAN}/1", "--percent", "7", "--by", "金融办", "--date", "2019-03-03"],
            ["import", str(repo.parent / "source/002_6636f39aa932eafa.txt"), "--plan", "2019-x"],
        ):
            _one_clear_line(duban(repo, *args), "ermission", after_notes=args[0] == "import")
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(repo)], check=True)


def test_an_unreadable_cache_is_only_a_slower_run(repo: Path) -> None:
    assert duban(repo, "list").returncode == 0  # builds the cache
    os.chmod(repo / ".git/duban-cache", 0)
    try:
        result = duban(repo, "list", "id:1", "--format", "csv")
    finally:
        os.chmod(repo / ".git/duban-cache", 0o755)
    assert result.returncode == 0, result.stderr
    assert "2019-changning/1" in result.stdout


def test_a_read_only_task_file_keeps_its_mode(repo: Path) -> None:
    os.chmod(repo / TASK, 0o444)
    result = _progress(repo)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(os.stat(repo / TASK).st_mode) == 0o444


def test_unreadable_git_objects_are_not_called_no_repository(repo: Path) -> None:
    os.chmod(repo / ".git/objects", 0)
    try:
        result = duban(repo, "history", f"{PLAN}/1")
    finally:
        os.chmod(repo / ".git/objects", 0o755)
    _one_clear_line(result, "cannot read the repository", "permissions")


# N20 (reliability audit round 3): sync named the wrong cause for an unreadable task file ("uncommitted
# changes") and for a tasks folder it cannot write in ("Merge with strategy ort failed").

SAFE = ("-c", "safe.directory=*")  # root's git in nobody's folders


@pytest.fixture
def behind(repo: Path) -> Path:
    """`repo` with a shared remote that holds one more change of task 2 than it does."""
    remote = repo.parent / "remote.git"
    git(repo.parent, "init", "-q", "--bare", "-b", "main", str(remote))
    git(repo, *SAFE, "remote", "add", "origin", str(remote))
    git(repo, *SAFE, "push", "-q", "-u", "origin", "main")
    other = repo.parent / "other"
    git(repo.parent, *SAFE, "clone", "-q", str(remote), str(other))
    path = other / f"plans/{PLAN}/tasks/2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: not_started", "status: in_progress"), encoding="utf-8"
    )
    git(other, *SAFE, "commit", "-qam", "elsewhere")
    git(other, *SAFE, "push", "-q")
    if _prefix():
        subprocess.run(["chown", "-R", "nobody:", str(repo.parent)], check=True)
    return repo


def test_sync_names_a_task_file_it_cannot_read(behind: Path) -> None:
    os.chmod(behind / TASK, 0)
    try:
        result = duban(behind, "sync")
    finally:
        os.chmod(behind / TASK, 0o644)
    _one_clear_line(result, "cannot read", "1.yaml", "permission denied")
    assert "uncommitted" not in result.stderr


@pytest.mark.slow
def test_sync_names_a_tasks_folder_it_cannot_write_in(behind: Path) -> None:
    tasks = behind / f"plans/{PLAN}/tasks"
    os.chmod(tasks, 0o555)
    try:
        result = duban(behind, "sync")
    finally:
        os.chmod(tasks, 0o755)
    _one_clear_line(result, "cannot write in", "tasks", "permission denied")
    assert "strategy" not in result.stderr
    assert git(behind, *SAFE, "status", "--porcelain", "--untracked-files=no") == ""
