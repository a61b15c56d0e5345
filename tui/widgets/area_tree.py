"""AreaTree: the plan's areas, each with the count and lights of the tasks the filter matches."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from duban.model import Plan, Task
from duban.states import LightColour
from duban.supervise.lights import Light
from duban.text.glyphs import ascii_chosen, glyph
from duban.tui.legacy_console import one_cell_tree
from duban.tui.widgets.task_table import LIGHT_STYLE


class AreaTree(Tree[object]):
    """The plan at the root, its areas below. Choosing a node posts AreaTree.Chosen."""

    class Chosen(Message):
        """An area was chosen (None: the whole plan)."""

        def __init__(self, area: str | None) -> None:
            super().__init__()
            self.area = area

    def on_mount(self) -> None:
        if ascii_chosen():
            one_cell_tree(self)

    def fill(self, plan: Plan) -> None:
        self.clear()
        self.root.data = None
        for area in plan.areas:
            self.root.add_leaf(Text(area.name), data=area.name)
        self.root.expand()

    def count(
        self, plan_id: str, matching: list[Task], scope: str | None, light_of: Callable[[Task], Light] | None
    ) -> None:
        """Each area with the count (and, given `light_of`, the lights) of the tasks the filter
        matches, the chosen area `scope` marked ▶. Runs on every keystroke, over every match."""
        counts: dict[str, int] = {}
        colours: dict[tuple[str, str], int] = {}
        for task in matching:  # one pass
            counts[task.area] = counts.get(task.area, 0) + 1
            if light_of is not None:
                key = (task.area, light_of(task).colour)
                colours[key] = colours.get(key, 0) + 1
        self._set_label(self.root, Text(f"{plan_id} ({len(matching)})", style="" if scope else "bold"))
        for node in self.root.children:
            area = str(node.data)
            label = Text(
                (glyph("current") + " " if node.data == scope else "") + f"{area} ({counts.get(area, 0)}) ",
                style="bold" if node.data == scope else "",
            )
            for colour in (LightColour.RED, LightColour.YELLOW, LightColour.GREEN):
                count = colours.get((area, colour), 0)
                if count:
                    label.append(f"{glyph('dot')}{count} ", style=LIGHT_STYLE[colour])
            self._set_label(node, label)

    def remeasure(self) -> None:
        """Measure the widest label again, as when the lights' counts came first: Textual's
        Tree measures its width when it builds its lines, not on set_label. Expanding a node
        is the public call that has the tree build its lines again (the root is always
        expanded, so nothing else changes); tests/tui/test_typing.py fails if it stops doing so."""
        self.root.expand()

    @staticmethod
    def _set_label(node: TreeNode[object], label: Text) -> None:
        if node.label != label:  # an unchanged label is not redrawn
            node.set_label(label)

    def _on_tree_node_selected(self, event: Tree.NodeSelected[object]) -> None:
        event.stop()
        self.post_message(self.Chosen(None if event.node.data is None else str(event.node.data)))
