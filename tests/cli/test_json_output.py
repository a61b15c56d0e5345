"""emit_json's own indenting gives json.dumps(indent=2)'s bytes for whatever commands print."""
from __future__ import annotations

import json
import math

import pytest

from duban.cli.output import indented_json

CASES = [
    [], {}, [[]], [{}], None, True, False, 0, -3, 2.5, 30.0, 1e-7, 1e21, math.inf, -math.inf,
    "", "文本\n\t\x1b[31m\"引号\"\\", [1, [2, [3, []]], {}], ("元", "组"),
    [{"ref": "2019-changning/1", "lead": ["金融办", "商务委"], "support": [], "percent": None, "late": False,
      "light": "grey", "type": None}],
    {"sha": "abc", "trailers": {"Task": "2019-bench/1", "Reported-by": "发改委"}, "paths": ["plans/a.yaml"]},
    {1: "int key", 2.5: "float key", None: "none key", False: "bool key"}, {"nested": {3: [1, {4: 5}]}},
    [{"a": {"b": {"c": []}}}, float("nan")],
]


@pytest.mark.parametrize("data", CASES, ids=range(len(CASES)))
def test_indented_json_is_json_dumps(data) -> None:
    assert indented_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_list_json_is_what_json_dumps_gives(sample_repo) -> None:
    from click.testing import CliRunner

    from duban.cli.main import cli

    result = CliRunner().invoke(cli, ["list", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.output == json.dumps(json.loads(result.output), ensure_ascii=False, indent=2) + "\n"
