"""`duban init --server DIR`: the shared bare repository, with `duban guard` as its pre-receive hook."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from duban.errors import DubanError
from duban.i18n import _
from duban.store.gitstore import OPTIONS

SETTINGS = (
    ("receive.denyNonFastForwards", "true"),  # no force-push rewrites the record
    ("receive.denyDeletes", "true"),  # no branch or seal is deleted
    ("receive.fsckObjects", "true"),  # no malformed object is stored
    ("core.sharedRepository", "group"),
)


def hook_script(python: str | None = None) -> str:
    """The pre-receive hook: this duban's Python runs `duban guard` on the pushed refs."""
    return (
        "#!/bin/sh\n"
        "# duban guard: refuses a push that breaks the write rights in access.yaml (see duban guard --help)\n"
        f"exec {shlex.quote(python or sys.executable)} -m duban guard\n"
    )


def init_server(folder: Path, offices: tuple[str, ...] = (), branch: str = "main") -> list[str]:
    """Make `folder` a bare repository guarded by duban (or guard an existing one); what was done."""
    done: list[str] = []
    if not (folder / "HEAD").is_file():
        if folder.exists() and any(folder.iterdir()):
            raise DubanError(_("{folder} is not empty and not a bare repository").format(folder=folder))
        result = subprocess.run(
            ["git", *OPTIONS, "init", "--quiet", "--bare", f"--initial-branch={branch}", str(folder)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise DubanError(_("git init failed: {reason}").format(reason=result.stderr.strip()))
        done.append(str(folder))
    for key, value in SETTINGS:
        subprocess.run(["git", *OPTIONS, "--git-dir", str(folder), "config", key, value], check=True)
    for office in offices:
        subprocess.run(
            ["git", *OPTIONS, "--git-dir", str(folder), "config", "--add", "duban.office", office], check=True
        )
    hook = folder / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(hook_script(), "utf-8")
    hook.chmod(0o755)
    done.append(str(hook))
    return done
