"""A first validate over thousands of files parses part of them in helper processes
(duban.store.parse_helpers): the problems found, and their words and order, are those of a
run without helpers, and a helper that dies, answers nonsense or cannot start changes
nothing but the time."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from duban.store import parse_helpers
from duban.validate.validation import validate
from tests.support import DATA

PLAN = "plans/2019-changning"


def _big_plan(root: Path) -> None:
    """MIN_FILES + 300 valid tasks made from the sample's first, and every invalid example."""
    tasks = root / PLAN / "tasks"
    template = (tasks / "1.yaml").read_text(encoding="utf-8")
    for number in range(1000, 1000 + parse_helpers.MIN_FILES + 300):
        (tasks / f"{number}.yaml").write_text(template.replace("\nid: 1\n", f"\nid: {number}\n"), encoding="utf-8")
    for example in (DATA / "invalid").glob("*.yaml"):
        shutil.copy(example, tasks / example.name)
    (tasks / "not-utf8.yaml").write_bytes("id: 9\ntitle: 标题\n".encode("gb18030"))
    (tasks / "a-list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")


def _first_run(root: Path, monkeypatch: pytest.MonkeyPatch, jobs: str) -> list[str]:
    shutil.rmtree(root / ".git/duban-cache", ignore_errors=True)
    monkeypatch.setenv(parse_helpers.JOBS_VAR, jobs)
    return [problem.format() for problem in validate(root=root).problems]


@pytest.fixture
def big_plan(git_repo: Path) -> Path:
    _big_plan(git_repo)
    return git_repo


@pytest.fixture
def helper_documents(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files whose documents came from a helper, as the checker takes them."""
    taken: list[str] = []
    original = parse_helpers.ParsedAhead.take

    def take(self: parse_helpers.ParsedAhead, name: str) -> parse_helpers.Parsed | None:
        found = original(self, name)
        if found is not None:
            taken.append(name)
        return found

    monkeypatch.setattr(parse_helpers.ParsedAhead, "take", take)
    return taken


@pytest.mark.slow
def test_helpers_find_the_same_problems_in_the_same_order(
    big_plan: Path, monkeypatch: pytest.MonkeyPatch, helper_documents: list[str]
) -> None:
    alone = _first_run(big_plan, monkeypatch, "1")
    assert helper_documents == []
    helped = _first_run(big_plan, monkeypatch, "2")
    assert helped == alone
    # The helper really parsed most files, among them files with problems of their own.
    assert len(helper_documents) > parse_helpers.MIN_FILES // 2
    with_problems = {line.split(":", 1)[0] for line in alone}
    assert {str(Path(name).relative_to(big_plan)) for name in helper_documents} & with_problems
    assert any("[schema" in line for line in alone) and any("not valid UTF-8" in line for line in alone)


@pytest.mark.slow
def test_a_warm_run_after_a_helped_one_finds_what_it_found(big_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a helped first run keeps in the cache is what the next runs find."""
    helped = _first_run(big_plan, monkeypatch, "3")
    assert helped and [p.format() for p in validate(root=big_plan).problems] == helped
    for example in (DATA / "invalid").glob("*.yaml"):
        (big_plan / PLAN / "tasks" / example.name).unlink()
    (big_plan / PLAN / "tasks/not-utf8.yaml").unlink()
    (big_plan / PLAN / "tasks/a-list.yaml").unlink()
    assert validate(root=big_plan).problems == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "helper",
    [
        "import sys; sys.exit(1)",  # cannot start (an import failure, say)
        "import sys; sys.stdin.buffer.read(8); sys.exit(0)",  # dies on its first frame
        # answers each frame with wrong documents under another frame's number, then under the
        # right number with one document too few
        "import sys, marshal\nfrom duban.store.parse_helpers import _framed\n"
        "while True:\n    h = sys.stdin.buffer.read(8)\n    if len(h) < 8: break\n"
        "    n, texts = marshal.loads(sys.stdin.buffer.read(int.from_bytes(h, 'big')))\n"
        "    wrong = ({'id': 'wrong'}, [], False, True)\n"
        "    sys.stdout.buffer.write(_framed(marshal.dumps((n + 1, [wrong] * len(texts)))))\n"
        "    sys.stdout.buffer.write(_framed(marshal.dumps((n, [wrong] * (len(texts) - 1)))))\n"
        "    sys.stdout.buffer.flush()\n",
        "import sys; sys.stdout.buffer.write(b'\\x00' * 7 + b'\\x05' + b'junk!'); sys.stdout.flush()",
    ],
)
def test_a_helper_that_fails_changes_nothing(
    big_plan: Path, monkeypatch: pytest.MonkeyPatch, helper_documents: list[str], helper: str
) -> None:
    alone = _first_run(big_plan, monkeypatch, "1")
    monkeypatch.setattr(parse_helpers, "helper_command", lambda: [sys.executable, "-c", helper])
    assert _first_run(big_plan, monkeypatch, "2") == alone
    assert helper_documents == []


def test_a_helper_answers_frames_of_documents() -> None:
    """The helper's side on its own: what parse_one gives for each kind of file."""
    good = b"id: 1\nstarted: 2019-06-05\ncount: 010\n"
    assert parse_helpers.parse_one(good) == ({"id": 1, "started": "2019-06-05", "count": 8}, ["2019-06-05"], True, True)
    assert parse_helpers.parse_one(b"- 1\n") is None  # not a mapping: the checker says so
    assert parse_helpers.parse_one(b"id: [\n") is None  # not YAML
    assert parse_helpers.parse_one("标题".encode("gb18030")) is None  # not UTF-8


def test_jobs_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parse_helpers.JOBS_VAR, "1")
    assert parse_helpers.ParseHelpers.for_this_machine() is None
    monkeypatch.setenv(parse_helpers.JOBS_VAR, "3")
    assert parse_helpers.jobs() == 3
    monkeypatch.setenv(parse_helpers.JOBS_VAR, "many")
    assert 1 <= parse_helpers.jobs() <= parse_helpers.MAX_JOBS
