"""keep_wide_characters_whole: Chinese characters are not lost where Textual's compositor cuts a
screen line at the edges of the widgets beneath a toast, a docked key or a dialog.

Textual cuts every line at each visible widget's left and right edge, hidden or not, and
divides the front widget's line at all of them; a character two cells wide that straddles
such a cut becomes two spaces (Textual issue 6357, open for Textual 8.2.8:
https://github.com/Textualize/textual/issues/6357). The audit's T10: `不在可选值中` read
`不在    值中` where a toast crossed the detail pane's border, and the footer's `命令` lost
`命` where the palette key is docked over the key labels that do not fit at 80 columns.
Nothing in a widget can avoid it (the cuts are other widgets' edges), so the compositor is
taught not to divide a widget's line where the same widget is in front on both sides.

Textual's own methods are replaced only while their code is the code this was written
against: another Textual is left as it is, and tests/tui/test_wide_characters.py says so.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

# sha256 of inspect.getsource of the two methods replaced, as in Textual 8.2.8.
WRITTEN_AGAINST = {
    "_render_chops": "ca8c3359d7afd0171bda158ab5b846fec5144539e438de5113d76f11eb357f0f",
    "render_partial_update": "888dccc892d8ecc28bab71d9bf3a2983109bf88252471634214a586416d5dbc5",
}
_EMPTY = Strip([], 0)
_original: dict[str, Callable[..., Any]] = {}


def source_digest(method: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(method).encode()).hexdigest()


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip | None]]:
    """Textual's Compositor._render_chops, but a widget's line is divided only where another
    widget takes over: the chops it wins side by side get its line whole in the first of
    them and nothing in the others, so no character of it is cut there."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            # Painting front to back: a chop still empty is this widget's.
            ours = [line.get(cut) is None for cut in final_cuts[:-1]]
            starts = [cut for index, cut in enumerate(final_cuts[:-1]) if index == 0 or ours[index] != ours[index - 1]]
            pieces = dict(zip(starts, strip.divide([cut - render_x for cut in [*starts[1:], final_cuts[-1]]])))
            for cut, mine in zip(final_cuts, ours):
                if mine:
                    line[cut] = pieces.get(cut, _EMPTY)
    return chops


def render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Textual's Compositor.render_partial_update, for chops that may run past their cut:
    every widget on a changed line is drawn (so a chop left empty is empty because a widget
    in front has it, not because that widget was not drawn), and each changed span is
    widened to the whole chops it touches, so a character is written whole or not at all."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(screen_region)
    crop = Region(0, crop.y, screen_region.width, crop.height)
    spans = list(self._regions_to_spans(update_regions))
    chops = self._render_chops(crop, {y for y, _x1, _x2 in spans}.__contains__)
    chop_ends: list[list[int]] = []
    for line, cut_set in zip(chops, self.cuts):
        chop_ends.append(
            [x + strip.cell_length if strip is not None else end for (x, strip), end in zip(line.items(), cut_set[1:])]
        )
    widened = []
    for y, x1, x2 in spans:
        for x, end in zip(chops[y], chop_ends[y]):
            if x <= x1 < end:
                x1 = x
            if x < x2 <= end:
                x2 = end
        widened.append((y, x1, x2))
    return ChopsUpdate(chops, widened, chop_ends)


_REPLACEMENTS = {"_render_chops": _render_chops, "render_partial_update": render_partial_update}


def keep_wide_characters_whole() -> bool:
    """Replace the two methods (once); False when this Textual's differ from those they were
    written against, and are left alone."""
    if _original or all(getattr(Compositor, name).__module__ == __name__ for name in _REPLACEMENTS):
        return True  # installed, by this module or by itself before make_app reloaded the TUI's modules
    if any(source_digest(getattr(Compositor, name)) != digest for name, digest in WRITTEN_AGAINST.items()):
        return False
    for name, replacement in _REPLACEMENTS.items():
        _original[name] = getattr(Compositor, name)
        setattr(Compositor, name, replacement)
    return True
