"""The remote's seals in `duban sync`: what a remote holds compared with the seals this clone
judges by, and the seals pushed back to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from duban.i18n import _
from duban.store.repository import Repository
from duban.supervise.seals.judging import judged
from duban.supervise.seals.memory import Memory
from duban.supervise.seals.office import not_the_office, restore_object
from duban.supervise.seals.tags import REMOTE_SEALS, describe, remote_seals

if TYPE_CHECKING:
    from duban.store.gitstore import Git


def after_fetch(repo: Repository, git: Git, remote: str) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """Compare the seals `remote` holds (fetched into REMOTE_SEALS) with those this clone judges
    by. Returns lines naming each difference, and the seals to push: (tag, object, force). A
    seal this clone judges by that the remote lacks is pushed (the office's new seal, or one
    deleted there); where the office names its keys, a seal of the office replaced there is
    put back by force (it is provably the office's; without keys it is only named). A seal of
    the office this clone lacks becomes a local tag; the remote's seals are remembered."""
    there = remote_seals(git, remote)
    found = judged(repo, None, git)
    memory = Memory(git.git_dir())
    lines: list[str] = []
    pushes: list[tuple[str, str, bool]] = []
    for name, seal_there in sorted(there.items()):
        mine = found.seals.get(name)
        if mine is None:
            why = not_the_office(git, seal_there, found.office, memory)
            if why:
                lines.append(
                    _("{remote} holds {tag}, which is not a seal of the office: {why}").format(
                        remote=remote, tag=name, why=why
                    )
                )
                continue
            if name not in found.tags:
                git.run("update-ref", f"refs/tags/{name}", seal_there.object, check=False)
            memory.remember(seal_there)
        elif seal_there.object != mine.object:
            lines.append(
                _(
                    "{remote} holds another tag under {tag} ({other}) than the seal this clone judges by "
                    "({mine}): replaced or moved there"
                ).format(remote=remote, tag=name, other=describe(seal_there), mine=describe(mine))
            )
            if found.office.signers is not None:
                pushes.append((name, mine.object, True))
    for name, mine in sorted(found.seals.items()):
        if name in there:
            continue
        if name in memory.remote.get(remote, {}):
            lines.append(
                _("{remote} no longer holds the seal {tag} ({object}): deleted there").format(
                    remote=remote, tag=name, object=memory.remote[remote][name][:10]
                )
            )
        if git.run("cat-file", "-e", mine.object, check=False).returncode != 0 and mine.raw:
            restore_object(git, mine.raw)
        pushes.append((name, mine.object, False))
    memory.set_remote(
        remote,
        {
            **{n: s.object for n, s in there.items() if n in found.seals and found.seals[n].object == s.object},
            **{n: o for n, o in memory.remote.get(remote, {}).items() if n not in there},
        },
    )
    memory.save()
    return lines, pushes


def push_seals(git: Git, remote: str, pushes: list[tuple[str, str, bool]], limit: float) -> list[str]:
    """Push the seals after_fetch chose; a line for each put back or not pushed."""
    lines = []
    memory = Memory(git.git_dir())
    for name, object_id, force in pushes:
        result = git.run_bounded(
            "push", "--quiet", remote, f"{'+' if force else ''}{object_id}:refs/tags/{name}", timeout=limit
        )
        if result.returncode != 0:
            lines.append(
                _("could not push the seal {tag} to {remote}: {reason}").format(
                    tag=name, remote=remote, reason=(result.stderr.strip().splitlines() or ["?"])[-1]
                )
            )
        else:
            git.run("update-ref", f"{REMOTE_SEALS}/{remote}/{name.removeprefix('duban/seal/')}", object_id, check=False)
            memory.set_remote(remote, {**memory.remote.get(remote, {}), name: object_id})
            if force:
                lines.append(_("put the office's seal {tag} back on {remote}").format(tag=name, remote=remote))
    memory.save()
    return lines
