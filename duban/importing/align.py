"""Fitting a table row's cells to its columns when merged cells have shifted them.

A row whose merged cell is missing (its 牵头单位 spans the rows above) arrives with its cells
moved left. Each cell is scored against each column's kind (a unit list fits a unit column,
a number the 序号, a date the 完成时限) and the best order-keeping assignment wins; a column may
stay empty. In a table flattened to one cell per line, text columns may take several lines.
"""

from __future__ import annotations

import re
from functools import lru_cache

from duban.importing.dates import deadline
from duban.importing.names import looks_like_person, looks_like_unit, split_names
from duban.importing.script import fold

UNIT_KINDS = ("lead", "responsible", "support", "unlabelled")
MULTI_KINDS = ("text", "other", "milestones")
# In a table flattened to one cell per line a unit cell may hold one unit per line.
STREAM_MULTI = (*MULTI_KINDS, *UNIT_KINDS, "leaders")
SKIP = -0.25
DROP = -1.5
_ROLE_TAIL = re.compile(r"(?:等)?(?:按职责分工|按职责)?(?:负责|落实|牵头|配合|参与)+$")


def unit_cell(cell: str) -> str:
    """A unit cell without the verbs some tables add (应急处、疾控处等按职责分工落实)."""
    return _ROLE_TAIL.sub("", fold(cell).strip())[: len(cell)] if cell else cell


def strip_role_tail(cell: str) -> str:
    match = _ROLE_TAIL.search(fold(cell).strip())
    return cell.strip()[: match.start()] if match else cell.strip()


@lru_cache(maxsize=8192)
def is_unit_list(cell: str) -> bool:
    """Mostly unit names (a long list may hold a name with an ending not in the vocabulary)."""
    names = split_names(strip_role_tail(cell))
    units = sum(1 for n in names if looks_like_unit(n))
    return bool(names) and units >= max(1, 0.75 * len(names)) and (units == len(names) or len(names) >= 4)


def person_names(cell: str) -> list[str]:
    """Persons' names in a cell; `王 东` is one name spaced out to the width of three."""
    names = split_names(cell)
    if len(names) >= 2 and all(len(n) == 1 for n in names):
        return [cell.strip()]
    return names


@lru_cache(maxsize=8192)
def is_person_list(cell: str) -> bool:
    names = [re.sub(r"\s+", "", n) for n in person_names(cell)]
    return bool(names) and all(looks_like_person(n) for n in names)


def fit(kind: str, cell: str) -> float:
    text = cell.strip()
    if not text:
        return -1.0 if kind == "seq" else 0.0
    if kind == "seq":
        return 3.0 if re.fullmatch(r"\d{1,4}", text) else -3.0
    if kind in UNIT_KINDS:
        return 3.0 if is_unit_list(text) else -4.0
    if kind == "leaders":
        return 2.0 if is_person_list(text) else -1.0 if is_unit_list(text) else -3.0
    if kind == "due":
        folded = fold(text)
        return (
            2.0 if deadline(text, 2000) or (len(folded) < 30 and re.search(r"长期|年底|年内|月|季度", folded)) else -1.0
        )
    if kind == "milestones":
        return 1.5 if re.search(r"\d{1,2}\s*月|季度", fold(text)) else 0.2
    if kind == "text":
        return (
            -2.0
            if re.fullmatch(r"\d{1,4}", text)
            else 1.0 + min(len(text) / 20, 1.0) - (1.5 if is_unit_list(text) else 0)
        )
    return -0.5 if is_unit_list(text) or is_person_list(text) else 0.4  # other


def _more(kind: str, cell: str) -> float:
    """A further line for a column that has one: a text cell goes on only with its own
    sub-numbering (2)…), the rest of a row is progress or remarks."""
    if kind == "text":
        if re.match(r"^\(?\d{1,2}\)", fold(cell).strip()):
            return 0.6
        return -1.0 if is_unit_list(cell) or deadline(cell, 2000) else 0.1  # a unit or a date is a cell of its own
    return fit(kind, cell)


def align(kinds: list[str], cells: list[str], stream: bool = False) -> dict[int, list[int]]:
    """Column index -> indices of the cells it takes, keeping order; best total fit."""
    n, m = len(cells), len(kinds)
    NEG = float("-inf")
    # best[i][j][u]: best score with i cells placed, column j current, u: column j has a cell
    best = [[[NEG, NEG] for _ in range(m + 1)] for _ in range(n + 1)]
    back: dict[tuple[int, int, int], tuple[int, int, int, str]] = {}
    best[0][0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for used in (0, 1):
                score = best[i][j][used]
                if score == NEG:
                    continue

                def relax(a: int, b: int, c: int, value: float, how: str) -> None:
                    if value > best[a][b][c]:
                        best[a][b][c] = value
                        back[(a, b, c)] = (i, j, used, how)  # noqa: B023 - called within this iteration only

                if j < m:  # close column j and move on
                    relax(i, j + 1, 0, score + (0 if used else SKIP), "next")
                if i < n:
                    if j < m and (not used or (stream and kinds[j] in STREAM_MULTI)):
                        relax(
                            i + 1,
                            j,
                            1,
                            score + (_more(kinds[j], cells[i]) if used else fit(kinds[j], cells[i])),
                            "take",
                        )
                    relax(i + 1, j, used, score + (DROP if cells[i].strip() else 0), "drop")
    end = max(((best[n][m][u], u) for u in (0, 1)), key=lambda t: t[0])
    state = (n, m, end[1])
    taken: dict[int, list[int]] = {}
    while state in back:
        i, j, used, how = back[state]
        if how == "take":
            taken.setdefault(j, []).insert(0, i)
        state = (i, j, used)
    return taken
