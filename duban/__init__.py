"""duban (督办): a government's annual work plan as version-controlled YAML.

This package is the domain core: model, repository, YAML and schema checks.
It imports neither Click nor Textual; the interfaces live in duban.cli and
duban.tui (installed from the top-level cli/ and tui/ folders).
"""

from __future__ import annotations

__version__ = "0.1.0"
