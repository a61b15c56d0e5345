#!/usr/bin/env python3
"""Generate a plan repository for benchmarks: `python benchmarks/generate.py OUT --tasks 10000`.

The plan is shaped like the bundled Changning plan: its seven areas, its unit registry,
quarterly milestones, and task files of about 0.7-1.5 KB whose text is cut from the
sample tasks in tests/data. The same --seed gives the same files.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT))

from duban import yamlio  # noqa: E402

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


def generate(out: Path, tasks: int, seed: int) -> Path:
    rng = random.Random(seed)
    sentences, units = corpus()
    plan_id = "2019-bench"
    folder = out / "plans" / plan_id
    if out.exists():
        shutil.rmtree(out)
    (folder / "tasks").mkdir(parents=True)
    shutil.copytree(PROJECT / "schema", out / "schema", ignore=shutil.ignore_patterns("__*"))
    (folder / "plan.yaml").write_text(yamlio.dump_document({
        "id": plan_id, "title": "基准测试计划", "year": 2019,
        "reporting": {"day_of_month": 25, "to": "区政府办公室督查科"},
        "roles": {"lead": "主责部门", "support": "配合部门"},
        "areas": [{"name": a} for a in AREAS],
        "units": [{"name": u, "kind": "department"} for u in units],
    }, "../../schema/plan.schema.json"), encoding="utf-8")
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
        if not fields["milestones"]:
            del fields["milestones"]
        document = yamlio.dump_document(fields, "../../../schema/task.schema.json")
        # Keep files within 0.7-1.5 KB, the size of the bundled plans' task files.
        while len(document.encode()) < 700 or len(document.encode()) > 1500:
            short = rng.choice([s for s in sentences if len(s) < 60])
            fields["text"] = short + ("" if len(document.encode()) > 1500 else str(fields["text"]))
            document = yamlio.dump_document(fields, "../../../schema/task.schema.json")
        (folder / "tasks" / f"{number}.yaml").write_text(document, encoding="utf-8")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to create (replaced if it exists)")
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    folder = generate(args.out, args.tasks, args.seed)
    sizes = [p.stat().st_size for p in (folder / "tasks").iterdir()]
    print(f"{len(sizes)} task files in {folder}, {min(sizes)}-{max(sizes)} bytes, "
          f"mean {sum(sizes) // len(sizes)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
