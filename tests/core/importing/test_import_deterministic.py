"""An import is the same on every run: the same document gives the same plan whatever
Python's string hash seed (PYTHONHASHSEED), so two clerks importing one notice, or one clerk
importing it twice, get one plan. Found on ../shared/corpus's 39_hangzhou (a table whose rows
are numbered `1` and `1*` equally often): on some seeds the file's last, cut-off line became a
fourth task. Each import runs in a process of its own, with a seed of its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import PROJECT

# A table whose two rows are numbered two ways, one each (`1*` naming its units, `2` naming
# none): the file was cut off after the second row's first character, as a web page saved
# half-loaded (../shared/corpus's 39_hangzhou ends so).
DOCUMENT = """二、省政府工作报告2021年重点工作涉杭任务责任分解

序号

重点工作任务(杭州市2项牵头工作、19项配合工作)

责任单位

(一)戴建平常务副市长牵头重点工作

1*

大力推进杭州城西科创大走廊建设。

杭州城西科创产业集聚区管委会,市科技局、市发改委、市经信局、市规划和自然资源局、

2

坚"""


SCRIPT = """
import json, sys
from pathlib import Path
from duban.importing.importer import import_document
result = import_document(Path(sys.argv[1]), "p-2021", year=2021)
print(json.dumps([{k: t.get(k) for k in ("id", "title", "lead", "support", "parent")} for t in result.tasks],
                 ensure_ascii=False))
"""


def imported(path: Path, seed: int) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_a_document_imports_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    path = tmp_path / "涉杭任务.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    first = imported(path, 0)
    assert first, "nothing imported"
    for seed in range(1, 8):
        assert imported(path, seed) == first, f"PYTHONHASHSEED={seed}"
