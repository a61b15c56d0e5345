"""`duban sync --from FILE` judged by the access file: the commits a bundle brings are refused where
the shared repository's guard would refuse them pushed by the bundle's account (the same rules and
the same lines, duban.guard.hook), before anything is merged."""

from __future__ import annotations

from pathlib import Path

from duban.guard import access as access_file
from duban.guard.hook import Guard
from duban.guard.received import ReceivingGit


def bundle_refusals(root: Path, git_dir: Path, account: str | None, head: str) -> list[str]:
    """The guard's lines for the commits `head` brings into the clone at `root` (those its branch
    lacks), pushed as `account`; [] where the clone's branch has no access file: no rules to follow."""
    git = ReceivingGit(str(git_dir))
    if git.run("cat-file", "-e", f"HEAD:{access_file.FILE}", check=False).returncode != 0:
        return []
    rights, _problems = access_file.parse(git.show("HEAD", access_file.FILE) or "")
    sender = rights.account(account) if account else None
    guard = Guard(git, account, relayed=sender is not None and sender.is_office)
    return [refusal.line() for refusal in guard.brought(head)]
