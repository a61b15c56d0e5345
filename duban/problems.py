"""Validation problems as data: what is wrong, where, and which rule says so.

Checkers return lists of Problem; reporters (in the interfaces) print them.
Positions are 1-based, like yamllint's LintProblem. RULES is the one list of the rules a
problem can name: every checker names its rule through RuleId, the list of rules in
docs/guide/validating.md is generated from RULES (scripts/rule_table.py), and
`duban validate --rules` prints it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from duban.i18n import N_, _


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class RuleId(enum.StrEnum):
    """The id a problem prints in brackets (`[unknown-unit]`): stable, English, for scripts."""

    MISSING_FILE = "missing-file"
    NOT_A_PLAN_FILE = "not-a-plan-file"
    MISSING_PLAN = "missing-plan"
    IO = "io"
    OUTSIDE_LINK = "outside-link"
    ENCODING = "encoding"
    TOO_LARGE = "too-large"
    EMPTY_FILE = "empty-file"
    NOT_A_MAPPING = "not-a-mapping"
    YAML_SYNTAX = "yaml-syntax"
    YAML_DEPTH = "yaml-depth"
    YAML_TAB = "yaml-tab"
    YAML_TAG = "yaml-tag"
    YAML_MERGE = "yaml-merge"
    YAML_ALIAS = "yaml-alias"
    DUPLICATE_KEY = "duplicate-key"
    AMBIGUOUS_SCALAR = "ambiguous-scalar"
    WRITER_READS_OTHERWISE = "writer-reads-otherwise"
    CONTROL_CHARACTER = "control-character"
    SCHEMA = "schema"
    SCHEMA_KEY = "schema.key"
    PLAN_ID_MATCHES_FOLDER = "plan-id-matches-folder"
    UNIQUE_AREA = "unique-area"
    UNIQUE_UNIT = "unique-unit"
    ID_MATCHES_FILE = "id-matches-file"
    UNIQUE_ID = "unique-id"
    UNKNOWN_AREA = "unknown-area"
    UNKNOWN_SECTION = "unknown-section"
    UNKNOWN_UNIT = "unknown-unit"
    NO_UNIT = "no-unit"
    UNKNOWN_PARENT = "unknown-parent"
    PARENT_CYCLE = "parent-cycle"
    DATE = "date"
    DATE_RANGE = "date-range"
    PROGRESS_ORDER = "progress-order"
    PERCENT_FALLS = "percent-falls"
    FUTURE_REPORT = "future-report"
    REPORT_WITHOUT_UNIT = "report-without-unit"
    REPORT_UNIT_NOT_ON_TASK = "report-unit-not-on-task"
    PROGRESS_KEY_MISSING = "progress-key-missing"
    DUE_BEFORE_ISSUE = "due-before-issue"


@dataclass(frozen=True)
class Rule:
    """What a rule means: its severity, one line saying what it finds, and how to fix it
    (both English, marked for the catalog; translate with `_()` where shown)."""

    id: RuleId
    severity: Severity
    description: str
    fix: str


def _rule(rule_id: RuleId, description: str, fix: str, severity: Severity = Severity.ERROR) -> Rule:
    return Rule(rule_id, severity, description, fix)


_WARNING = Severity.WARNING
RULES: dict[RuleId, Rule] = {
    rule.id: rule
    for rule in (
        _rule(RuleId.MISSING_FILE, N_("a file or folder to check does not exist"), N_("check the path")),
        _rule(
            RuleId.NOT_A_PLAN_FILE,
            N_("a path to check is not part of a plan"),
            N_("name plans/<plan-id>/plan.yaml, plans/<plan-id>/tasks/<id>.yaml or their folders"),
        ),
        _rule(RuleId.MISSING_PLAN, N_("a plan folder has no plan.yaml"), N_("add plan.yaml or remove the folder")),
        _rule(RuleId.IO, N_("a file cannot be read"), N_("make the file readable")),
        _rule(
            RuleId.OUTSIDE_LINK,
            N_("a symbolic link leads outside the repository; duban does not follow it"),
            N_("put the file or folder itself in its place"),
        ),
        _rule(RuleId.ENCODING, N_("a file is not UTF-8 text or holds a NUL byte"), N_("save the file as UTF-8 text")),
        _rule(RuleId.TOO_LARGE, N_("a file is larger than duban reads"), N_("split the file")),
        _rule(RuleId.EMPTY_FILE, N_("a file is empty"), N_("write the fields, or delete the file")),
        _rule(
            RuleId.NOT_A_MAPPING,
            N_("a file holds a list or a single value, not a mapping of fields"),
            N_("write the fields as key: value lines"),
        ),
        _rule(RuleId.YAML_SYNTAX, N_("a file is not valid YAML"), N_("correct the YAML where the message points")),
        _rule(RuleId.YAML_DEPTH, N_("values are nested deeper than duban reads"), N_("nest the values less deeply")),
        _rule(RuleId.YAML_TAB, N_("a tab character indents a line"), N_("indent with spaces")),
        _rule(
            RuleId.YAML_TAG,
            N_("a value carries a YAML tag (!!int, !name)"),
            N_("remove the tag; duban files use plain YAML"),
        ),
        _rule(RuleId.YAML_MERGE, N_("a mapping uses a merge key (<<)"), N_("write the keys out in full")),
        _rule(
            RuleId.YAML_ALIAS, N_("a value uses an anchor or alias (&name, *name)"), N_("write the value out in full")
        ),
        _rule(RuleId.DUPLICATE_KEY, N_("a mapping has the same key twice"), N_("keep one of them")),
        _rule(
            RuleId.AMBIGUOUS_SCALAR,
            N_(
                "a plain value reads as text to one YAML reader and as a number to the "
                "other, or as a date that does not exist (000_521e3, 2019-02-30)"
            ),
            N_("quote the value"),
        ),
        _rule(
            RuleId.WRITER_READS_OTHERWISE,
            N_(
                "duban's writer reads the file otherwise than validate, or cannot read "
                "it: a tab after a colon or a value, a U+FEFF or a line separator "
                "(U+2028, U+2029, NEL) in the text"
            ),
            N_("delete the character, or put a space in its place"),
        ),
        _rule(
            RuleId.CONTROL_CHARACTER,
            N_("a value holds a control character, a tab or a text-direction control, which a writer would refuse"),
            N_("remove the character"),
        ),
        _rule(
            RuleId.SCHEMA,
            N_(
                "a value breaks the JSON Schema; schema.<keyword> names the keyword "
                "(schema.required, schema.maximum, ...)"
            ),
            N_("correct the value as the message says"),
        ),
        _rule(RuleId.SCHEMA_KEY, N_("a key is not text"), N_("write keys as words, or quote them")),
        _rule(
            RuleId.PLAN_ID_MATCHES_FOLDER,
            N_("a plan's id differs from the name of its folder"),
            N_("rename the folder or correct the id"),
        ),
        _rule(RuleId.UNIQUE_AREA, N_("an area is listed more than once in plan.yaml"), N_("keep one of them")),
        _rule(
            RuleId.UNIQUE_UNIT,
            N_("a name or alias in the plan's registry names more than one unit"),
            N_("give each unit names of its own"),
        ),
        _rule(
            RuleId.ID_MATCHES_FILE,
            N_("a task's id differs from its file name"),
            N_("rename the file or correct the id"),
        ),
        _rule(RuleId.UNIQUE_ID, N_("two files of one plan have the same id"), N_("give each task an id of its own")),
        _rule(
            RuleId.UNKNOWN_AREA,
            N_("a task's area is not in plan.yaml"),
            N_("use one of the plan's areas, or add it to plan.yaml"),
        ),
        _rule(
            RuleId.UNKNOWN_SECTION,
            N_("a task's section is not in its area in plan.yaml"),
            N_("use one of the area's sections, or add it to plan.yaml"),
        ),
        _rule(
            RuleId.UNKNOWN_UNIT,
            N_(
                "a unit in lead, support, the keys of progress or a legacy list's progress[].by is not in the "
                "plan's registry "
                "(names and aliases match with whitespace ignored)"
            ),
            N_("use the registered name (the message suggests one), or add the unit to plan.yaml"),
        ),
        _rule(
            RuleId.NO_UNIT,
            N_("a task names no lead and no support unit"),
            N_("add the responsible units to lead or support"),
            _WARNING,
        ),
        _rule(RuleId.UNKNOWN_PARENT, N_("a task's parent is not a task of its plan"), N_("correct the parent's id")),
        _rule(RuleId.PARENT_CYCLE, N_("parents form a cycle"), N_("correct one of the parents")),
        _rule(RuleId.DATE, N_("a date is not a real date (YYYY-MM-DD)"), N_("write a date that exists, as YYYY-MM-DD")),
        _rule(
            RuleId.DATE_RANGE,
            N_("a date falls outside the year before to the year after the plan year"),
            N_("correct the year"),
        ),
        _rule(
            RuleId.PROGRESS_ORDER,
            N_("a report is dated before the report above it (among one unit's reports)"),
            N_("put the reports in date order"),
        ),
        _rule(
            RuleId.PERCENT_FALLS,
            N_("a report's percent is lower than the one before"),
            N_("check the figure"),
            _WARNING,
        ),
        _rule(RuleId.FUTURE_REPORT, N_("a report is dated after today"), N_("correct the date")),
        _rule(
            RuleId.REPORT_WITHOUT_UNIT,
            N_("a report names no reporting unit (by:)"),
            N_("add by: with the unit that reported"),
            _WARNING,
        ),
        _rule(
            RuleId.REPORT_UNIT_NOT_ON_TASK,
            N_(
                "a report's unit is neither lead nor support of its task (a sub-item "
                "that takes its lead from its parent is not checked)"
            ),
            N_("correct by:, or add the unit to the task"),
        ),
        _rule(
            RuleId.DUE_BEFORE_ISSUE,
            N_("a task is due before its plan was issued (it would be late from its first day)"),
            N_("check the year of due:"),
            _WARNING,
        ),
        _rule(
            RuleId.PROGRESS_KEY_MISSING,
            N_(
                "a unit of the task has no key of its own under progress: (two units "
                "adding it in two clones would conflict in a plain git merge)"
            ),
            N_("duban migrate adds the key (or add `UNIT: null` under progress:)"),
            _WARNING,
        ),
    )
}


def rule_of(rule_id: str) -> Rule:
    """The rule a problem names; `schema.maximum` and the like belong to `schema`."""
    try:
        return RULES[RuleId(rule_id)]
    except ValueError:
        return RULES[RuleId(rule_id.split(".", 1)[0])]


def schema_rule(keyword: str) -> str:
    """The id of a JSON Schema problem: `schema.` and the schema keyword it breaks."""
    return f"{RuleId.SCHEMA}.{keyword}"


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

    def __post_init__(self) -> None:
        # A plain str, not the RuleId, so it prints, compares and serialises as text (marshal takes no subclass).
        object.__setattr__(self, "rule", str(self.rule))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, line: int | None, col: int | None) -> Problem:
        return replace(self, line=line, col=col)

    def format(self) -> str:
        """`path:line:col: severity: message [rule]`, the one-line form editors jump to, with the
        severity in the user's language like the message (scripts read `--format json`)."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {_(self.severity.value)}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity.value,
            "message": self.message,
            "rule": self.rule,
        }
