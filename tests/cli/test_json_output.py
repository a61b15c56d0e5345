"""emit_json gives json.dumps(indent=2, ensure_ascii=False)'s bytes for what commands print,
and JSON that reads back as the data for anything else."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from duban.cli.output import indented_json

# What commands print: the output is json.dumps's, byte for byte.
SAME_BYTES = [
    [],
    {},
    [[]],
    [{}],
    None,
    True,
    False,
    0,
    -3,
    2.5,
    30.0,
    0.1,
    99.95,
    -0.0,
    "",
    '文本\n\t\x1b[31m"引号"\\\x00\x7f\u2028　',
    [1, [2, [3, []]], {}],
    ("元", "组"),
    [
        {
            "ref": "2019-changning/1",
            "lead": ["金融办", "商务委"],
            "support": [],
            "percent": None,
            "late": False,
            "light": "grey",
            "type": None,
        }
    ],
    {"sha": "abc", "trailers": {"Task": "2019-bench/1", "Reported-by": "发改委"}, "paths": ["plans/a.yaml"]},
    {1: "int key", 2.5: "float key", None: "none key", False: "bool key"},
    {"nested": {3: [1, {4: 5}]}},
    [{"a": {"b": {"c": []}}}],
]


@pytest.mark.parametrize("data", SAME_BYTES, ids=range(len(SAME_BYTES)))
def test_indented_json_is_json_dumps(data) -> None:
    assert indented_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("data", ["\ud800 lone surrogate", 2**70, [{"big": -(2**65)}]])
def test_what_orjson_refuses_is_written_by_json(data) -> None:
    assert indented_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("data", [1e-7, 1e21, [1.5e300]])
def test_exponents_read_back_as_the_same_number(data) -> None:
    assert json.loads(indented_json(data)) == data


def test_a_number_that_is_not_one_is_null_not_invalid_json() -> None:
    # json.dumps would write NaN and Infinity, which no JSON reader accepts.
    assert json.loads(indented_json([math.nan, math.inf])) == [None, None]


def test_list_json_is_what_json_dumps_gives(sample_repo) -> None:
    from click.testing import CliRunner

    from duban.cli.main import cli

    result = CliRunner().invoke(cli, ["list", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.output == json.dumps(json.loads(result.output), ensure_ascii=False, indent=2) + "\n"


def test_a_date_is_written_as_its_day_whichever_writes_it() -> None:
    # A task's due and its reports' dates are datetime.date in the model (`show --format json`
    # writes the task as it is): orjson writes YYYY-MM-DD; json.dumps, which writes what orjson
    # refuses, raised TypeError on a date before.
    task = {"due": dt.date(2019, 6, 30), "progress": [{"date": dt.date(2019, 3, 5), "percent": 20}]}
    as_text = {"due": "2019-06-30", "progress": [{"date": "2019-03-05", "percent": 20}]}
    assert indented_json(task) == json.dumps(as_text, ensure_ascii=False, indent=2)
    refused = {**task, "note": "\ud800"}  # a lone surrogate: orjson refuses it
    assert indented_json(refused) == json.dumps({**as_text, "note": "\ud800"}, ensure_ascii=False, indent=2)
