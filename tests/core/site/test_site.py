"""`duban site`: the static site of the record, built from a real git repository with a month of
a clerk's reports (tests/office_fixtures.py), checked against the core's own documents for the
same day (the circular, `duban report`, the ledger, `duban score`), for links that all resolve
inside the folder and none that leaves it, for outside text shown as written, for a rebuild
that rewrites only what changed, and in real headless Chromium from file://."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from duban.cli.main import cli
from duban.store.repository import Repository
from tests.office_fixtures import at, make_clerk_repo
from tests.support import GIT_ENV

PLAN = "2019-changning"
DAY = "2019-06-30"
NASTY = "<script>alert(\"x\")</script> & <b>粗体</b> “引号” '单引号'"


class Tables(HTMLParser):
    """The page's tables as rows of cell texts, its figures, and every href and src."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.links: list[str] = []
        self.figures: list[str] = []
        self._cell: list[str] | None = None
        self._figure = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.links.append(values[name] or "")
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "span" and values.get("class") == "n":
            self._figure = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "span":
            self._figure = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._figure:
            self.figures.append(data.strip())


def parse(path: Path) -> Tables:
    found = Tables()
    found.feed(path.read_text(encoding="utf-8"))
    return found


def table_with(page: Tables, header: str) -> list[dict[str, str]]:
    """The first table whose header row holds `header`, as dicts by header."""
    for rows in page.tables:
        if rows and header in rows[0]:
            return [dict(zip(rows[0], row)) for row in rows[1:]]
    raise AssertionError(f"no table with {header}")


def table_pages(site: Path) -> list[Path]:
    """The 对照表's pages, as the plan page's index of them links them, in its order."""
    plan_page = site / PLAN / "index.html"
    index = parse(plan_page)
    links = [link for link in index.links if link.startswith("table/")]
    return [plan_page.parent / link for link in dict.fromkeys(links)]


def table_rows(site: Path) -> list[dict[str, str]]:
    """Every row of the 对照表 over its pages."""
    return [row for page in table_pages(site) for row in table_with(parse(page), "序时进度") if "指标要求" in row]


