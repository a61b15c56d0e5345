"""The one place duban talks to git: plain `git` processes with argument lists, never a shell.

GitPython was measured at about 60 ms just to import, a fifth of the 0.3 s a progress
report may take, and it runs the same git processes underneath; so duban calls git
directly, with `--` before paths and one process per query rather than per commit.
"""

from __future__ import annotations

import marshal
import os
import re
import shutil
import subprocess
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _
from duban.store.gitoutput import LOG_FORMAT, Commit, batch_blobs, parse_log
from duban.store.layout import head_from_files

# git's words when a lock file is already there; a lock it could not *write* (a full disk,
# "sha1 file '.git/index.lock' write error") is not one someone else holds.
_LOCK_FILE = re.compile(r"Unable to create '([^']+\.lock)': File exists")
_DISK_FULL = ("No space left on device", "Out of diskspace", "Disk quota exceeded")
_NO_IDENTITY = ("Please tell me who you are", "unable to auto-detect email address", "empty ident name")

MIN_GIT = (2, 25)


_NEW_ENOUGH: set[str] = set()  # the gits found at least MIN_GIT

# (root, "commit-id:path") -> the id of what that path holds at that commit (None: nothing),
# kept for the process: a commit's trees never change.
_OBJECT_IDS: dict[tuple[str, str], str | None] = {}
_COMMIT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")

# (root, HEAD's sha, path or "") -> Git.first_parent_line of that commit.
_FIRST_PARENT_LINES: dict[tuple[str, str, str], tuple[tuple[str, int], ...]] = {}


# Every git duban runs prints paths as they are: 通知.yaml, never "\351\200\232…" (git's
# default quotes every byte past ASCII, and a Chinese Windows shows nothing else).
OPTIONS = ("-c", "core.quotepath=off")


def command(*args: str) -> list[str]:
    """The argument list that runs `git args` as duban runs git everywhere."""
    return [Git.executable(), *OPTIONS, *args]


class GitError(DubanError):
    """git failed, or is missing, or the folder is not a repository."""


