"""The schema files: valid against the 2020-12 metaschema, and agreeing with check-jsonschema."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.support import DATA, PROJECT

SCHEMAS = sorted((PROJECT / "schema").glob("*.schema.json"))


def _check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run([str(script), *args], capture_output=True, text=True)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_passes_the_metaschema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] and schema["description"]
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schemas_pass_check_jsonschema_metaschema() -> None:
    result = _check_jsonschema("--check-metaschema", *map(str, SCHEMAS))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_sample_files_pass_check_jsonschema(sample_repo: Path) -> None:
    tasks = sorted(str(p) for p in sample_repo.glob("plans/*/tasks/*.yaml"))
    plans = sorted(str(p) for p in sample_repo.glob("plans/*/plan.yaml"))
    for schema, files in (("task", tasks), ("plan", plans)):
        result = _check_jsonschema("--schemafile", str(PROJECT / f"schema/{schema}.schema.json"), *files)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("name", ["percent-over.yaml", "bad-status.yaml", "unknown-field.yaml", "missing-field.yaml"])
def test_check_jsonschema_agrees_on_schema_errors(name: str, tmp_path: Path) -> None:
    shutil.copy(DATA / "invalid" / name, tmp_path)
    result = _check_jsonschema("--schemafile", str(PROJECT / "schema/task.schema.json"), str(tmp_path / name))
    assert result.returncode == 1


def test_every_task_file_names_its_schema(sample_repo: Path) -> None:
    for path in sample_repo.glob("plans/*/tasks/*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../../schema/task.schema.json"
        assert (path.parent / "../../../schema/task.schema.json").resolve().is_file()
