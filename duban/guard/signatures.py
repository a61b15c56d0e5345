"""Who signed each report: per unit, its report commits signed by a key of one of its own accounts,
unsigned, signed by the office, or signed by any other key (access.yaml's keys; offline, from any copy).
`duban guard --signatures` and `duban verify` show the same lines (described)."""

from __future__ import annotations

import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from duban.guard import access as access_file
from duban.i18n import _
from duban.reading import normalise_unit_name
from duban.store.gitstore import OPTIONS

SIGNED, UNSIGNED, OFFICE, OTHER = "signed", "unsigned", "office", "other"


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *OPTIONS, *args], cwd=root, capture_output=True, text=True, encoding="utf-8", errors="replace"
    )


def has_access_file(root: Path, revision: str = "HEAD") -> bool:
    return _git(root, "cat-file", "-e", f"{revision}:{access_file.FILE}").returncode == 0


def signatures(root: Path, revision: str = "HEAD", plan_id: str | None = None) -> dict[str, Counter[str]]:
    """unit -> how many of its report commits (a `Reported-by:` trailer) up to `revision` fall in
    each of SIGNED, UNSIGNED, OFFICE and OTHER, judged by the access file at `revision`; with
    `plan_id`, only the reports on that plan's tasks (their `Task:` trailer)."""
    shown = _git(root, "show", f"{revision}:{access_file.FILE}")
    rights, _problems = access_file.parse(shown.stdout) if shown.returncode == 0 else (access_file.Access(), [])
    lines = [f'{account.name} namespaces="git" {key}' for account in rights.accounts.values() for key in account.keys]
    counts: dict[str, Counter[str]] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".allowed", encoding="utf-8") as allowed:
        allowed.write("\n".join(lines) + "\n")
        allowed.flush()
        log = _git(
            root,
            "-c",
            f"gpg.ssh.allowedSignersFile={allowed.name}",
            "log",
            "--no-merges",
            "--format=%G?%x1f%GS%x1f%(trailers:key=Reported-by,valueonly,separator=%x1d)"
            "%x1f%(trailers:key=Task,valueonly,separator=%x1d)%x1e",
            revision,
        )
    for record in log.stdout.split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) != 4 or not fields[2].strip():
            continue
        status, signer, unit = fields[0], fields[1], fields[2].split("\x1d")[0].strip()
        if plan_id is not None and fields[3].split("\x1d")[0].strip().split("/")[0] != plan_id:
            continue
        account = rights.account(signer) if status == "G" else None
        if status in ("N", ""):
            kind = UNSIGNED
        elif account is not None and account.is_office:
            kind = OFFICE
        elif account is not None and account.unit and normalise_unit_name(account.unit) == normalise_unit_name(unit):
            kind = SIGNED
        else:
            kind = OTHER
        counts.setdefault(unit, Counter())[kind] += 1
    return counts


def described(counts: dict[str, Counter[str]]) -> list[str]:
    """One line per unit, in the language set: the figures `guard --signatures` and `verify` show."""
    return [
        _(
            "{unit}: {signed} signed, {unsigned} unsigned, {office} signed by the office, "
            "{other} signed by a key not the unit's"
        ).format(unit=unit, signed=found[SIGNED], unsigned=found[UNSIGNED], office=found[OFFICE], other=found[OTHER])
        for unit, found in sorted(counts.items())
    ]
