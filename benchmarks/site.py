#!/usr/bin/env python3
"""Time `duban site` on a generated repository against its floor:
`python benchmarks/site.py /tmp/bench1k --tasks 1000 --commits 500`, or with a year of
reports (every task reported on once a month: 12 commits a task) at 1,000 and 10,000 tasks:
`python benchmarks/site.py /tmp/site1k --tasks 1000 --year` and
`python benchmarks/site.py /tmp/site10k --tasks 10000 --year`.

The site shows, for every period, the figures of that period's circular, and the ledger and
scores of its day: it cannot take less than the core takes to give those. So the floor is the
sum of the core's own commands for the same figures, each a process as a user runs it: one
`duban circular --month M` for every period the site shows, `duban export --format html` and
`duban score`. Three builds are timed: into an empty folder, again with nothing changed
(it stops at the digest of what it read, the pages left alone), and after one more report (only what it touches is
written). The repository is made by benchmarks/generate.py when the folder does not exist.

Floor and target. The floor is the figure above, measured in the same run. The target: a
first build no slower than the floor (ratio at most 1.0), a build with nothing changed and a
rebuild after one report at most 0.5x the floor, the rebuild writing only the pages the
report touches (about 20 files at 1,000 tasks). Measured on 2026-12-07 at 1,000 tasks with
a year (load average 10-14 on this 2-core machine): floor 683.5 s, first build 0.71x,
nothing changed 0.61x, after one report 0.54x (21 files written). Since then a build with
nothing changed stops at the digest of what it read (duban/site/fingerprint.py). At
10,000 tasks with a year (generated in 4.5 minutes; load average 1.4-3.3, 20:52-21:32 UTC),
with --no-floor: first build 1,577 s, nothing changed 3.5 s, after one report 748 s (21 files written, load up to 8.8);
with --floor-only on
2026-12-08 the floor at 10,000 took 1,663 s of CPU (4,218 s wall under load 2-13): by CPU time the
first build is 0.82x, nothing changed 0.001x, after one report 0.29x (docs/benchmarks.md, "The static site").
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DUBAN = [sys.executable, "-m", "duban"]


CPU = [0.0]  # the user CPU time of every command timed so far, which load distorts less than wall time


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr[-500:]}")
    CPU[0] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before
    return time.perf_counter() - start, done.stderr


def load() -> str:
    """The machine's load average over the last 1, 5 and 15 minutes, to read a time by."""
    return "load average " + ", ".join(f"{figure:.1f}" for figure in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--year", action="store_true", help="a year of reports: 12 progress commits a task")
    parser.add_argument(
        "--no-floor", action="store_true", help="time the builds only (the floor takes hours at 10,000)"
    )
    parser.add_argument(
        "--floor-only",
        action="store_true",
        help="time the floor only, each command on its own line (to set beside builds timed in another run)",
    )
    args = parser.parse_args()
    if args.year:
        args.commits = 12 * args.tasks
    repo = args.repo.resolve()
    if not repo.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(repo),
                "--tasks",
                str(args.tasks),
                "--commits",
                str(args.commits),
            ],
            check=True,
        )
    sys.path.insert(0, str(HERE.parent))
    from duban.store.repository import Repository
    from duban.supervise import deadlines
    from duban.supervise.scoring import default_as_of

    store = Repository(repo)
    plan_id = store.plan_ids()[0]
    plan = store.plan(plan_id)
    day = default_as_of(plan)
    months = [
        f"{d.last.year}-{d.last.month:02d}"
        for d in deadlines.periods(plan)
        if deadlines.month_as_of(plan, d.last.year, d.last.month) <= day
    ]
    out = repo.parent / (repo.name + "-site")
    shutil.rmtree(out, ignore_errors=True)
    floor = 0.0
    for month in [] if args.no_floor else months:
        took = timed(
            [
                *DUBAN,
                "circular",
                "--plan",
                plan_id,
                "--month",
                month,
                "--date",
                day.isoformat(),
                "-o",
                str(repo.parent / "floor-circular.html"),
            ],
            repo,
        )[0]
        floor += took
        if args.floor_only:
            print(f"circular --month {month}: {took:.1f} s, CPU (user) {CPU[0]:.1f} s; {load()}", flush=True)
    if not args.no_floor:
        for name, command in (
            (
                "export --format html",
                [*DUBAN, "export", "--plan", plan_id, "--format", "html", "-o", str(repo.parent / "floor.html")],
            ),
            ("score", [*DUBAN, "score", "--plan", plan_id, "--format", "json"]),
        ):
            took = timed(command, repo)[0]
            floor += took
            if args.floor_only:
                print(f"{name}: {took:.1f} s, CPU (user) {CPU[0]:.1f} s; {load()}", flush=True)
    if args.floor_only:
        print(f"floor: {floor:.1f} s, {len(months)} periods, as of {day}")
        return
    first, said = timed([*DUBAN, "site", "--plan", plan_id, "-o", str(out)], repo)
    print(f"{len(store.load_tasks(plan_id).tasks)} tasks, {len(months)} periods, as of {day}")
    floor = floor or float("nan")
    print(f"floor (the core's documents for the same figures): {floor:.1f} s; {load()}")
    print(
        f"site, first build: {first:.1f} s ({first / floor:.2f}x the floor); {said.strip().splitlines()[-1]}; {load()}"
    )
    again, said = timed([*DUBAN, "site", "--plan", plan_id, "-o", str(out)], repo)
    print(f"site, nothing changed: {again:.1f} s ({again / floor:.2f}x); {said.strip().splitlines()[-1]}; {load()}")
    task = store.load_tasks(plan_id).tasks[0]
    unit = (task.lead or task.support or ("",))[0]
    env = {
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_DATE": f"{day.isoformat()}T09:00:00+08:00",
        "GIT_AUTHOR_DATE": f"{day.isoformat()}T09:00:00+08:00",
    }
    timed(
        [
            *DUBAN,
            "progress",
            task.ref,
            "--percent",
            "99",
            "--by",
            unit,
            "--date",
            day.isoformat(),
            "--note",
            "benchmark",
        ],
        repo,
        env,
    )
    after, said = timed([*DUBAN, "site", "--plan", plan_id, "-o", str(out)], repo)
    print(f"site, after one report: {after:.1f} s ({after / floor:.2f}x); {said.strip().splitlines()[-1]}; {load()}")


if __name__ == "__main__":
    main()
