"""The seal tags a bundle carries (`duban sync --from FILE`, duban.record.exchange), compared as
`duban sync` compares a remote's: fetched into duban's refs for that sender's seals, then
after_fetch names each difference and makes an office's seal this clone lacks a local tag.
Nothing is pushed back: the next `duban sync --to` carries this clone's seals."""

from __future__ import annotations

from pathlib import Path

from duban.record.exchange import SEAL_TAGS, ref_key
from duban.store.repository import Repository
from duban.supervise.seals.remote import after_fetch
from duban.supervise.seals.tags import REMOTE_SEALS


def receive_seals(repo: Repository, path: Path, sender: str) -> list[str]:
    git = repo.git
    label = f"bundle-{ref_key(sender)}"
    # The sender's seals as the bundle holds them: last time's are dropped first (sync's rule).
    stale = git.out("for-each-ref", "--format=%(refname)", f"{REMOTE_SEALS}/{label}/").split()
    if stale:
        git.run("update-ref", "--stdin", input="".join(f"delete {ref}\n" for ref in stale), check=False)
    git.run("fetch", "--quiet", "--no-tags", str(path), f"+{SEAL_TAGS}*:{REMOTE_SEALS}/{label}/*", check=False)
    warnings, _pushes = after_fetch(repo, git, label)
    return warnings
