#!/usr/bin/env python3
"""Time duban's commands and their peers as whole processes: `python benchmarks/run.py OUT`.

The whole suite in one command: when OUT does not exist it is generated first (--tasks,
10,000 by default, in one plan with 5,000 progress commits; 100,000 in 50 plans with 20,000
commits; seed 2019), and the terminal UI's timings follow the table. The operations run in
rounds, each once a round, --runs rounds after a warm-up round; the table gives median, min
and max wall time and peak memory (max RSS of the process); the ratios after it compare each
figure with its floor or peer measured in the same rounds (the interpreter importing duban's
CLI, a C-loader parse plus compiled schema check, git log), so a busy machine weighs on both.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


# The commands run as a user's do, with Python's bytecode cache (an environment that turns it
# off would have every process compile duban's modules again: 0.04 s of a `list`).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time of one run, and its max RSS (KiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(
            f"benchmark command failed ({code}): {' '.join(argv)}\n"
            f"{process.stderr.read().decode() if process.stderr else ''}"
        )
    return elapsed, usage.ru_maxrss


class AsideCache:
    """Around a first-run measurement: the cache moved aside (untimed) and put back after, so
    the commands measured next in the same round still find it warm."""

    def __init__(self, repo: Path) -> None:
        self.cache = repo / ".git/duban-cache"
        self.kept = repo / ".git/duban-cache.kept"

    def __enter__(self) -> None:
        shutil.rmtree(self.kept, ignore_errors=True)
        if self.cache.exists():
            self.cache.rename(self.kept)

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)
        if self.kept.exists():
            self.kept.rename(self.cache)


AGAINST = " [against]"  # the name of an operation run by the older checkout of --against


def measure_rounds(
    operations: list[tuple[str, list[str]]], repo: Path, runs: int, against: tuple[Path, Path] | None = None
) -> dict[str, tuple[list[float], int]]:
    """Each operation once per round, round after round (after a warm-up round), so a load
    that comes and goes on a shared machine weighs on a figure and its floor alike. With
    `against` (an older checkout, and a copy of the repository for it, so that neither
    version's cache is the other's), each duban operation is run by the older code too,
    right after, in the same rounds."""
    if against is not None:
        older, copy = against
        operations = [
            twin
            for name, argv in operations
            for twin in ([(name, argv), (name + AGAINST, argv)] if _is_duban(argv) else [(name, argv)])
        ]
        older_env = {**ENV, "PYTHONPATH": str(older)}
    found: dict[str, tuple[list[float], int]] = {name: ([], 0) for name, _argv in operations}
    for attempt in range(runs + 1):
        for name, argv in operations:
            twin = name.endswith(AGAINST)
            folder = copy if twin else repo
            cold = name.removesuffix(AGAINST).endswith("(first run)")
            with AsideCache(folder) if cold else contextlib.nullcontext():
                elapsed, peak = run_once(argv, folder, older_env if twin else None)
            if attempt:  # the first round only warms the file cache and duban's
                times, top = found[name]
                times.append(elapsed)
                found[name] = (times, max(top, peak))
    return found


def _is_duban(argv: list[str]) -> bool:
    return Path(argv[0]).name == "duban" or "import duban.cli.main" in argv


def shape(tasks: int) -> tuple[int, int]:
    """(plans, commits) of a generated repository of `tasks` task files: one plan and a
    commit for every second task up to 10,000 (the first benchmark); beyond, plans of 2,000
    tasks and a commit for every fifth (100,000 tasks: 50 plans, 20,000 commits)."""
    return (1, tasks // 2) if tasks <= 10_000 else (-(-tasks // 2_000), tasks // 5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a repository made by benchmarks/generate.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=10_000, help="task files to generate when REPO does not exist")
    parser.add_argument("--no-tui", action="store_true", help="skip the terminal UI timings")
    parser.add_argument(
        "--against",
        type=Path,
        metavar="CHECKOUT",
        help="also run every duban command with an older checkout's code (git worktree add DIR COMMIT), "
        "in the same rounds, on a copy of REPO, and print each figure against it",
    )
    args = parser.parse_args()
    repo = args.repo.resolve()
    if not repo.exists():
        plans, commits = shape(args.tasks)
        print(f"generating {repo} ({args.tasks:,} tasks in {plans} plan(s), {commits:,} commits)", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(repo),
                "--tasks",
                str(args.tasks),
                "--plans",
                str(plans),
                "--commits",
                str(commits),
            ],
            check=True,
        )
    plan_folders = sorted(p for p in (repo / "plans").iterdir() if p.is_dir())
    plan = plan_folders[0]
    duban = str(BIN / "duban")
    python = sys.executable
    check_jsonschema = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    tasks = sorted(str(p) for folder in plan_folders for p in (folder / "tasks").glob("*.yaml"))
    if len(tasks) > 10_000:
        check_jsonschema = None  # 100,000 paths do not fit on a command line, and it would take minutes

    operations: list[tuple[str, list[str]]] = [
        ("python -c pass", [python, "-c", "pass"]),
        ("import duban.cli.main", [python, "-c", "import duban.cli.main"]),
        ("duban --help", [duban, "--help"]),
        ("duban validate (first run)", [duban, "validate"]),
        (
            "C loader + jsonschema_rs",
            [python, str(HERE / "baseline_validate.py"), str(repo / "plans"), str(repo / "schema/task.schema.json")],
        ),
        ("duban validate", [duban, "validate"]),
        ("duban list QUERY", [duban, "list", "lead:fgw", "--format", "json"]),
        ("duban list --format json", [duban, "list", "--format", "json"]),
        ("git status", ["git", "status", "--porcelain"]),
    ]
    if check_jsonschema:
        operations.insert(
            4, ("check-jsonschema", [check_jsonschema, "--schemafile", str(repo / "schema/task.schema.json"), *tasks])
        )

    if (repo / ".git").exists():
        busiest = subprocess.run(
            ["git", "log", "--format=%(trailers:key=Task,valueonly)"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        ref = max(set(busiest), key=busiest.count)
        path = f"plans/{ref.split('/')[0]}/tasks/{ref.split('/')[1]}.yaml"
        operations += [
            ("duban history --patch", [duban, "history", ref, "--patch"]),
            ("git log -p + python", ["sh", "-c", f"{python} -c pass && git log -p -- {path}"]),
            ("duban diff (one month)", [duban, "diff", "--since", "2019-06-01", "--until", "2019-06-30"]),
            ("duban log (one plan)", [duban, "log", "--plan", plan.name]),
            ("duban list --as-of", [duban, "list", "--as-of", "2019-06-30", "--format", "json"]),
            # Reads the whole history for the reports typed in after their deadline (entries.py).
            (
                "duban circular (one month)",
                [
                    duban,
                    "circular",
                    "--plan",
                    plan.name,
                    "--month",
                    "2019-06",
                    "--format",
                    "md",
                    "-o",
                    str(repo.parent / "benchmark-circular.md"),
                ],
            ),
        ]
    against = None
    if args.against is not None:
        copy = repo.parent / f"{repo.name}-against"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(repo, copy, symlinks=True)
        against = (args.against.resolve(), copy)
    measured = measure_rounds(operations, repo, args.runs, against)
    if (repo / ".git").exists():  # last and on its own: it changes a file, so what follows is not warm
        measured.update(
            measure_rounds(
                [
                    (
                        "duban progress",
                        [duban, "progress", ref, "--percent", "100", "--date", "2019-12-31", "--note", "benchmark"],
                    )
                ],
                repo,
                args.runs,
                against,
            )
        )

    results: dict[str, float] = {}
    rows = []
    for name, (times, peak) in measured.items():
        results[name] = statistics.median(times)
        rows.append((name, statistics.median(times), min(times), max(times), peak / 1024))
    print(
        f"{time.strftime('%Y-%m-%d')}: {len(tasks):,} task files in {len(plan_folders)} plan(s), "
        f"{args.runs} runs each, {os.cpu_count()} cores\n"
    )
    print(f"{'operation':<28} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MB':>8}")
    for name, median, low, high, peak_mb in rows:
        print(f"{name:<28} {median:>9.3f} {low:>7.3f} {high:>7.3f} {peak_mb:>8.1f}")
    print()

    lowest = {name: min(times) for name, (times, _peak) in measured.items()}

    def ratio(name: str, floor: str, target: str) -> None:
        if name in results and floor in results:
            print(
                f"{name} / {floor}:".ljust(62) + f"{results[name] / results[floor]:5.2f}  (of the minimums: "
                f"{lowest[name] / lowest[floor]:.2f}; target: {target})"
            )

    ratio("duban validate", "import duban.cli.main", "at most 2")
    ratio("duban list QUERY", "import duban.cli.main", "at most 2")
    ratio("duban validate (first run)", "C loader + jsonschema_rs", "at most 1.3")
    ratio("duban validate (first run)", "check-jsonschema", "at most 0.25")
    ratio("duban history --patch", "git log -p + python", "at most 2")
    ratio("duban --help", "import duban.cli.main", "unchanged or better")
    if against is not None:
        print(f"\nagainst {args.against} (the same operations, the same rounds; medians, then minimums):")
        for name in [name for name in results if name + AGAINST in results]:
            print(
                f"  {name:<28} {results[name]:7.3f} s / {results[name + AGAINST]:7.3f} s = "
                f"{results[name] / results[name + AGAINST]:5.2f}   (minimums: "
                f"{lowest[name] / lowest[name + AGAINST]:.2f})"
            )
    print(
        f"duban list QUERY: {results['duban list QUERY']:.2f} s (target at 100,000 tasks: under 0.5 s); "
        f"peak memory of any command: {max(row[4] for row in rows):.0f} MB (target: under 1 GB)"
    )
    if not args.no_tui:
        print()
        subprocess.run([sys.executable, str(HERE / "tui.py"), str(repo), "--cold"], env=ENV, check=True)
        subprocess.run([sys.executable, str(HERE / "tui.py"), str(repo)], env=ENV, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
