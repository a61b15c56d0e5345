#!/usr/bin/env python3
"""The floor duban validate is measured against: C-loader parse plus compiled schema check.

`python benchmarks/baseline_validate.py FOLDER SCHEMA` loads every task file with PyYAML's
CSafeLoader and checks it with jsonschema_rs, nothing else. FOLDER is a plan's tasks folder,
or a plans/ folder (every plan's task files).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema_rs
import yaml


class TextDatesLoader(yaml.CSafeLoader):
    """CSafeLoader with dates kept as text, as JSON Schema needs them (and duban does)."""


TextDatesLoader.add_constructor("tag:yaml.org,2002:timestamp", TextDatesLoader.construct_scalar)


def main() -> int:
    folder, schema_path = Path(sys.argv[1]), Path(sys.argv[2])
    validator = jsonschema_rs.validator_for(json.loads(schema_path.read_text()), validate_formats=True)
    invalid = 0
    for path in folder.glob("*/tasks/*.yaml") if folder.name == "plans" else folder.glob("*.yaml"):
        invalid += not validator.is_valid(yaml.load(path.read_bytes(), Loader=TextDatesLoader))
    print(f"{invalid} invalid", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
