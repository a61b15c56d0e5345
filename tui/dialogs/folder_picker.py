"""FolderPicker: pick the folder of returned forms (or one form) from a tree of folders, for a
clerk who does not type paths. Only folders and spreadsheets are listed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Footer, Static

from duban.i18n import _
from duban.text.glyphs import ascii_chosen
from duban.tui.legacy_console import one_cell_tree

FORM_SUFFIXES = (".xlsx",)


class FormsTree(DirectoryTree):
    """Folders and .xlsx files; hidden ones (.git, ~$ lock files of an open workbook) left out."""

    def on_mount(self) -> None:
        if ascii_chosen():
            one_cell_tree(self)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith((".", "~$")) and (path.is_dir() or path.suffix.lower() in FORM_SUFFIXES)
        ]


class FolderPicker(ModalScreen[Path | None]):
    """Enter on a form picks it; Ctrl+S picks the folder under the cursor (or the form's folder)."""

    CSS_PATH = "folder_picker.tcss"
    BINDINGS = [
        Binding("ctrl+s", "pick_folder", _("Take this folder"), priority=True),
        Binding("escape", "cancel", _("Cancel")),
    ]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start if start.is_dir() else (start.parent if start.parent.is_dir() else Path.home())

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(_("Choose the folder of returned forms (Ctrl+S) or one form (Enter):"), id="picker-title")
            yield FormsTree(self.start, id="picker-tree")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FormsTree).focus()

    @on(DirectoryTree.FileSelected)
    def form_chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(event.path)

    def action_pick_folder(self) -> None:
        node = self.query_one(FormsTree).cursor_node
        path = node.data.path if node is not None and node.data is not None else self.start
        self.dismiss(path if path.is_dir() else path.parent)

    def action_cancel(self) -> None:
        self.dismiss(None)