def run(repo: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--repo", str(repo), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The clerk's repository with one more report whose note holds markup, and its site."""
    from duban.record.recording import record_progress

    root = make_clerk_repo(tmp_path_factory.mktemp("site") / "repo")
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-27")}.items():
            patch.setenv(key, value)
        record_progress(
            Repository(root), f"{PLAN}/16", 20, note=NASTY, by="规土局", date="2019-06-27", today=dt.date(2019, 6, 27)
        )
        # The office sealed the 25 June deadline afterwards: the seal holds what was recorded by then.
        from duban.supervise.seals.making import seal

        seal(Repository(root), PLAN, dt.date(2019, 6, 25), today=dt.date(2019, 6, 30), late=True, fetch=False)
    site = root.parent / "site"
    result = CliRunner().invoke(
        cli, ["--repo", str(root), "site", "--as-of", DAY, "-o", str(site)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "2019-changning" in result.stderr  # progress, on stderr
    return root, site


@pytest.mark.slow
def test_the_plan_page_gives_the_circulars_figures(built: tuple[Path, Path]) -> None:
    from duban.supervise.circular.blocks import task_table
    from duban.supervise.circular.building import build as circular

    root, site = built
    page = parse(site / PLAN / "index.html")
    c = circular(Repository(root), "2019-06", PLAN)
    assert c.as_of.isoformat() == DAY
    n = c.counts
    met, due = sum(u.met for u in c.scores.units), sum(u.due for u in c.scores.units)
    assert page.figures == [
        str(n["tasks"]),
        str(n["done"]),
        str(n["on_schedule"]),
        str(n["lagging"]),
        str(n["grey"]),
        str(sum(c.selection.light_of(t).late for t in c.tasks)),
        f"{100 * met / due:.1f}%",
    ]
    # The 对照表 against 附件1: each task's percent, expected progress and light.
    rows = {r["序号"]: r for r in table_rows(site)}
    attachment = task_table(c)
    assert len(rows) == len(attachment.rows) == 60
    for number, _title, _lead, done, expected, light, _said in attachment.rows:
        shown = rows[number]
        assert (shown["完成进度"], shown["序时进度"]) == (done, expected), number
        assert light.replace("（迟报）", "") in shown["灯"] and (("迟报" in light) == ("迟报" in shown["灯"])), number


def test_the_table_is_in_pages_that_hold_every_task_once(built: tuple[Path, Path]) -> None:
    from duban.site.pages.table import ROWS, parts

    root, site = built
    tasks = Repository(root).load_tasks(PLAN).tasks
    pages = table_pages(site)
    assert len(pages) == len({t.area for t in tasks}) > 1  # 60 tasks: one page an area
    numbers = [row["序号"] for row in table_rows(site)]
    assert sorted(numbers) == sorted(t.id for t in tasks)  # each task once, none left out
    assert all(len(table_with(parse(page), "序时进度")) <= ROWS for page in pages)
    assert "指标要求" not in {h for rows in parse(site / PLAN / "index.html").tables for h in rows[0]}
    # An area of more tasks than a page holds is cut into parts, in the order of the numbers.
    cut = parts(tasks, rows=4)
    assert [t.id for p in cut for t in p.tasks] == [t.id for p in parts(tasks) for t in p.tasks]
    assert max(len(p.tasks) for p in cut) == 4 and any(p.parts > 1 for p in cut)
    assert [p.number for p in cut] == list(range(1, len(cut) + 1))
    assert all(p.name.startswith(p.area) and (p.parts == 1) == (str(p.parts) not in p.name) for p in cut)


def test_a_periods_table_pages_list_every_report_filed_under_it_once(built: tuple[Path, Path]) -> None:
    from duban.supervise import deadlines

    root, site = built
    tasks = Repository(root).load_tasks(PLAN).tasks
    total = 0
    for period in deadlines.periods(Repository(root).plan(PLAN)):
        found = list((site / PLAN / "periods").glob(f"{period.number:02d}-*.html"))
        if not found:
            continue  # after the site's day
        page = found[0]
        index = parse(page)
        links = list(dict.fromkeys(link for link in index.links if link.startswith(page.stem + "/")))
        assert links, page
        filed = [
            row for link in links for row in table_with(parse(page.parent / link), "报送日期") if "任务" in row
        ]  # a page none of whose tasks reported has a row saying so
        expected = sorted((t.id, r.date.isoformat()) for t in tasks for r in t.progress if period.files(r.date))
        assert sorted((row["任务"].split(" ")[0], row["报送日期"]) for row in filed) == expected, page
        assert f"本期共报送{len(expected)}条" in page.read_text(encoding="utf-8"), page
        assert "报送日期" not in {h for rows in index.tables for h in rows[0]}  # not on the period's page itself
        total += len(expected)
    assert total > 10  # the clerk's reports, every one of them found


def test_the_units_lights_are_those_of_duban_report(built: tuple[Path, Path]) -> None:
    root, site = built
    report = json.loads(run(root, "report", "--plan", PLAN, "--as-of", DAY, "--format", "json"))
    page = parse(site / PLAN / "units" / "index.html")
    shown = {(r["单位"], r["角色"]): r for r in table_with(page, "角色")}
    assert len(shown) == len(report)
    for row in report:
        cells = shown[(row["group"], {"lead": "牵头", "support": "配合"}[row["role"]])]
        assert [cells[k] for k in ("项任务", "已完成", "红", "黄", "绿", "灰", "迟报")] == [
            "—" if row[k] is None else str(row[k]) for k in ("tasks", "done", "red", "yellow", "green", "grey", "late")
        ]
        assert cells["按时报送率 %"] == ("—" if row["on_time_rate"] is None else f"{row['on_time_rate']:g}%")
    by_area = json.loads(run(root, "report", "--plan", PLAN, "--as-of", DAY, "--by", "area", "--format", "json"))
    areas = table_with(parse(site / PLAN / "index.html"), "领域")
    assert [(r["领域"], r["红"], r["迟报"]) for r in areas] == [
        (a["group"], str(a["red"]), str(a["late"])) for a in by_area
    ]


def test_scores_ranks_and_points_are_those_of_duban_score(built: tuple[Path, Path]) -> None:
    from duban.site.html import slug

    root, site = built
    scores = json.loads(run(root, "score", "--plan", PLAN, "--month", "2019-06", "--format", "json"))
    ranked = {r["单位"]: r for r in table_with(parse(site / PLAN / "units" / "index.html"), "得分")}
    for unit in scores["units"]:
        if unit["rank"] is None:
            assert unit["unit"] not in ranked
            continue
        assert (ranked[unit["unit"]]["名次"], ranked[unit["unit"]]["得分"]) == (str(unit["rank"]), f"{unit['score']:g}")
        page = parse(site / PLAN / "units" / f"{slug(unit['unit'], 'u-')}.html")
        points = table_with(page, "分值")
        assert sorted(float(p["分值"]) for p in points) == sorted(p["points"] for p in unit["points"])
        # The deadline-by-deadline table adds up to the unit's on-time rate.
        steps = table_with(page, "应报")
        owed, met = sum(int(s["应报"]) for s in steps), sum(int(s["按时"]) for s in steps)
        assert (unit["on_time_rate"] is None and owed == 0) or round(100 * met / owed, 1) == unit["on_time_rate"]


def test_the_ledger_and_circulars_are_the_documents_themselves(built: tuple[Path, Path], tmp_path: Path) -> None:
    root, site = built
    run(root, "export", "--plan", PLAN, "--as-of", DAY, "--format", "html", "-o", str(tmp_path / "台账.html"))
    assert (site / PLAN / "ledger.html").read_bytes() == (tmp_path / "台账.html").read_bytes()
    run(root, "circular", "--month", "2019-06", "--date", DAY, "-o", str(tmp_path / "通报.html"))
    assert (site / PLAN / "circulars" / "2019-06.html").read_bytes() == (tmp_path / "通报.html").read_bytes()
    periods = table_with(parse(site / PLAN / "periods" / "index.html"), "报送截止日")
    assert [p["期次"] for p in periods] == ["2月", "3月", "4月", "5月", "6月"]
    assert periods[-1]["督查通报"] == "第5期"


def test_a_task_page_tells_every_report_and_every_change(built: tuple[Path, Path]) -> None:
    root, site = built
    page = parse(site / PLAN / "tasks" / "18.html")
    reports = table_with(page, "报送日期")
    assert [(r["报送日期"], r["完成进度"]) for r in reports] == [("2019-05-23", "30%"), ("2019-06-24", "45%")]
    assert all(r["录入时间"].startswith(r["报送日期"]) for r in reports)
    text = (site / PLAN / "tasks" / "18.html").read_text(encoding="utf-8")
    assert "新增报送:2019-06-24 建交委 45%" in text and "状态:未启动 → 进行中" in text
    blocked = (site / PLAN / "tasks" / "15.html").read_text(encoding="utf-8")
    assert "状态:进行中 → 受阻" in blocked  # the office's `duban set`, in words
    assert "status:" not in blocked and "progress:" not in blocked  # never YAML


def test_the_seal_and_its_check_are_shown_in_words(built: tuple[Path, Path]) -> None:
    root, site = built
    seals = (site / PLAN / "seals.html").read_text(encoding="utf-8")
    assert "已核验:1个封存" in seals and "全部仍在记录中,未被改动" in seals
    run(root, "verify")  # the same verdict from the command line (exit 0)
    rows = table_with(parse(site / PLAN / "seals.html"), "封存的提交")
    assert [(r["报送截止日"], r["核验"]) for r in rows] == [("2019年6月25日", "未被改动")]
    reports = {r["报送日期"]: r for r in table_with(parse(site / PLAN / "tasks" / "18.html"), "报送日期")}
    assert reports["2019-06-24"]["已封存于"] == "2019-06-25" and reports["2019-05-23"]["已封存于"] == "2019-06-25"
    after = {r["报送日期"]: r for r in table_with(parse(site / PLAN / "tasks" / "46.html"), "报送日期")}
    assert after["2019-06-26"]["已封存于"] == "—"  # recorded after the seal: not in it


def test_outside_text_is_shown_as_written(built: tuple[Path, Path]) -> None:
    _root, site = built
    text = (site / PLAN / "tasks" / "16.html").read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<b>粗体" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;粗体&lt;/b&gt;" in text
    for path in site.rglob("*.html"):
        assert "<script>alert" not in path.read_text(encoding="utf-8"), path


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@pytest.mark.slow
def test_no_request_leaves_the_folder_and_every_link_resolves(built: tuple[Path, Path]) -> None:
    _root, site = built
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        # No address of another host anywhere: no http(s), no protocol-relative //, no @import.
        assert not re.search(r"(?i)https?://|(?<![:\w])//[a-z0-9]|@import", text), path
        for found in re.findall(r"url\(([^)]*)\)", text):
            assert not _SCHEME.match(found.strip("'\" ")), (path, found)
        if path.suffix != ".html":
            continue
        for target in parse(path).links:
            assert not _SCHEME.match(target) and not target.startswith("//"), (path, target)
            file_part = unquote(urlsplit(target).path)
            if file_part:
                assert (path.parent / file_part).resolve().is_file(), (path, target)
                assert site.resolve() in (path.parent / file_part).resolve().parents, (path, target)


@pytest.mark.slow  # two whole site builds
def test_a_rebuild_rewrites_nothing_unchanged_and_removes_only_its_own_files(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    root, site = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    (copy / "mine.html").write_text("someone else's file", encoding="utf-8")
    manifest = json.loads((copy / ".duban-site").read_text(encoding="utf-8"))
    (copy / "gone.html").write_text("a page an earlier build made", encoding="utf-8")
    (copy / ".duban-site").write_text(json.dumps({"files": [*manifest["files"], "gone.html"]}), encoding="utf-8")
    os.utime(copy / PLAN / "tasks" / "40.html", ns=(1, 1))
    again = CliRunner().invoke(
        cli, ["--lang", "en", "--repo", str(root), "site", "--as-of", DAY, "-o", str(copy)], catch_exceptions=False
    )
    # --lang en: every page in English, so written again (the documents and assets are the same), and the old page removed.
    assert re.search(r"wrote \d+ files, \d+ unchanged, 1 removed", again.stderr), again.stderr
    assert (copy / "mine.html").exists() and not (copy / "gone.html").exists()
    english = (copy / PLAN / "index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in english and "Who lags, and why" in english
    CliRunner().invoke(cli, ["--repo", str(root), "site", "--as-of", DAY, "-o", str(copy)], catch_exceptions=False)
    os.utime(copy / PLAN / "tasks" / "40.html", ns=(1, 1))
    last = CliRunner().invoke(
        cli,
        ["--lang", "en", "--repo", str(root), "site", "--lang", "zh", "--as-of", DAY, "-o", str(copy)],
        catch_exceptions=False,
    )
    assert 'lang="zh-CN"' in (copy / PLAN / "index.html").read_text(encoding="utf-8")
    assert re.search(r"wrote 0 files, \d+ unchanged, 0 removed", last.stderr), last.stderr
    assert (copy / PLAN / "tasks" / "40.html").stat().st_mtime_ns == 1  # unchanged: not written again


@pytest.mark.slow  # two whole site builds
def test_a_rebuild_after_a_report_touches_its_pages_not_the_others(built: tuple[Path, Path], tmp_path: Path) -> None:
    from duban.record.recording import record_progress
    from duban.site import build

    root, site = built
    repo_copy, site_copy = tmp_path / "repo", tmp_path / "site"
    shutil.copytree(root, repo_copy, symlinks=True)
    shutil.copytree(site, site_copy)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in {**GIT_ENV, **at("2019-06-28")}.items():
            patch.setenv(key, value)
        record_progress(
            Repository(repo_copy),
            f"{PLAN}/41",
            60,
            note="新增一个报送",
            by="公安分局",
            date="2019-06-28",
            today=dt.date(2019, 6, 28),
        )
    from duban.i18n import set_language

    set_language("zh")
    try:
        result = build(Repository(repo_copy), site_copy, [PLAN], dt.date.fromisoformat(DAY))
    finally:
        set_language("en")
    assert f"{PLAN}/tasks/41.html" in result.written and f"{PLAN}/index.html" in result.written
    assert f"{PLAN}/tasks/40.html" in result.unchanged and f"{PLAN}/tasks/18.html" in result.unchanged
    assert len(result.written) < len(result.unchanged)


# ---- in real Chromium ------------------------------------------------------------------------------


@pytest.mark.slow  # every page in Chromium
def test_every_page_loads_from_file_with_no_failed_request_or_error(built: tuple[Path, Path], browser) -> None:
    _root, site = built
    pages = sorted(p for p in site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        visit = browser.visit(path)
        assert not visit.failed and not visit.console and not visit.exceptions, (path, visit)
        assert all(url.startswith("file://") for url in visit.requests), (path, visit.requests)
        assert browser.evaluate("document.title.length > 0 && document.body.innerText.length > 0"), path


def test_search_finds_a_task_by_pinyin_initials(built: tuple[Path, Path], browser) -> None:
    _root, site = built
    visit = browser.visit(site / "search.html")
    assert not visit.console and not visit.exceptions
    found = browser.evaluate(
        "var box=document.getElementById('search-box'); box.value='zdgc';"
        "box.dispatchEvent(new Event('input'));"
        "Array.from(document.querySelectorAll('#search-results a')).map(a=>[a.textContent,a.href])"
    )
    assert [text for text, _href in found] == ["18 推进市区重大工程项目建设"]
    assert browser.visit(Path(unquote(urlsplit(found[0][1]).path))).exceptions == []
    # From any page's search box, by the query in the address: jrb is 金融办.
    browser.visit(site / PLAN / "index.html")
    browser.follow("document.getElementById('q').value='jrb'; document.querySelector('form.search').submit()")
    assert browser.evaluate("location.pathname").endswith("search.html")
    names = browser.evaluate("Array.from(document.querySelectorAll('#search-results a')).map(a=>a.textContent)")
    assert "金融办" in names


@pytest.mark.slow  # the table's pages in Chromium
def test_every_row_of_the_table_is_reached_from_the_plan_page_in_chromium(built: tuple[Path, Path], browser) -> None:
    root, site = built
    browser.visit(site / PLAN / "index.html", width=390)
    hrefs = browser.evaluate(
        "Array.from(document.querySelectorAll('#main a')).filter(a=>a instanceof HTMLAnchorElement)"
        ".map(a=>a.href).filter(h=>h.includes('/table/'))"
    )
    seen = []
    for href in dict.fromkeys(hrefs):
        visit = browser.visit(Path(unquote(urlsplit(href).path)), width=390)
        assert not visit.failed and not visit.console and not visit.exceptions, (href, visit)
        assert browser.evaluate("document.documentElement.scrollWidth") <= 391, href
        assert browser.evaluate("document.querySelectorAll('h1').length") == 1
        assert browser.evaluate("document.querySelectorAll('table.comparison th[scope=col]').length") >= 6
        seen += browser.evaluate(
            "Array.from(document.querySelectorAll('table.comparison tbody tr')).map(r=>r.cells[0].textContent.trim())"
        )
    assert sorted(seen) == sorted(t.id for t in Repository(root).load_tasks(PLAN).tasks)


# How narrow the narrowest table cell holding words (not a figure) is against the room its words
# want, up to four characters' (1: wide enough; a long name in two characters' room is 0.5);
# the smallest text in a chart, in pixels as drawn.
NARROWEST_TEXT_CELL = (
    "Math.min(99, ...Array.from(document.querySelectorAll('td:not(.num)')).filter(c=>c.offsetWidth&&c.textContent.trim())"
    ".map(c=>c.getBoundingClientRect().width/parseFloat(getComputedStyle(c).fontSize)"
    "/Math.min(c.textContent.trim().length*0.5,4)))"
)
SMALLEST_CHART_TEXT = (
    "Math.min(99, ...Array.from(document.querySelectorAll('svg text[font-size]')).map(t=>{const s=t.ownerSVGElement;"
    "return t.getAttribute('font-size')*s.getBoundingClientRect().width/s.viewBox.baseVal.width}))"
)


@pytest.mark.slow  # pages in Chromium at two widths
def test_pages_read_at_a_phones_width_and_on_a_desktop(built: tuple[Path, Path], browser, tmp_path: Path) -> None:
    _root, site = built
    unit_link = next(link for link in parse(site / PLAN / "units" / "index.html").links if link.startswith("u-"))
    shown = {"front": site / "index.html", "plan": site / PLAN / "index.html"}
    shown |= {"unit": site / PLAN / "units" / unit_link, "task": site / PLAN / "tasks" / "16.html"}
    keep = os.environ.get("DUBAN_SITE_SHOTS")  # where a person wants to look at them (docs/site/)
    for width in (1280, 390):
        for kind, page in shown.items():
            browser.visit(page, width=width)
            # No text runs off the side: the page is as wide as the screen, wide tables scroll in their box.
            assert browser.evaluate("document.documentElement.scrollWidth") <= width + 1, (kind, width)
            assert browser.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily").startswith(
                '"Noto Sans CJK SC"'
            )
            # A name in a table is not cut into a character a line, a chart's words are not
            # shrunk below 10 pixels: what does not fit scrolls in its box.
            assert browser.evaluate(NARROWEST_TEXT_CELL) >= 1, (kind, width)
            assert browser.evaluate(SMALLEST_CHART_TEXT) >= 10, (kind, width)
            shot = browser.screenshot(tmp_path / f"{kind}-{width}.png", width, most=2400)
            assert shot.stat().st_size > 10_000
            if keep:
                shutil.copy(shot, Path(keep) / shot.name)
        browser.visit(shown["plan"], width=width)
    # The lights carry a word and a shape, not a colour alone.
    words = browser.evaluate("Array.from(document.querySelectorAll('.light')).slice(0,3).map(e=>e.textContent)")
    assert all(re.match(r"^[■▲●○] [红黄绿灰]灯$", w) for w in words), words
