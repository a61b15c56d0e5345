"""The JSON Schemas for plan.yaml and task files, compiled once, with problems as data."""
from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from duban.problems import Problem

PLAN = "plan"
TASK = "task"


@functools.cache
def schema(kind: str) -> dict[str, Any]:
    """The schema document (`plan` or `task`), as shipped in the duban.schema package."""
    text = resources.files("duban.schema").joinpath(f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)


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
        return [Problem(path=path, message="a key is not text (write keys as words, or quote them)",
                        rule="schema.key", pointer=_first_bad_key(instance) or ())]
    problems = []
    for error in errors:
        pointer = tuple(error.instance_path)
        keyword = str(error.schema_path[-1]) if error.schema_path else "schema"
        message = error.message
        at_key = False
        unexpected = getattr(error.kind, "unexpected", None)
        if keyword == "additionalProperties" and unexpected:
            # Point at the first unexpected key itself, not at its mapping.
            pointer = (*pointer, unexpected[0])
            at_key = True
            names = ", ".join(repr(name) for name in unexpected)
            message = f"unknown field {names}"
        elif "propertyNames" in error.schema_path:
            inner = getattr(error.kind, "error", None)
            name = getattr(inner, "instance", None)
            if isinstance(name, str):
                pointer, at_key = (*pointer, name), True
                if pointer[0] == "milestones":
                    message = f"milestone key {name!r} must be Q1..Q4 or a date YYYY-MM-DD"
                else:
                    message = f"key {name!r} is not allowed here"
            keyword = "propertyNames"
        elif keyword == "enum":
            options = ", ".join(str(option) for option in getattr(error.kind, "options", ()))
            message = f"{error.instance!r} is not one of: {options}"
        elif keyword == "required":
            message = f"missing field {message.split(' is a required')[0]}"
        elif keyword == "format" and getattr(error.kind, "format", None) == "date":
            message = f"{error.instance!r} is not a real date (YYYY-MM-DD)"
        elif keyword == "pattern" and pointer and pointer[-1] in ("date", "due", "issued"):
            message = f"{error.instance!r} is not a date in the form YYYY-MM-DD"
        problems.append(Problem(path=path, message=message, rule=f"schema.{keyword}",
                                pointer=pointer, at_key=at_key))
    return problems
