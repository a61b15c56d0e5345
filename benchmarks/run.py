#!/usr/bin/env python3
"""Time duban's commands and their peers as whole processes: `python benchmarks/run.py OUT`.

The whole suite in one command: when OUT does not exist it is generated first (10,000 tasks,
5,000 progress commits, seed 2019), and the terminal UI's timings follow the table.
Each operation runs --runs times
(after one warm-up run); the table gives median, min and max wall time, peak memory
(max RSS of the process) and, where a peer does the same work, the ratio to it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def measure(argv: list[str], cwd: Path, runs: int) -> tuple[list[float], int]:
    """Wall times of `runs` runs, and the largest max-RSS (KiB) seen."""
    times, peak = [], 0
    for attempt in range(runs + 1):
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            sys.exit(f"benchmark command failed ({process.returncode}): {' '.join(argv)}\n"
                     f"{process.stderr.read().decode() if process.stderr else ''}")
        if attempt:  # the first run only warms the file cache
            times.append(elapsed)
            peak = max(peak, usage.ru_maxrss)
    return times, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a repository made by benchmarks/generate.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-tui", action="store_true", help="skip the terminal UI timings")
    args = parser.parse_args()
    repo = args.repo.resolve()
    if not repo.exists():
        print(f"generating {repo} (10,000 tasks, 5,000 commits; about a minute)", file=sys.stderr)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(repo), "--tasks", "10000",
                        "--commits", "5000"], check=True)
    plan = next((repo / "plans").iterdir())
    duban = str(BIN / "duban")
    python = sys.executable
    check_jsonschema = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    tasks = sorted(str(p) for p in (plan / "tasks").glob("*.yaml"))

    operations: list[tuple[str, list[str], str | None]] = [
        ("duban validate (first run)", ["sh", "-c", f"rm -rf .git/duban-cache && {duban} validate"], None),
        ("duban validate", [duban, "validate"], "C loader + jsonschema_rs"),
        ("duban list QUERY", [duban, "list", "lead:fgw", "--format", "json"], None),
        ("C loader + jsonschema_rs", [python, str(HERE / "baseline_validate.py"), str(plan / "tasks"),
                                      str(repo / "schema/task.schema.json")], None),
        ("duban list --format json", [duban, "list", "--format", "json"], None),
        ("duban --help", [duban, "--help"], None),
    ]
    if check_jsonschema:
        operations.insert(2, ("check-jsonschema", [check_jsonschema, "--schemafile",
                                                   str(repo / "schema/task.schema.json"), *tasks], None))
        operations[1] = ("duban validate", [duban, "validate"], "check-jsonschema")

    if (repo / ".git").exists():
        busiest = subprocess.run(["git", "log", "--format=%(trailers:key=Task,valueonly)"], cwd=repo,
                                 capture_output=True, text=True, check=True).stdout.split()
        ref = max(set(busiest), key=busiest.count)
        path = f"plans/{ref.split('/')[0]}/tasks/{ref.split('/')[1]}.yaml"
        operations += [
            ("duban history --patch", [duban, "history", ref, "--patch"], "git log -p + python"),
            ("git log -p + python", ["sh", "-c", f"{python} -c pass && git log -p -- {path}"], None),
            ("duban diff (one month)", [duban, "diff", "--since", "2019-06-01", "--until", "2019-06-30"], None),
            ("duban list --as-of", [duban, "list", "--as-of", "2019-06-30", "--format", "json"], None),
            ("duban progress", [duban, "progress", ref, "--percent", "100", "--date", "2019-12-31",
                                "--note", "benchmark"], None),
        ]

    results: dict[str, float] = {}
    rows = []
    for name, argv, _ in operations:
        times, peak = measure(argv, repo, args.runs)
        results[name] = statistics.median(times)
        rows.append((name, statistics.median(times), min(times), max(times), peak / 1024))
    print(f"{len(tasks)} task files, {args.runs} runs each, {os.cpu_count()} cores\n")
    print(f"{'operation':<28} {'median s':>9} {'min s':>7} {'max s':>7} {'peak MB':>8}")
    for name, median, low, high, peak_mb in rows:
        print(f"{name:<28} {median:>9.3f} {low:>7.3f} {high:>7.3f} {peak_mb:>8.1f}")
    print()
    first = results["duban validate (first run)"]
    if "check-jsonschema" in results:
        print(f"duban validate (first run) / check-jsonschema:          {first / results['check-jsonschema']:.3f}"
              "  (target: at most 0.25)")
    print(f"duban validate (first run) / C loader + jsonschema_rs:  "
          f"{first / results['C loader + jsonschema_rs']:.2f}  (target: at most 1.3)")
    print(f"duban validate, nothing changed: {results['duban validate']:.2f} s; duban list QUERY: "
          f"{results['duban list QUERY']:.2f} s  (target: under 0.4 s)")
    if "duban history --patch" in results:
        print(f"duban history --patch / git log -p + python: "
              f"{results['duban history --patch'] / results['git log -p + python']:.2f}  (target: at most 2)")
    if not args.no_tui:
        print()
        subprocess.run([sys.executable, str(HERE / "tui.py"), str(repo), "--cold"], check=True)
        subprocess.run([sys.executable, str(HERE / "tui.py"), str(repo)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
