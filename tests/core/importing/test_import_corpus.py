"""Every document of the shared corpus (45 real excerpts) against its expected.json.

The corpus lives beside the clone (`../shared/corpus`, as CI lays it out) or at /work/shared.
A document passes when it imports without an internal error, yields at least `min_tasks`
tasks, and every listed task holds: the imported task whose text contains the needle has
every `lead` unit among its lead units and every `units` unit among its units (any role).
`python tests/core/importing/test_import_corpus.py` prints the score line by line.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[3]
if str(PROJECT) not in sys.path:  # run as a script
    sys.path.insert(0, str(PROJECT))

from duban.errors import DubanError  # noqa: E402
from duban.importing.importer import import_document  # noqa: E402

# 45 documents: 40/45 and 79/83 before tables were read by header and content (issue 25),
# 44/45 and 82/83 after; the issue asks for at least 43 and 80.
MIN_DOCUMENTS = 43
MIN_CHECKS = 80


def corpus_folder() -> Path | None:
    for candidate in (PROJECT.parent / "shared" / "corpus", Path("/work/shared/corpus")):
        if (candidate / "expected.json").is_file():
            return candidate
    return None


def _units(name: str) -> str:
    return re.sub(r"\s+", "", name)


@dataclass
class DocumentScore:
    name: str
    tasks: int = 0
    min_tasks: int = 0
    checks: int = 0
    held: int = 0
    error: str = ""
    asked_for_year: bool = False
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.error and self.tasks >= self.min_tasks and self.held == self.checks


def _year_of(name: str) -> int:
    year = int(name.split("_")[2])
    return year if year > 0 else 2000


def import_corpus_document(path: Path) -> tuple[Any, bool]:
    """Import as a new user would, with a plan id that names no year; when the importer asks
    for --year, give it (the file name's year, or 2000 where that is unknown)."""
    plan_id = "corpus-" + path.name.split("_")[0]
    try:
        return import_document(path, plan_id), False
    except DubanError as error:
        if "--year" not in str(error):
            raise
        return import_document(path, plan_id, year=_year_of(path.name)), True


def score_document(path: Path, expected: dict[str, Any]) -> DocumentScore:
    score = DocumentScore(path.name, min_tasks=expected["min_tasks"], checks=len(expected["tasks"]))
    try:
        result, score.asked_for_year = import_corpus_document(path)
    except DubanError as error:
        if score.min_tasks == 0 and not score.checks:
            score.failures.append(f"refused cleanly: {error}")  # nothing to find, nothing invented
        else:
            score.error = f"error: {error}"
        return score
    except Exception as error:  # an internal error: the importer's defect, never the document's
        score.error = f"internal error: {type(error).__name__}: {error}"
        return score
    tasks = result.tasks
    score.tasks = len(tasks)
    for line in result.document.lines:  # every line in a task, in plan.yaml or skipped, never two
        if line.text and (line.number in result.used) == (line.number in result.skipped):
            score.error = (
                f"line {line.number} is {'both used and skipped' if line.number in result.used else 'unaccounted'}"
            )
    by_id = {str(t["id"]): t for t in tasks}

    def lead_of(task: dict[str, Any]) -> list[str]:
        seen = set()
        while not task.get("lead") and task.get("parent") is not None and str(task["parent"]) not in seen:
            seen.add(str(task["parent"]))
            task = by_id.get(str(task["parent"]), task)
        return [_units(u) for u in task.get("lead", [])]

    for check in expected["tasks"]:
        needle = check["needle"]
        found = [t for t in tasks if needle in t.get("text", "")]
        if not found:
            score.failures.append(f"no task holds {needle!r}")
            continue
        if expected.get("robustness_only"):
            score.held += 1
            continue
        ok = False
        for task in found:
            lead = lead_of(task)
            units = lead + [_units(u) for u in task.get("support", [])]
            if all(_units(u) in lead for u in check.get("lead", [])) and all(
                _units(u) in units for u in check.get("units", [])
            ):
                ok = True
                break
        if ok:
            score.held += 1
        else:
            task = found[0]
            score.failures.append(
                f"{needle!r}: lead {task.get('lead')} support {task.get('support')}; "
                f"expected lead {check.get('lead')} units {check.get('units')}"
            )
    return score


def score_corpus(folder: Path) -> list[DocumentScore]:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return [
        score_document(folder / "docs" / name, want)
        for name, want in sorted(expected.items())
        if not name.startswith("_")
    ]


def score_line(scores: list[DocumentScore]) -> str:
    return (
        f"corpus: {sum(s.passed for s in scores)}/{len(scores)} documents pass, "
        f"{sum(s.held for s in scores)}/{sum(s.checks for s in scores)} task checks hold"
    )


def test_corpus_score() -> None:
    folder = corpus_folder()
    if folder is None:
        pytest.skip("the shared corpus is neither at ../shared/corpus beside the clone nor at /work/shared/corpus")
    scores = score_corpus(folder)
    print("\n" + score_line(scores))
    for score in scores:
        if not score.passed:
            print(f"  {score.name}: {score.tasks}/{score.min_tasks} tasks; {score.error} {'; '.join(score.failures)}")
    assert sum(s.passed for s in scores) >= MIN_DOCUMENTS, score_line(scores)
    assert sum(s.held for s in scores) >= MIN_CHECKS, score_line(scores)


if __name__ == "__main__":
    found = corpus_folder()
    if found is None:
        sys.exit("no corpus found")
    all_scores = score_corpus(found)
    for each in all_scores:
        mark = "PASS" if each.passed else "FAIL"
        print(
            f"{mark} {each.name}: {each.tasks}/{each.min_tasks} tasks, {each.held}/{each.checks} checks"
            f"{' (asked for --year)' if each.asked_for_year else ''} {each.error}"
        )
        for failure in each.failures:
            print(f"     {failure}")
    print(score_line(all_scores))
