#!/usr/bin/env python3
"""Write the table of validation rules in docs/guide/validating.md from duban.problems.RULES,
between the `<!-- rules -->` and `<!-- /rules -->` lines: `python scripts/rule_table.py`
(`--check` only says whether the page is current; tests/core/test_rules.py runs it)."""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PAGE = PROJECT / "docs" / "guide" / "validating.md"
BEGIN, END = "<!-- rules -->", "<!-- /rules -->"


def table() -> str:
    """The Markdown table of every rule, in the order of RULES, in English."""
    sys.path.insert(0, str(PROJECT))
    from duban.problems import RULES

    rows = ["| rule | severity | what it finds | the fix |", "|---|---|---|---|"]
    rows += [
        f"| `{rule.id}` | {rule.severity.value} | {rule.description} | {rule.fix} |".replace("<", "&lt;")
        for rule in RULES.values()
    ]
    return "\n".join(rows)


def with_table(page: str) -> str:
    """`page` with the text between the markers replaced by the table."""
    head, found, rest = page.partition(BEGIN + "\n")
    _, found_end, tail = rest.partition(END)
    if not found or not found_end:
        raise SystemExit(f"{PAGE.relative_to(PROJECT)} has no {BEGIN} ... {END} lines")
    return f"{head}{BEGIN}\n{table()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    current = PAGE.read_text(encoding="utf-8")
    wanted = with_table(current)
    if "--check" in argv:
        if wanted != current:
            print(
                f"{PAGE.relative_to(PROJECT)}'s table of rules differs from duban.problems.RULES: "
                "run scripts/rule_table.py"
            )
            return 1
        return 0
    PAGE.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
