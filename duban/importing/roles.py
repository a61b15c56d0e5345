"""Settling what a task's units are: ids, roles by the documented convention, persons,
deadline and milestones, the registry, and misspellings linked as aliases.

The convention (docs/guide/importing.md): a unit labelled 牵头 (or in a 牵头 column, or
`X牵头`) is a lead. Where a task names no lead, the units it names as 责任单位 (or its kin:
责任部门, 责任处室, 主体) or in an unlabelled list are the ones answerable for it, so they are
recorded as its lead; a sub-item's 责任单位 stay support under its parent's lead. Where the
document states `列第一位者为牵头单位`, the first such unit is the lead and the rest support.
配合/协办/参与 units are always support. Persons (牵头领导, 分管领导, 项目责任人) go to `leaders`.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from duban.i18n import _
from duban.importing.dates import deadline
from duban.importing.names import split_conjunctions
from duban.importing.result import ImportResult, UnitBook
from duban.importing.vocabulary import label_role
from duban.model import TASK_FIELDS

FIELD_ORDER = (
    tuple(f for f in TASK_FIELDS[: TASK_FIELDS.index("support") + 1])
    + ("leaders",)
    + tuple(TASK_FIELDS[TASK_FIELDS.index("support") + 1 :])
)
LETTERS = "abcdefghij"  # as the fitted layouts suffix one item's targets (14a, 14b)
_PLACEHOLDER = re.compile(r"/@(\d+)\b")


def _ids(tasks: list[dict[str, Any]]) -> list[str]:
    """Task ids: the document's own numbers where every top-level task has a distinct one,
    else a count. Rows that repeat the number of the row above (a 序号 cell merged over
    several targets: Word shows it in each row, Excel's is filled down) are one item's
    targets, numbered 14a, 14b as the fitted layouts number them."""
    top = [t for t in tasks if t["_parent"] is None]
    group: Counter[str] = Counter()
    previous = None
    for task in top:
        seq = task["_seq"]
        if seq and seq == previous:
            group[seq] += 1
        elif seq:
            if seq in group:  # the same number again further down: not a merged cell
                group[seq] = 99
            group[seq] = max(group[seq], 1)
        previous = seq
    seqs = [t["_seq"] for t in top]
    numbered = (
        all(s and s.isdigit() for s in seqs) and all(count <= len(LETTERS) for count in group.values()) and bool(seqs)
    )
    ids: dict[int, str] = {}
    counter = 0
    letter: Counter[str] = Counter()
    subs: Counter[int] = Counter()
    for task in tasks:
        if task["_parent"] is None:
            counter += 1
            if numbered:
                seq = str(int(task["_seq"]))
                if group[task["_seq"]] > 1:
                    seq += LETTERS[letter[task["_seq"]]]
                    letter[task["_seq"]] += 1
                ids[id(task)] = seq
            else:
                ids[id(task)] = str(counter)
        else:
            parent = ids[id(task["_parent"])]
            subs[id(task["_parent"])] += 1
            ids[id(task)] = f"{parent}-{subs[id(task['_parent'])]}"
    return [ids[id(t)] for t in tasks]


def _split_ji(tasks: list[dict[str, Any]]) -> None:
    """及 between two names the document also names alone elsewhere joins two units
    (绿化工程指挥部及顾村镇); otherwise it stays inside the name (老镇及旧房改造指挥部)."""
    known = {name for t in tasks for _role, name in t["_found"].units if "及" not in name}
    for task in tasks:
        found = task["_found"]
        units: list[tuple[str, str]] = []
        for role, name in found.units:
            for piece in split_conjunctions(name, known, "及") if "及" in name else [name]:
                if (role, piece) not in units:
                    units.append((role, piece))
        found.units = units


def settle(result: ImportResult, plan_id: str, year: int | None, convention: bool) -> None:
    tasks = result.tasks
    _split_ji(tasks)
    real = _ids(tasks)
    id_of = {id(task): task_id for task, task_id in zip(tasks, real)}
    leads: dict[int, list[str]] = {}
    settled: list[dict[str, Any]] = []
    undated: dict[str, list[str]] = {}
    for task, task_id in zip(tasks, real):
        found = task.pop("_found")
        parent = task.pop("_parent")
        task.pop("_seq")
        marks = task.pop("_marks")
        _note_role_words(result, found)
        inherited = leads.get(id(parent), []) if parent is not None else []
        lead, support = _lead_and_support(result, found, inherited, convention, task)
        task["id"] = int(task_id) if task_id.isdigit() else task_id
        if parent is not None:
            parent_id = id_of[id(parent)]
            task["parent"] = int(parent_id) if parent_id.isdigit() else parent_id
        if lead:
            task["lead"] = result.units.add_all(lead)
        if support:
            task["support"] = result.units.add_all(support)
        leads[id(task)] = task.get("lead") or inherited
        if found.leaders:
            task["leaders"] = found.leaders
        when = next((day for day in (deadline(phrase, year) for phrase in found.due) if day), None)
        if when:
            task["due"] = when
        elif found.due:
            undated.setdefault(found.due[0], []).append(task_id)
        if marks:
            task["milestones"] = dict(sorted(marks.items()))
        if not lead and not support and not inherited:
            result.unsure.append(str(task_id))
        settled.append({key: task[key] for key in FIELD_ORDER if key in task})
    result.tasks[:] = settled
    for phrase, ids in undated.items():
        result.notes.append(
            _("deadline {text!r} is not a date: no due recorded for tasks {ids}").format(
                text=phrase, ids=", ".join(ids)
            )
        )
    _name_placeholders(result, real)
    link_misspellings(result)


def _note_role_words(result: ImportResult, found: Any) -> None:
    """The labels the task's units came under (牵头单位, 责任单位, 配合单位), as the document's own
    words for lead and support."""
    for rule in found.rules:
        if rule.startswith("label "):
            role = label_role(rule[6:])
            if role in ("lead", "responsible", "support"):
                result.role_word("lead" if role == "lead" else "support", rule[6:])


def _lead_and_support(
    result: ImportResult, found: Any, inherited: list[str], convention: bool, task: dict[str, Any]
) -> tuple[list[str], list[str]]:
    """The task's lead and support units by the convention (the module's docstring); how an
    unlabelled or first-listed unit became the lead is explained on the task's first line."""
    by_role: dict[str, list[str]] = {"lead": [], "responsible": [], "support": [], "unlabelled": []}
    for role, name in found.units:
        if name not in by_role[role]:
            by_role[role].append(name)
    named = by_role["responsible"] + [n for n in by_role["unlabelled"] if n not in by_role["responsible"]]
    lead = list(by_role["lead"])
    support = list(by_role["support"])
    if lead or inherited:
        support = named + support
    elif convention and named:
        lead, support = named[:1], named[1:] + support
        result.explain.setdefault(task["source"]["lines"][0], []).append(
            "first-listed unit recorded as lead (the document's stated convention)"
        )
    elif named:
        lead = named
        if by_role["unlabelled"]:
            result.explain.setdefault(task["source"]["lines"][0], []).append(
                "unlabelled unit list recorded as lead (convention: units named with no 牵头 answer for the task)"
            )
    return lead, [n for n in support if n not in lead]


