"""No import cycle among duban's modules (cli/ and tui/ included, under the names they install
as): import-linter checks layers but not cycles, so this reads its graph (grimp) and names every
cycle it finds. Imports made only for type checking are left out: they never run, and they are
how two modules' types name each other (model.Report in reading's annotations)."""

from __future__ import annotations

import grimp
import pytest

# Cycles known and not yet broken: each is named by the modules it runs through, with what
# would break it. A new cycle fails the test, and so does a known one that is gone (take it off).
KNOWN: set[frozenset[str]] = set()
# The interfaces' own tangles: the entry (cli.early) runs cli.main, whose commands take the
# head start the entry made (cli.context -> cli.early); the app opens the screens, which
# reach the app through tui.access. Named by the package, not each module in them.
KNOWN_TANGLES = ("duban.cli", "duban.tui")


def cycles(graph: grimp.ImportGraph) -> dict[frozenset[str], tuple[str, ...]]:
    """Each set of modules that import one another in a ring, with one shortest ring through them."""
    found: dict[frozenset[str], tuple[str, ...]] = {}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = (
                graph.find_shortest_chain(importer=imported, imported=importer) if imported in graph.modules else None
            )
            if back:
                ring = (importer, *back)
                found.setdefault(frozenset(ring), ring)
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("duban", exclude_type_checking_imports=True, cache_dir=None)


def test_the_graph_holds_the_interfaces(graph: grimp.ImportGraph) -> None:
    assert {"duban.model", "duban.cli.main", "duban.tui.app", "duban.importing.cells"} <= graph.modules


def test_no_import_cycle(graph: grimp.ImportGraph) -> None:
    found = cycles(graph)
    new = sorted(
        " -> ".join(ring)
        for modules, ring in found.items()
        if modules not in KNOWN and not all(m.startswith(KNOWN_TANGLES) for m in modules)
    )
    assert new == [], "import cycles (break each by moving the shared piece below both):\n" + "\n".join(new)
    gone = [sorted(modules) for modules in KNOWN if modules not in found]
    assert gone == [], f"no longer a cycle, take it off KNOWN: {gone}"


def test_the_check_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in (("a.b", "a.c"), ("a.c", "a.d"), ("a.d", "a.b"), ("a.d", "a.e")):
        graph.add_import(importer=importer, imported=imported)
    assert list(cycles(graph).values()) == [("a.b", "a.c", "a.d", "a.b")]
