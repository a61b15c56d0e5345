"""The tag every cache file carries: duban's version, both schemas and the code that decides
what a file parses to; a file with another tag is not used."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from duban import __version__
from duban.store.cache.digests import digest

FORMAT = 3  # 2: plan snapshots stored by column; 3: in sections read on demand (snapshot.py)

# The modules whose code decides what a file parses to and whether it is valid: a change to
# any of them (an upgrade, or a developer's edit without a new version number) starts every
# cache and verdict afresh, so no verdict outlives the checks that gave it.
# Named as modules, not file names, so a module moved without updating this list fails loudly
# (tests/core/store/test_cache.py) instead of silently hashing a name that no longer exists.
CODE_MODULES = (
    "duban.store.yamlio",
    "duban.store.yaml_loader",
    "duban.store.yaml_round_trip",
    "duban.store.yaml_positions",
    "duban.schemas",
    "duban.validate.checks",
    "duban.validate.validation",
    "duban.validate.loading",
    "duban.validate.targets",
    "duban.model",
    "duban.store.cache.tag",
    "duban.store.cache.parse_cache",
    "duban.store.cache.documents",
    "duban.store.cache.verdicts",
    "duban.store.cache.columns",
    "duban.store.cache.task_index",
    "duban.store.cache.file_states",
    "duban.store.repository",
    "duban.record.history",
    "duban.text.hygiene",
    "duban.store.snapshot",
)


def schema_bytes(name: str) -> bytes:
    # Deferred: loads duban.schema only when this runs
    import duban.schema

    try:  # beside the package's own file; importlib.resources costs its readers' imports (zipfile)
        return (Path(duban.schema.__file__ or "").parent / name).read_bytes()
    except OSError:  # installed in a zip
        # Deferred: loads importlib.resources only when this runs
        from importlib import resources

        return resources.files("duban.schema").joinpath(name).read_bytes()


def cache_tag() -> bytes:
    # Both schemas: plan.yaml documents are cached too, as having passed theirs.
    schema = schema_bytes("task.schema.json") + b"\0" + schema_bytes("plan.schema.json")
    code = []
    for name in CODE_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise RuntimeError(f"the cache tag names {name}, which is not a module: update CODE_MODULES")
        try:
            code.append(Path(spec.origin).read_bytes())
        except OSError:  # installed without sources: the version number alone tells
            code.append(name.encode())
    return digest(f"{FORMAT}:{__version__}:".encode() + schema + b"\0".join(code))
