"""Render every reading command over the bundled plans, to show a change left behaviour alone.

    python3 scripts/render_corpus.py prepare DATA      # a plan repository: the bundled plans
                                                       # and a fixed set of reports, fixed clocks
    python3 scripts/render_corpus.py render DATA OUT   # every output of the duban importable now
    python3 scripts/render_corpus.py compare OUT1 OUT2 # byte for byte; exit 1 on any difference

Render once with the old code (PYTHONPATH=<old checkout>) and once with the new, each over its
own copy of the same prepared repository (a command may leave a cache behind). The bundled
plans hold no reports, so `prepare` records some (dated in every way a clerk types a date, with
statuses, by leads and supporting units, an office status and milestones by day) so reports'
dates and milestones' days are read too.
An .xlsx is compared by its cells' values and a .docx by its paragraphs' and tables' text: their
zip members carry the time they were written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
CLOCK = {
    "GIT_AUTHOR_NAME": "督办",
    "GIT_AUTHOR_EMAIL": "duban@example.org",
    "GIT_COMMITTER_NAME": "督办",
    "GIT_COMMITTER_EMAIL": "duban@example.org",
    "TZ": "Asia/Shanghai",
}
# (plan, task, unit, date as typed, percent, extra options), recorded in this order.
REPORTS = [
    ("2019-changning", "3", "发改委", "2019-03-20", "20", ["--note", "研究制定行动计划"]),
    ("2019-changning", "3", "发改委", "2019年6月24日", "50", ["--note", "推动企业落地"]),
    ("2019-changning", "3", "商务委", "2019/6/25", "40", []),
    ("2019-changning", "1", "金融办", "２０１９－０５－１０", "30", ["--status", "受阻"]),
    ("2019-changning", "2", "金融办", "二〇一九年七月五日", "100", []),
    ("2019-changning", "5", None, "2019.9.30", "60", []),
    ("2019-changning", "7", None, "20191220", "100", []),
    ("2019-shangcheng", "1", None, "2019-04-25", "30", []),
    ("2019-shangcheng", "1", None, "2019-11-25", "90", ["--note", "基本完成"]),
    ("2019-shangcheng", "2", None, "2019-06-01", "10", ["--status", "延期"]),
    ("2013-pingdingshan", "1", None, "2013-05-05", "50", []),
    ("2013-pingdingshan", "2", None, "2013-12-05", "100", []),
    ("2008-baoshan", "1", "发改委", "2008-06-30", "70", []),
    ("2008-baoshan", "1", "统计局", "2008年9月1号", "40", []),
]
OFFICE = [
    ("2019-changning", "4", "status=delayed", "2019-08-01"),
    ("2019-changning", "6", "due=2019-10-31", "2019-02-01"),
    # Milestones by day (the bundled plans have them by quarter only): lights, cards and forms read them.
    ("2019-changning", "3", "milestones.2019-05-31=出台行动计划", "2019-02-02"),
    ("2019-changning", "3", "milestones.2019-11-30=企业落地", "2019-02-02"),
    ("2019-shangcheng", "1", "milestones.2019-09-30=基本完成", "2019-02-02"),
]
AS_OF = {"2008-baoshan": 2008, "2013-pingdingshan": 2013, "2013-xuhui": 2013, "2019-changning": 2019}
AS_OF["2019-shangcheng"] = 2019
TASKS = ("1", "3")


def _git(data: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", *args], cwd=data, check=True, capture_output=True, env=env)


def _at(day: str) -> dict[str, str]:
    return {
        **os.environ,
        **CLOCK,
        "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00",
        "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00",
    }


def prepare(data: Path) -> None:
    data.mkdir(parents=True)
    shutil.copytree(PROJECT / "plans", data / "plans")
    _git(data, "init", "-q", "-b", "main")
    _git(data, "add", "-A")
    _git(data, "commit", "-q", "-m", "The bundled plans", env=_at("2008-01-02"))
    duban = [sys.executable, "-m", "duban", "--repo", str(data), "--lang", "en"]
    for plan, task, unit, day, percent, extra in REPORTS:
        by = ["--by", unit] if unit else []
        command = [*duban, "progress", f"{plan}/{task}", "--percent", percent, "--date", day, *by, *extra]
        subprocess.run(command, check=True, capture_output=True, env=_at(f"{AS_OF[plan]}-12-28"))
    for plan, task, change, day in OFFICE:
        subprocess.run([*duban, "set", f"{plan}/{task}", change], check=True, capture_output=True, env=_at(day))


def _commands(plan: str) -> list[tuple[str, list[str]]]:
    year = AS_OF[plan]
    found: list[tuple[str, list[str]]] = [
        (f"validate-{fmt}", ["validate", "--format", fmt]) for fmt in ("text", "json")
    ]
    for day in (f"{year}-06-30", f"{year}-12-31"):
        at = ["--plan", plan, "--as-of", day]
        found += [(f"list-{day}-{fmt}", ["list", *at, "--format", fmt]) for fmt in ("table", "json")]
        found += [(f"report-{day}-{fmt}", ["report", *at, "--format", fmt]) for fmt in ("table", "json", "md")]
        found += [
            (f"export-{day}.{fmt}", ["export", *at, "--format", fmt, "-o", "{out}"]) for fmt in ("csv", "html", "xlsx")
        ]
    for task in TASKS:
        ref = ["--as-of", f"{year}-12-31", f"{plan}/{task}"]
        found += [(f"explain-{task}-{fmt}", ["explain", "--format", fmt, *ref]) for fmt in ("text", "json")]
        found += [(f"show-{task}-{fmt}", ["show", "--format", fmt, *ref]) for fmt in ("text", "json")]
        found += [(f"show-{task}-now-yaml", ["show", "--format", "yaml", f"{plan}/{task}"])]
    for month in (f"{year}-06", f"{year}-12"):
        found += [
            (f"circular-{month}.{fmt}", ["circular", "--plan", plan, "--month", month, "-o", "{out}"])
            for fmt in ("md", "html", "docx")
        ]
        found += [
            (f"score-{month}-{fmt}", ["score", "--plan", plan, "--month", month, "--format", fmt])
            for fmt in ("text", "json")
        ]
    return found


def _readable(path: Path) -> bytes:
    """What a file says: its bytes, or an .xlsx's cell values and a .docx's text, one a line."""
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        lines = [
            f"{sheet.title}!{cell.coordinate}={cell.value!r}"
            for sheet in book
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
        return "\n".join(lines).encode()
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        lines = [p.text for p in document.paragraphs]
        lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join(lines).encode()
    return path.read_bytes()


def _render_one(data: Path, out: Path, lang: str, plan: str, name: str, args: list[str]) -> None:
    target = out / f"{plan}.{lang}.{name}"
    written = out / "written" / target.name
    args = [str(written) if arg == "{out}" else arg for arg in args]
    env = {**os.environ, **CLOCK, "COLUMNS": "160"}
    command = [sys.executable, "-m", "duban", "--repo", str(data), "--lang", lang, *args]
    done = subprocess.run(command, capture_output=True, env=env)
    body = done.stdout + b"\n--- stderr\n" + done.stderr + f"\n--- exit {done.returncode}\n".encode()
    if written.exists():
        body += b"--- file\n" + _readable(written)
    target.write_bytes(body)


def render(data: Path, out: Path) -> int:
    (out / "written").mkdir(parents=True)
    jobs = [
        (lang, plan, name, args) for plan in sorted(AS_OF) for lang in ("zh", "en") for name, args in _commands(plan)
    ]
    # A reading command never writes to the repository but its cache: three at a time.
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda job: _render_one(data, out, *job), jobs))
    print(f"{len(jobs)} outputs in {out}")
    return 0


def compare(first: Path, second: Path) -> int:
    names = sorted(p.name for p in first.iterdir() if p.is_file())

    def said(folder: Path, name: str) -> bytes:  # where a file was written is said in its folder's name
        return (folder / name).read_bytes().replace(str(folder).encode(), b"OUT")

    differ = [n for n in names if not (second / n).is_file() or said(first, n) != said(second, n)]
    extra = sorted({p.name for p in second.iterdir() if p.is_file()} - set(names))
    for name in [*differ, *extra]:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} of {len(names)} outputs the same" + (f"; {len(extra)} new" if extra else ""))
    return 1 if differ or extra else 0


if __name__ == "__main__":
    verb, *paths = sys.argv[1:]
    if verb == "prepare":
        prepare(Path(paths[0]))
    elif verb == "render":
        sys.exit(render(Path(paths[0]), Path(paths[1])))
    else:
        sys.exit(compare(Path(paths[0]), Path(paths[1])))
