#!/usr/bin/env python3
"""Generate a plan repository for benchmarks:
`python benchmarks/generate.py OUT --tasks 10000 --commits 5000 [--plans 1]`.

Each plan is shaped like the bundled Changning plan: its seven areas, its unit registry,
quarterly milestones, and task files of about 0.7-1.5 KB whose text is cut from the
sample tasks in tests/data. --plans spreads the tasks over that many plans (a provincial
office following every county's plan). With --commits, OUT is also a git repository whose
history has one commit with every file, then that many progress reports through 2019, each
a commit like `duban progress` makes (reports under their unit's key, the layout duban
writes), written at once with git fast-import. The same --seed
gives the same files and the same history.

Task files are written from a template in the style yaml_round_trip.dump_document gives (checked
against it for the first tasks, and used by it for any text the template cannot write
plainly): dump_document's ruamel round trip took 4 ms a file, 7 minutes for 100,000.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(HERE))  # benchmarks/gitpack.py

from duban.store import (  # noqa: E402 - after the path to this checkout is put first
    yaml_round_trip,
    yamlio,
)

AREAS = ["经济发展", "城区建设管理", "民生保障与社会建设", "公共安全", "社会事业", "政府自身建设", "政府实事"]
STATUSES = ["not_started", "in_progress", "in_progress", "in_progress", "done", "delayed"]


def corpus() -> tuple[list[str], list[str]]:
    """Sentences and unit names from the sample Changning plan."""
    sample = PROJECT / "tests/data/repo/plans/2019-changning"
    plan = yamlio.load_fast((sample / "plan.yaml").read_text(encoding="utf-8"), "plan.yaml")
    sentences: list[str] = []
    for path in sorted((sample / "tasks").glob("*.yaml")):
        doc = yamlio.load_fast(path.read_text(encoding="utf-8"), path.name)
        for text in [doc["text"], *doc.get("milestones", {}).values()]:
            sentences += [s + "。" for s in text.replace("。", "。\n").split("\n") if s.strip("。 ")]
    return sentences, [u["name"] for u in plan["units"]]


# A plain scalar the template may write as it is: no YAML indicator, no ': ' or ' #', nothing
# a resolver would read as another type. Anything else goes through dump_document.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^\n]*")


def _plain(text: str) -> bool:
    return (
        bool(_PLAIN.fullmatch(text))
        and ": " not in text
        and " #" not in text
        and text == text.strip()
        and not text.endswith(":")
        and text.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "~")
    )


def task_document(fields: dict[str, object]) -> str:
    """The task file dump_document writes for these fields (same bytes), from a template."""
    strings = [
        fields["title"],
        fields["text"],
        fields["area"],
        fields["status"],
        *fields["lead"],  # type: ignore[misc]
        *fields["support"],
        *fields.get("milestones", {}).values(),
    ]  # type: ignore[attr-defined]
    if not all(_plain(str(text)) for text in strings):
        return yaml_round_trip.dump_document(fields, "../../../schema/task.schema.json")
    lines = [
        "# " + yaml_round_trip.SCHEMA_COMMENT.format("../../../schema/task.schema.json"),
        f"id: {fields['id']}",
        f"title: {fields['title']}",
        f"text: {fields['text']}",
        f"area: {fields['area']}",
        "lead:",
        *(f"  - {u}" for u in fields["lead"]),  # type: ignore[attr-defined]
        "support:",
        *(f"  - {u}" for u in fields["support"]),
    ]  # type: ignore[attr-defined]
    if fields.get("milestones"):
        lines += ["milestones:", *(f"  {q}: {m}" for q, m in fields["milestones"].items())]  # type: ignore[attr-defined]
    source = fields["source"]
    lines += [
        f"status: {fields['status']}",
        *progress_lines(fields["progress"]),  # type: ignore[arg-type]
        "source:",
        f"  document: {source['document']}",  # type: ignore[index]
        f"  lines: [{source['lines'][0]}, {source['lines'][1]}]",
    ]  # type: ignore[index]
    return "\n".join(lines) + "\n"


def progress_lines(progress: dict[str, list[dict[str, object]] | None]) -> list[str]:
    """The keyed progress block as duban writes it: each of the task's units a key, its
    reports under it oldest first, a unit with none an empty key."""
    lines = ["progress:"]
    for unit, reports in progress.items():
        lines.append(f"  {unit}:")
        for report in reports or ():
            lines += [
                f"    - date: {report['date']}",
                f"      percent: {report['percent']}",
                f"      note: {report['note']}",
            ]
    return lines


def plan_ids(plans: int) -> list[str]:
    return ["2019-bench"] if plans == 1 else [f"2019-county-{number:03d}" for number in range(1, plans + 1)]


def generate(out: Path, tasks: int, seed: int, plans: int = 1) -> list[Path]:
    rng = random.Random(seed)
    sentences, units = corpus()
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(PROJECT / "schema", out / "schema", ignore=shutil.ignore_patterns("__*"))
    folders = []
    per_plan = -(-tasks // plans)
    checked = 0
    for index, plan_id in enumerate(plan_ids(plans)):
        count = min(per_plan, tasks - index * per_plan)
        folder = out / "plans" / plan_id
        folders.append(folder)
        checked = _write_plan(folder, plan_id, count, rng, sentences, units, checked)
    return folders


def _write_plan(
    folder: Path, plan_id: str, tasks: int, rng: random.Random, sentences: list[str], units: list[str], checked: int
) -> int:
    (folder / "tasks").mkdir(parents=True)
    (folder / "plan.yaml").write_text(
        yaml_round_trip.dump_document(
            {
                "id": plan_id,
                "title": "基准测试计划",
                "year": 2019,
                "reporting": {"day_of_month": 25, "to": "区政府办公室督查科"},
                "roles": {"lead": "主责部门", "support": "配合部门"},
                "areas": [{"name": a} for a in AREAS],
                "units": [{"name": u, "kind": "department"} for u in units],
            },
            "../../schema/plan.schema.json",
        ),
        encoding="utf-8",
    )
    shorts = [s for s in sentences if len(s) < 60]
    for number in range(1, tasks + 1):
        text = "".join(rng.sample(sentences, rng.randint(1, 3)))
        fields: dict[str, object] = {
            "id": number,
            "title": text.split("。")[0].split(",")[0][:30],
            "text": text,
            "area": rng.choice(AREAS),
            "lead": rng.sample(units, 1),
            "support": rng.sample(units, rng.randint(1, 5)),
            "milestones": {f"Q{q}": rng.choice(sentences) for q in range(1, 5) if rng.random() < 0.7},
            "status": rng.choice(STATUSES),
            "source": {"document": "generated", "lines": [number, number]},
        }
        fields["progress"] = {unit: None for unit in dict.fromkeys([*fields["lead"], *fields["support"]])}  # type: ignore[misc]
        fields["source"] = fields.pop("source")  # after progress, as in duban's files
        if not fields["milestones"]:
            del fields["milestones"]
        document = task_document(fields)
        # Keep files within 0.7-1.5 KB, the size of the bundled plans' task files.
        while len(document.encode()) < 700 or len(document.encode()) > 1500:
            if len(document.encode()) > 1500 and fields["text"] in shorts:  # the text alone cannot shrink it
                if len(fields["support"]) > 1:  # type: ignore[arg-type]
                    fields["support"] = fields["support"][:-1]  # type: ignore[index]
                    fields["progress"] = {unit: None for unit in dict.fromkeys([*fields["lead"], *fields["support"]])}  # type: ignore[misc]
                elif len(fields.get("milestones", {})) > 1:  # type: ignore[arg-type]
                    fields["milestones"].popitem()  # type: ignore[attr-defined]
                else:
                    break
                document = task_document(fields)
                continue
            short = rng.choice(shorts)
            fields["text"] = short + ("" if len(document.encode()) > 1500 else str(fields["text"]))
            document = task_document(fields)
        if checked < 50:  # the template writes what dump_document writes
            assert document == yaml_round_trip.dump_document(fields, "../../../schema/task.schema.json"), fields
            checked += 1
        (folder / "tasks" / f"{number}.yaml").write_text(document, encoding="utf-8")
    return checked


def write_history(out: Path, commits: int, seed: int) -> None:
    """One commit with every file, then `commits` progress commits, written as one pack
    (benchmarks/gitpack.py: git fast-import took hours at 10,000 tasks)."""
    import datetime as dt
    import subprocess

    from gitpack import History

    rng = random.Random(seed + 1)
    files = {p: p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    history = History(out, {path.relative_to(out).as_posix(): text for path, text in files.items()})
    start = dt.datetime(2019, 1, 31, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    history.first_commit(f"Planner <planner@example.invalid> {int(start.timestamp())} +0800", "plans")
    task_paths = sorted(p for p in files if p.parent.name == "tasks")
    percents: dict[Path, int] = {}
    reports: dict[Path, dict[str, list[dict[str, object]] | None]] = {}  # each file's progress, by unit
    span = (dt.datetime(2019, 12, 20, tzinfo=start.tzinfo) - start).total_seconds()
    for number in range(commits):
        when = start + dt.timedelta(seconds=span * (number + 1) / (commits + 1))
        path = rng.choice(task_paths)
        percent = min(100, percents.get(path, 0) + rng.choice((5, 10, 15, 20, 25)))
        percents[path] = percent
        if path not in reports:
            reports[path] = yamlio.load_fast(files[path], str(path))["progress"]
        progress = reports[path]
        # A unit of the task's own, as `duban progress` and `validate` require, under its key.
        unit = rng.choice(list(progress))
        progress[unit] = [
            *(progress[unit] or []),
            {"date": when.date().isoformat(), "percent": percent, "note": f"第{number + 1}次报送,按计划推进"},
        ]
        status = "done" if percent == 100 else "in_progress"
        head, _, rest = files[path].partition("progress:\n")
        source = rest[rest.index("source:\n") :]
        head = (
            head.replace("status: not_started", f"status: {status}")
            .replace("status: in_progress", f"status: {status}")
            .replace("status: delayed", f"status: {status}")
        )
        files[path] = head + "\n".join(progress_lines(progress)) + "\n" + source
        ref = f"{path.parent.parent.name}/{path.stem}"
        history.commit(
            path.relative_to(out).as_posix(),
            files[path],
            f"填报员 <reporter@example.invalid> {int(when.timestamp())} +0800",
            f"{ref}: 进度 {percent}% ({status})\n\n第{number + 1}次报送,按计划推进\n\nTask: {ref}\n"
            f"Reported-by: {unit}\nPercent: {percent}\nStatus: {status}\nReport-date: {when.date()}\n",
        )
    history.close("main")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=out, check=True)
    # Changed-path Bloom filters make `git log -- path` skip commits that did not touch it.
    subprocess.run(
        ["git", "commit-graph", "write", "--reachable", "--changed-paths"], cwd=out, check=True, capture_output=True
    )
    subprocess.run(["git", "config", "user.name", "Benchmark"], cwd=out, check=True)
    subprocess.run(["git", "config", "user.email", "benchmark@example.invalid"], cwd=out, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to create (replaced if it exists)")
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--plans", type=int, default=1, help="spread the tasks over this many plans")
    parser.add_argument("--commits", type=int, default=0, help="progress commits to write (makes OUT a git repository)")
    args = parser.parse_args()
    folders = generate(args.out, args.tasks, args.seed, args.plans)
    if args.commits:
        write_history(args.out, args.commits, args.seed)
    sizes = [p.stat().st_size for folder in folders for p in (folder / "tasks").iterdir()]
    print(
        f"{len(sizes)} task files in {len(folders)} plan(s) in {args.out}, {min(sizes)}-{max(sizes)} bytes, "
        f"mean {sum(sizes) // len(sizes)}" + (f"; {args.commits} progress commits" if args.commits else ""),
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