class Git:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._checked = False
        self._git_dir: Path | None = None

    @staticmethod
    def executable() -> str:
        found = shutil.which("git")
        if found is None:
            raise GitError(_("git is not installed or not on PATH"), hint=_("install git 2.25 or newer"))
        return found

    def run(
        self, *args: str, input: str | None = None, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        try:
            result = subprocess.run(
                command(*args),
                cwd=self.root,
                input=input,
                capture_output=True,
                text=True,
                encoding="utf-8",
                env={**os.environ, **(env or {}), "GIT_TERMINAL_PROMPT": "0"},
            )
        except OSError as error:
            raise GitError(_("cannot run git: {reason}").format(reason=error.strerror)) from None
        if check and result.returncode != 0:
            lock = _LOCK_FILE.search(result.stderr)
            if lock and "Permission denied" in result.stderr:
                folder = os.path.dirname(lock.group(1))
                raise GitError(
                    _("git cannot write in {folder}: permission denied").format(folder=folder),
                    hint=_("check the owner and permissions of that folder; nothing was changed"),
                )
            if lock and "File exists" in result.stderr:
                name = lock.group(1)
                what = (
                    _("git's index is locked (.git/index.lock exists)")
                    if name.endswith("index.lock")
                    else _("git's lock file {name} exists").format(name=name)
                )
                raise GitError(
                    what,
                    hint=_(
                        "another git command is running, or one was killed: if none is "
                        "running, delete {name} and try again"
                    ).format(name=name),
                )
            if any(words in result.stderr for words in _DISK_FULL):
                raise GitError(
                    _("the disk is full: git {command} could not write").format(command=args[0]),
                    hint=_("free some space, then try again"),
                )
            if any(words in result.stderr for words in _NO_IDENTITY) or (
                args[0] == "commit" and not self.knows_identity()
            ):
                raise GitError(
                    _("git does not know who you are, so it cannot commit"),
                    hint=_('set your identity: git config --global user.name "…" and user.email "…"'),
                )
            message = (result.stderr.strip() or result.stdout.strip() or "failed").splitlines()[-1]
            raise GitError(f"git {args[0]}: {message.removeprefix('fatal: ').removeprefix('error: ')}")
        return result

    def knows_identity(self) -> bool:
        """Whether git knows who commits: `git var` fails as commit does without a name and
        an e-mail, whatever language git speaks (a Chinese git says 致命错误：无法自动探测邮件地址)."""
        return all(
            self.run("var", name, check=False).returncode == 0 for name in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT")
        )

    def run_bounded(self, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a git command that talks to a remote, stopped after `timeout` seconds.

        git runs in its own process group, so a stalled transport (ssh, a remote helper)
        is stopped with it; GitError says the remote did not answer."""
        # Deferred: loads duban.system only when this runs
        from duban import system

        process = subprocess.Popen(
            command(*args),
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            **system.group_options(),
            env={
                **os.environ,
                "GIT_TERMINAL_PROMPT": "0",
                "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=20"),
            },
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            system.stop_group(process)
            try:
                process.communicate(timeout=10)
            except subprocess.TimeoutExpired:  # where only git itself could be stopped (no process
                pass  # groups), a helper it started may hold the pipes
            raise GitError(
                _("the remote did not answer within {seconds:.0f} s (git {command})").format(
                    seconds=timeout, command=args[0]
                ),
                hint=_(
                    "check the network and the remote's address (git remote -v), then sync again; "
                    "nothing was changed here"
                ),
            ) from None
        except BaseException:
            system.stop_group(process)
            process.wait()
            raise
        return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

    def out(self, *args: str) -> str:
        return self.run(*args).stdout

    # -- the repository ---------------------------------------------------------------------

    def check_repository(self) -> None:
        """A clear error unless `root` is inside a git work tree with a usable git. Checked
        once per Git object: a `duban progress` asks several times and each asking is a process."""
        if self._checked:
            return
        executable = self.executable()
        if executable not in _NEW_ENOUGH:  # asked once a process for each git on PATH
            version = self.out("--version").split()[2]
            numbers = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
            if numbers < MIN_GIT:
                raise GitError(
                    _("git {version} is too old").format(version=version), hint=_("duban needs git 2.25 or newer")
                )
            _NEW_ENOUGH.add(executable)
        inside = self.run("rev-parse", "--is-inside-work-tree", "--git-dir", check=False)
        answer = inside.stdout.split("\n")
        if inside.returncode != 0 and (self.root / ".git").is_dir():
            # git calls a repository whose objects it may not read "not a git repository".
            raise GitError(
                _("git cannot read the repository in {root}").format(root=self.root),
                hint=_("check the owner and permissions of its .git folder"),
            )
        if inside.returncode != 0 or answer[0].strip() != "true":
            raise GitError(
                _("{root} is not in a git repository").format(root=self.root),
                hint=_("run `duban init` or `git init` there first"),
            )
        self._git_dir = (self.root / answer[1].strip()).resolve()
        self._checked = True

    def git_dir(self) -> Path:
        if self._git_dir is None:
            self._git_dir = (self.root / self.out("rev-parse", "--git-dir").strip()).resolve()
        return self._git_dir

    def state_in_progress(self) -> str | None:
        """'merge', 'rebase', 'cherry-pick'... when one is under way, else None."""
        git_dir = self.git_dir()
        for marker, name in (
            ("MERGE_HEAD", "merge"),
            ("rebase-merge", "rebase"),
            ("rebase-apply", "rebase"),
            ("CHERRY_PICK_HEAD", "cherry-pick"),
            ("REVERT_HEAD", "revert"),
        ):
            if (git_dir / marker).exists():
                return name
        return None

    def on_branch(self) -> bool:
        """Whether HEAD names a branch; read from the file, a process would cost ~5 ms."""
        try:
            return (self.git_dir() / "HEAD").read_text(encoding="utf-8").startswith("ref:")
        except OSError:
            return True  # let git say what is wrong

    def has_commits(self) -> bool:
        return self.head() is not None

    def head(self) -> str | None:
        """HEAD's commit id; None before the first commit. From the files where they say it
        plainly (layout.head_from_files), else from git."""
        plain = head_from_files(self.git_dir())
        if plain is not None:
            return plain
        found = self.run("rev-parse", "--verify", "-q", "HEAD", check=False)
        return found.stdout.strip() if found.returncode == 0 else None

    def head_commit(self) -> str:
        """HEAD's commit id, which must exist (git's own error when it does not)."""
        return self.head() or self.out("rev-parse", "HEAD").strip()

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    # -- one file -----------------------------------------------------------------------------

    def status(self, *pathspec: str, untracked: str = "no") -> list[tuple[str, str]]:
        """(XY, path) of each changed path (git status --porcelain), read with -z: a name is
        never quoted, escaped or split, whatever characters it holds."""
        out = self.out(
            "status", "--porcelain=v1", "-z", "--no-renames", f"--untracked-files={untracked}", "--", *pathspec
        )
        return [(entry[:2], entry[3:]) for entry in out.split("\0") if entry]

    def names(self, *args: str) -> list[str]:
        """The paths a git command lists (diff --name-only, ls-tree --name-only), read with -z."""
        return [name for name in self.out(args[0], "-z", *args[1:]).split("\0") if name]

    def file_status(self, path: Path) -> str:
        """Porcelain status of one path: '' when clean and tracked, '??' untracked, ' M' ..."""
        line = self.out("status", "--porcelain=v1", "--untracked-files=all", "--", self.relative(path))
        return line[:2] if line else ""

    def commit_paths(self, paths: list[Path], message: str) -> str:
        """Commit exactly these paths, whatever else is staged or modified; returns the sha.

        `git commit --only` builds the commit from HEAD plus these paths and leaves the
        rest of the index as it was, so nobody's unrelated work is swept in. The paths are
        staged first: a commit killed after moving HEAD but before updating the index then
        leaves a clean status, not an index that seems to undo the commit.
        """
        relative = [self.relative(p) for p in paths]
        self.run("add", "--", *relative)
        self.run("commit", "--quiet", "--no-verify", "--only", "-F", "-", "--", *relative, input=message)
        return self.head_commit()

    def object_id(self, revision: str, path: str) -> str | None:
        """The id of what `path` holds at `revision` (a tree's id names every file under it);
        None where it holds nothing. Asked of git once a process for a commit's id."""
        spec = f"{revision}:{path}"
        key = (str(self.root), spec)
        if key in _OBJECT_IDS:
            return _OBJECT_IDS[key]
        found = self.run("rev-parse", "--verify", "-q", spec, check=False)
        answer = found.stdout.strip() if found.returncode == 0 else None
        if _COMMIT_ID.fullmatch(revision):
            _OBJECT_IDS[key] = answer
        return answer

    def show_file(self, revision: str, path: str) -> str | None:
        result = self.run("show", f"{revision}:{path}", check=False)
        return result.stdout if result.returncode == 0 else None

    # -- history ------------------------------------------------------------------------------

    def log(self, *args: str, paths: list[str] | None = None, patch: bool = False, color: bool = False) -> list[Commit]:
        """Commits from one `git log`, newest first, with trailers parsed (and patches)."""
        command = ["log", f"--format={LOG_FORMAT}", *args]
        if patch:
            command += ["-p", "--color=always" if color else "--no-color"]
        else:
            command += ["--name-only", "-z"]  # names as they are: git quotes a"b.yaml even with quotepath off
        if paths is not None:
            command += ["--", *paths]
        return parse_log(self.out(*command), patch)

    def path_log(self, paths: list[str], cache_file: Path | None) -> list[Commit]:
        """log(paths=paths), newest first, with the text git gave kept in `cache_file` under
        the commit it started from. Commits never change, so when HEAD is that commit the kept
        text is the answer; when HEAD has moved on from it by commits without a merge, only
        those are logged and put before it (a walk down a line of single parents reaches the
        kept commit and goes on from there as before). Otherwise (amend, rebase, reset,
        merge, another branch) the whole log is asked for again. `git log -- PATH` diffs
        every commit's tree: 6 s on 5,000 commits over 10,000 files, 0.1 s with this."""
        # Deferred: loads duban.store.files (2 duban modules in all) only when this runs
        from duban.store.files import checksummed, read_checked, replace_file

        head = self.head_commit()
        command = ["log", f"--format={LOG_FORMAT}", "--name-only", "-z"]
        tag = (LOG_FORMAT, "-z", tuple(paths))
        kept: tuple[str, str] | None = None
        if cache_file is not None:
            try:
                stored_tag, stored_head, stored_text = marshal.loads(read_checked(cache_file))
                if stored_tag == tag and isinstance(stored_head, str) and isinstance(stored_text, str):
                    kept = (stored_head, stored_text)
            except (OSError, EOFError, ValueError, TypeError):
                kept = None
        if kept is not None and kept[0] == head:
            text = kept[1]
        elif (
            kept is not None
            and re.fullmatch(r"[0-9a-f]{40,64}", kept[0])
            and self.run("merge-base", "--is-ancestor", kept[0], head, check=False).returncode == 0
            and not self.out("rev-list", "--merges", "-n", "1", f"{kept[0]}..{head}").strip()
        ):
            text = self.out(*command, f"{kept[0]}..{head}", "--", *paths) + kept[1]
        else:
            text = self.out(*command, head, "--", *paths)
        if cache_file is not None and (kept is None or kept[0] != head):
            try:
                replace_file(cache_file, checksummed(marshal.dumps((tag, head, text))), durable=False)
            except OSError:
                pass  # a read-only repository goes without
        return parse_log(text, False)

    def file_log(self, path: str, patch: bool = False, color: bool = False) -> list[Commit]:
        """A file's commits, newest first, following renames.

        `git log --follow` cannot use the commit-graph's changed-path filters (0.5 s against
        0.07 s on a 5,000-commit repository), so the path is logged plainly and --follow is
        used only when the oldest commit shows the file arriving by a rename.
        """
        commits = self.log(paths=[path], patch=patch, color=color)
        if commits:
            arrival = self.out("show", "-M", "--name-status", "--format=", commits[-1].sha, "--")
            if any(line.startswith("R") and line.split("\t")[-1] == path for line in arrival.splitlines()):
                commits = self.log("--follow", paths=[path], patch=patch, color=color)
        return commits

    def commit_before(self, when: str, path: str | None = None, first: bool = False) -> str | None:
        """The commit on HEAD's first-parent line that the record had reached by the end of
        day `when` (YYYY-MM-DD): walking that line from the root, the last commit before the
        first one committed after that day. With `path` (a plan's folder), only the commits
        of that line that change something under it are walked, so another plan's commit
        (a 2019 plan committed before a 2013 plan's reports were typed in) does not end a
        walk through the 2013 plan's dates. With `first`, a day before every such commit
        gets the first of them (the plan as it was first committed) rather than None.

        The line is walked in graph order, not by date: a commit made on a PC whose clock runs
        behind sits after newer-dated ones, and a date filter (`rev-list --before`) would pick
        it and everything under it. The day is compared as a timestamp, never parsed by git.
        """
        # Deferred: loads datetime and 1 more only when this runs
        import datetime as dt

        from duban.dates import end_of_day

        limit = end_of_day(dt.date.fromisoformat(when[:10]))
        line = self.first_parent_line(path)
        found = line[0][0] if first and line else None
        for sha, stamp in line:
            if stamp > limit:
                break
            found = sha
        return found

    def first_parent_line(self, path: str | None = None) -> tuple[tuple[str, int], ...]:
        """(sha, committer timestamp) along HEAD's first parents, oldest first; with `path`,
        those that change something under it (against their first parent).

        Kept for the commit HEAD names (commits never change): `list --as-of` over 50 plans
        asked for it 51 times, 0.3 s each on 20,000 commits."""
        head = self.head()
        if head is None:
            return ()
        key = (str(self.root), head, path or "")
        line = _FIRST_PARENT_LINES.get(key)
        if line is None:
            limit = ["--", path] if path else []
            text = self.out("log", "--first-parent", "--reverse", "--format=%H %ct", key[1], *limit)
            line = tuple((sha, int(stamp)) for sha, stamp in (row.split() for row in text.splitlines() if row))
            for kept in [k for k in _FIRST_PARENT_LINES if k[:2] != key[:2]]:
                del _FIRST_PARENT_LINES[kept]  # the lines of the HEAD of the repository in use are kept
            _FIRST_PARENT_LINES[key] = line
        return line

    def cat_files(self, objects: list[str]) -> list[str | None]:
        """Contents of `rev:path` objects from one cat-file --batch; None where missing."""
        if not objects:
            return []
        try:  # bytes in and out, so not through run(); its failures end the same way
            process = subprocess.run(
                command("cat-file", "--batch"),
                cwd=self.root,
                input="".join(f"{o}\n" for o in objects).encode(),
                capture_output=True,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
            )
        except OSError as error:
            raise GitError(_("cannot run git: {reason}").format(reason=error.strerror)) from None
        if process.returncode != 0:
            message = (process.stderr.decode("utf-8", "replace").strip() or "failed").splitlines()[-1]
            raise GitError(f"git cat-file: {message.removeprefix('fatal: ')}")
        return [
            None if blob is None else blob.decode("utf-8", errors="replace")
            for blob in batch_blobs(process.stdout, len(objects))
        ]

    def read_files(self, revision: str, folder: str) -> dict[str, str]:
        """Every file under `folder` at `revision`: one ls-tree and one cat-file --batch."""
        listing = self.out("ls-tree", "-r", "-z", revision, "--", folder)
        entries = [line.split("\t", 1) for line in listing.split("\0") if line]
        blobs = [(meta.split()[2], path) for meta, path in entries if meta.split()[1] == "blob"]
        if not blobs:
            return {}
        contents = self.cat_files([sha for sha, _path in blobs])
        return {path: text for (_sha, path), text in zip(blobs, contents) if text is not None}
