"""The YAML module: strict fast loading with positions, and byte-for-byte round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.store import yaml_positions, yaml_round_trip, yamlio
from tests.support import SAMPLE

SAMPLE_FILES = sorted(SAMPLE.rglob("*.yaml"))


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.relative_to(SAMPLE).as_posix())
def test_round_trip_is_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml_round_trip.dump_round_trip(yaml_round_trip.load_round_trip(text, str(path))) == text


def test_sample_files_exist() -> None:
    assert len(SAMPLE_FILES) >= 9


def test_dates_load_as_text_in_the_fast_loader() -> None:
    doc = yamlio.load_fast("date: 2019-03-25\nbad: 2019-02-30\n", "x.yaml")
    assert doc == {"date": "2019-03-25", "bad": "2019-02-30"}


def test_long_chinese_line_is_not_rewrapped() -> None:
    text = "text: " + "区级一般公共预算收入完成年度目标的25%" * 40 + "\n"
    assert yaml_round_trip.dump_round_trip(yaml_round_trip.load_round_trip(text, "x")) == text


@pytest.mark.parametrize(
    ("text", "rule", "line", "col"),
    [
        ("a: 1\na: 2\n", "duplicate-key", 2, 1),
        ("a: &x 1\nb: *x\n", "yaml-alias", 2, 4),
        ("a: !!python/object:os.system x\n", "yaml-tag", 1, 4),
        ("a:\n\t- b\n", "yaml-tab", 2, 1),
        ("a: [1, 2\n", "yaml-syntax", 2, 1),
        ("a: 1\n---\nb: 2\n", "yaml-syntax", 2, 1),
        ("a: 1\n<<: {b: 2}\n", "yaml-merge", 2, 1),
        ("a: {x: 1, y: 2, x: 3}\n", "duplicate-key", 1, 17),
    ],
)
def test_fast_loader_errors_carry_rule_and_position(text: str, rule: str, line: int, col: int) -> None:
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load_fast(text, "t.yaml")
    assert (caught.value.rule, caught.value.line, caught.value.col) == (rule, line, col)
    assert str(caught.value).startswith(f"t.yaml:{line}:{col}: ")


def test_billion_laughs_is_refused_quickly() -> None:
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in "bcdefghi":
        prev = chr(ord(n) - 1)
        bomb.append(f"{n}: &{n} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.load_fast("\n".join(bomb) + "\n", "bomb.yaml")
    assert caught.value.rule == "yaml-alias"


def test_decode_reports_position_of_first_bad_byte() -> None:
    data = "id: 1\ntitle: 稳增长\n".encode("gb18030")
    with pytest.raises(yamlio.YamlError) as caught:
        yamlio.decode(data, "g.yaml")
    assert (caught.value.line, caught.value.col) == (2, 8)
    assert "GB18030" in (caught.value.hint or "")


def test_decode_drops_bom() -> None:
    assert yamlio.decode("\ufeffid: 1\n".encode("utf-8"), "b.yaml") == "id: 1\n"


def test_locate_points_at_values_keys_and_items() -> None:
    doc = yaml_round_trip.load_round_trip(
        "id: 1\nlead:\n  - 金融办\n  - 商务委\nprogress:\n  - date: 2019-03-25\n    percent: 5\n", "x"
    )
    assert yaml_positions.locate(doc, ("lead", 1)) == (4, 5)
    assert yaml_positions.locate(doc, ("progress", 0, "percent")) == (7, 14)
    assert yaml_positions.locate(doc, ("progress",), at_key=True) == (5, 1)
    assert yaml_positions.locate(doc, ("missing", "deeper")) == (1, 1)


def test_dump_document_writes_schema_line_and_round_trips() -> None:
    text = yaml_round_trip.dump_document(
        {"id": 1, "text": "第一行\n第二行", "due": "2019-12-31", "source": {"document": "d.txt", "lines": [3, 4]}},
        "../s.json",
    )
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../s.json"
    assert "due: 2019-12-31\n" in text and "lines: [3, 4]\n" in text
    assert yaml_round_trip.dump_round_trip(yaml_round_trip.load_round_trip(text, "x")) == text
    assert yamlio.load_fast(text, "x")["text"] == "第一行\n第二行"


def test_a_value_that_does_not_fit_its_tag_is_a_positioned_error() -> None:
    """PyYAML's own constructor raises IndexError or ValueError here; duban gives one line."""
    import pytest

    for text, where in (("id: !!int\n", (1, 5)), ("a: !!float abc\n", (1, 4)), ("a: &x !!int\nb: *x\n", (None, None))):
        with pytest.raises(yamlio.YamlError) as caught:
            yamlio.load_fast(text, "t.yaml")
        assert caught.value.rule == "yaml-tag" and (caught.value.line, caught.value.col) == where
