"""What a bundle of `duban sync --to` carries, in Chinese words for the security officer who
lets it across (FILE.manifest.txt): each report by task, unit, date and percent, and the
other changes by task."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from duban.i18n import _, ngettext
from duban.progress import flat
from duban.store import yamlio
from duban.store.gitstore import Git


def _task_reports(git: Git, revision: str | None, path: str) -> tuple[list[str], dict[str, Any]]:
    """A task file's reports (as canonical JSON, to compare) and its other fields, at `revision`."""
    if revision is None:
        return [], {}
    shown = git.run("show", f"{revision}:{path}", check=False)
    if shown.returncode != 0:
        return [], {}
    try:
        data = yamlio.load_fast(shown.stdout, path)
    except Exception:  # a file that does not parse is listed as a change, not read
        return [], {"?": shown.stdout}
    if not isinstance(data, dict):
        return [], {"?": shown.stdout}
    reports = [
        json.dumps(report, ensure_ascii=False, sort_keys=True, default=str)
        for report in flat(data.get("progress"))
        if isinstance(report, dict)
    ]
    return reports, {key: value for key, value in data.items() if key != "progress"}


def carried_reports(git: Git, base: str | None, head: str) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """What a bundle from `base` to `head` carries: the reports new at head, as (task ref, report),
    and the other changed files."""
    if base:
        paths = git.names("diff", "--name-only", "--no-renames", base, head, "--")
    else:
        paths = git.names("ls-tree", "-r", "--name-only", head)
    reports: list[tuple[str, dict[str, Any]]] = []
    other: list[str] = []
    for path in paths:
        parts = path.split("/")
        if len(parts) == 4 and parts[0] == "plans" and parts[2] == "tasks" and parts[3].endswith(".yaml"):
            before, fields_before = _task_reports(git, base, path)
            after, fields_after = _task_reports(git, head, path)
            seen = list(before)
            added = 0
            for text in after:
                if text in seen:
                    seen.remove(text)
                else:
                    added += 1
                    reports.append((f"{parts[1]}/{parts[3].removesuffix('.yaml')}", json.loads(text)))
            if added:  # a report sets the task's status: part of the report, not another change
                fields_before.pop("status", None)
                fields_after.pop("status", None)
            if fields_before != fields_after or seen:
                other.append(path)
        else:
            other.append(path)
    return reports, other


def manifest_text(git: Git, path: Path, meta: dict[str, Any], commits: int, seals: list[str]) -> str:
    base, head = meta["assumes"], meta["head"]
    reports, other = carried_reports(git, base, head)
    plans = sorted(
        {ref.split("/")[0] for ref, _report in reports}
        | {name.split("/")[1] for name in other if name.startswith("plans/") and name.count("/") >= 2}
    )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    lines = [
        _("duban exchange bundle: manifest"),
        "",
        _("file: {name} ({size} bytes, SHA-256 {digest})").format(
            name=path.name, size=path.stat().st_size, digest=digest
        ),
        _("from: {sender}   to: {peer}   written: {when}").format(
            sender=meta["from"], peer=meta["to"], when=meta["created"]
        ),
        _("branch: {branch}").format(branch=meta["branch"]),
        _("plans: {plans}").format(plans=", ".join(plans) or "-"),
    ]
    if base:
        lines.append(
            ngettext(
                "history: {base}..{head} ({count} commit)", "history: {base}..{head} ({count} commits)", commits
            ).format(base=base[:12], head=head[:12], count=commits)
        )
        lines.append(
            _(
                "assumes the receiver has {base} (the last state received from it); a side that lacks it "
                "asks for a full bundle: duban sync --to FILE --peer NAME --full"
            ).format(base=base[:12])
        )
    else:
        lines.append(
            ngettext(
                "history: all, up to {head} ({count} commit)", "history: all, up to {head} ({count} commits)", commits
            ).format(head=head[:12], count=commits)
        )
        lines.append(_("assumes nothing: the bundle carries the whole history"))
    lines += [
        "",
        ngettext("{count} progress report:", "{count} progress reports:", len(reports)).format(count=len(reports)),
    ]
    for ref, report in sorted(reports, key=lambda item: (item[0], str(item[1].get("date", "")))):
        percent = report.get("percent")
        lines.append(
            "  "
            + _("{ref}  {unit}  {date}  {percent}%").format(
                ref=ref,
                unit=report.get("by", "-"),
                date=report.get("date", "-"),
                percent=f"{percent:g}"
                if isinstance(percent, (int, float))
                else (percent if percent is not None else "-"),
            )
        )
    lines += ["", ngettext("{count} other change:", "{count} other changes:", len(other)).format(count=len(other))]
    lines += [f"  {name}" for name in other]
    lines += ["", ngettext("{count} seal tag:", "{count} seal tags:", len(seals)).format(count=len(seals))]
    lines += [f"  {name.removeprefix('refs/tags/')}" for name in seals]
    return "\n".join(lines) + "\n"