def _name_placeholders(result: ImportResult, real: list[str]) -> None:
    """`/@N` in where each line went and why (the N-th task, before tasks had ids) becomes the task's id."""
    mapping = {str(index): task_id for index, task_id in enumerate(real)}
    for number, where in list(result.used.items()):
        result.used[number] = _PLACEHOLDER.sub(lambda m: "/" + mapping[m.group(1)], where)
    for number, notes in result.explain.items():
        result.explain[number] = [_PLACEHOLDER.sub(lambda m: "/" + mapping[m.group(1)], n) for n in notes]


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def link_misspellings(result: ImportResult) -> None:
    """A name used once that differs by one character, past its first two, from a name used
    more often is a misspelling of it: kept as written in its task, linked as an alias."""
    uses: Counter[str] = Counter()
    for task in result.tasks:
        for role in ("lead", "support"):
            uses.update(task.get(role, []))
    book: UnitBook = result.units
    names = book.names()
    for rare in names:
        if uses[rare] != 1 or len(rare) < 6:
            continue
        for common in names:
            if common != rare and uses[common] >= 2 and _one_substitution(rare, common) and rare[:2] == common[:2]:
                book.link(rare, common)
                result.notes.append(
                    _(
                        "unit {rare!r} read as a misspelling of {common!r}: kept as written, registered as its alias"
                    ).format(rare=rare, common=common)
                )
                break


def responsible_as_lead(result: ImportResult) -> None:
    """The convention for the fitted layouts' tasks: a task that names no lead and has no
    ancestor that does records its 责任单位 as its lead."""
    by_id = {str(t["id"]): t for t in result.tasks}
    for task in result.tasks:
        if task.get("lead") or not task.get("support"):
            continue
        ancestor, seen = task, set()
        while ancestor.get("parent") is not None and str(ancestor["parent"]) not in seen:
            seen.add(str(ancestor["parent"]))
            ancestor = by_id.get(str(ancestor["parent"]), ancestor)
            if ancestor.get("lead"):
                break
        if ancestor is not task and ancestor.get("lead"):
            continue
        task["lead"] = task.pop("support")
        rebuilt = {key: task[key] for key in FIELD_ORDER if key in task}
        task.clear()
        task.update(rebuilt)
        for number in range(task["source"]["lines"][0], task["source"]["lines"][1] + 1):
            result.explain.setdefault(number, []).append(
                "责任单位 recorded as lead: the task names no lead (convention)"
            )
