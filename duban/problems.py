"""Validation problems as data: what is wrong, where, and which rule says so.

Checkers return lists of Problem; reporters (in the interfaces) print them.
Positions are 1-based, like yamllint's LintProblem.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


# A path into a loaded YAML document: mapping keys and sequence indexes.
Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    rule: str
    severity: Severity = Severity.ERROR
    line: int | None = None
    col: int | None = None
    # Where in the document the problem sits, until it is turned into line:col.
    pointer: Pointer | None = field(default=None, compare=False)
    # True when the problem is about a key itself (an unexpected key), not its value.
    at_key: bool = field(default=False, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, line: int | None, col: int | None) -> Problem:
        return replace(self, line=line, col=col)

    def format(self) -> str:
        """`path:line:col: severity: message [rule]`, the parsable one-line form."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.severity.value}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "message": self.message,
            "rule": self.rule,
        }
