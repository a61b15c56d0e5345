"""The JSON Schemas for plan.yaml and task files, compiled once, with problems as data."""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from duban.i18n import N_, _
from duban.problems import Problem, RuleId, schema_rule

PLAN = "plan"
TASK = "task"


@functools.cache
def schema(kind: str) -> dict[str, Any]:
    """The schema document (`plan` or `task`), as shipped in the duban.schema package."""
    text = resources.files("duban.schema").joinpath(f"{kind}.schema.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@functools.cache
def _validator(kind: str) -> Any:
    import jsonschema_rs  # compiled (Rust) validator: the bulk path checks 10,000 files

    return jsonschema_rs.validator_for(schema(kind), validate_formats=True)


def is_valid(kind: str, instance: Any) -> bool:
    try:
        return bool(_validator(kind).is_valid(instance))
    except ValueError:  # a value JSON cannot hold, such as a key that is not text
        return False


def _first_bad_key(value: Any, pointer: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """Where the first mapping key that is not text sits (JSON Schema needs text keys)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return pointer
            found = _first_bad_key(item, (*pointer, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _first_bad_key(item, (*pointer, index))
            if found is not None:
                return found
    return None


def check(kind: str, instance: Any, path: str) -> list[Problem]:
    """Schema problems of one loaded document, each with a pointer to locate later."""
    validator = _validator(kind)
    try:
        if validator.is_valid(instance):
            return []
        errors = list(validator.iter_errors(instance))
    except ValueError:
        return [
            Problem(
                path=path,
                message=_("a key is not text (write keys as words, or quote them)"),
                rule=RuleId.SCHEMA_KEY,
                pointer=_first_bad_key(instance) or (),
            )
        ]
    problems = []
    for error in errors:
        pointer = tuple(error.instance_path)
        keyword = str(error.schema_path[-1]) if error.schema_path else "schema"
        at_key = False
        unexpected = getattr(error.kind, "unexpected", None)
        if keyword == "additionalProperties" and unexpected:
            # Point at the first unexpected key itself, not at its mapping.
            pointer = (*pointer, unexpected[0])
            at_key = True
        elif "dependentSchemas" in error.schema_path:
            keyword = "dependentSchemas"  # a key that another rules out (reporting: dates, then no day_of_month)
        elif "propertyNames" in error.schema_path:
            name = getattr(getattr(error.kind, "error", None), "instance", None)
            if isinstance(name, str):
                pointer, at_key = (*pointer, name), True
            keyword = "propertyNames"
        problems.append(
            Problem(
                path=path,
                message=_message(error, keyword, pointer),
                rule=schema_rule(keyword),
                pointer=pointer,
                at_key=at_key,
            )
        )
    return problems


# JSON types in words, for "is not a number" rather than 'is not of type "number"'.
_TYPE_WORDS = {
    "number": N_("a number"),
    "integer": N_("a whole number"),
    "string": N_("text"),
    "array": N_("a list"),
    "object": N_("a mapping of fields"),
    "boolean": N_("true or false"),
    "null": N_("empty"),
}


def _message(error: Any, keyword: str, pointer: tuple[Any, ...]) -> str:
    """The validator's message in duban's words, through the catalog; the validator's own
    English for a keyword duban's schemas do not use."""
    kind = error.kind
    value = error.instance
    limit = getattr(kind, "limit", None)
    if keyword == "additionalProperties" and getattr(kind, "unexpected", None):
        return _("unknown field {names}").format(names=", ".join(repr(name) for name in kind.unexpected))
    if keyword == "dependentSchemas" and pointer:
        path = list(error.schema_path)
        other = path[path.index("dependentSchemas") + 1]
        return _("{name!r} does not go with {other!r}: keep one of them").format(name=pointer[-1], other=other)
    if keyword == "propertyNames":
        name = getattr(getattr(kind, "error", None), "instance", None)
        if not isinstance(name, str):
            return str(error.message)
        if pointer[0] == "milestones":
            return _("milestone key {name!r} must be Q1..Q4 or a date YYYY-MM-DD").format(name=name)
        return _("key {name!r} is not allowed here").format(name=name)
    if keyword == "enum":
        options = ", ".join(str(option) for option in getattr(kind, "options", ()))
        return _("{value!r} is not one of: {options}").format(value=value, options=options)
    if keyword == "required":
        return _("missing field {name!r}").format(name=getattr(kind, "property", ""))
    if keyword == "type":
        words = _(" or ").join(_(_TYPE_WORDS.get(name, name)) for name in getattr(kind, "types", ()))
        return _("{value!r} is not {expected}").format(value=value, expected=words)
    if keyword == "format" and getattr(kind, "format", None) == "date":
        return _("{text!r} is not a real date (YYYY-MM-DD)").format(text=value)
    if (
        keyword == "pattern"
        and pointer
        and (pointer[-1] in ("date", "due", "issued", "first") or pointer[-2:-1] == ("dates",))
    ):
        return _("{text!r} is not a date in the form YYYY-MM-DD").format(text=value)
    if keyword == "pattern" and isinstance(value, str) and "\\{(" in getattr(kind, "pattern", ""):
        # Text with placeholders ({月份}): name the braces that are not one, and the ones there are.
        known = re.search(r"\\\{\((.*?)\)\\\}", kind.pattern)
        names = known.group(1).split("|") if known else []
        wrong = [m for m in re.findall(r"\{[^{}]*\}?|\}", value) if m.strip("{}") not in names or m[-1] != "}"]
        return _("{found} is not a placeholder; write one of {names}, or no braces").format(
            found="、".join(dict.fromkeys(wrong)) or "{ }", names="、".join("{" + n + "}" for n in names)
        )
    if keyword == "pattern":
        return _("{text!r} does not have the expected form ({pattern})").format(
            text=value, pattern=getattr(kind, "pattern", "")
        )
    templates = {
        "minimum": _("{value} is less than the minimum of {limit}"),
        "maximum": _("{value} is greater than the maximum of {limit}"),
        "minLength": _("{value!r} is shorter than {limit} characters"),
        "maxLength": _("{value!r} is longer than {limit} characters"),
        "minItems": _("the list has fewer than {limit} items"),
        "maxItems": _("the list has more than {limit} items"),
        "uniqueItems": _("the list repeats an item"),
    }
    if keyword in templates:
        return templates[keyword].format(value=value, limit=limit)
    return str(error.message)
