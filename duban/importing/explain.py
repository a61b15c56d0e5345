"""`duban import --explain`: each line of the document, what it became and by which rule."""

from __future__ import annotations

from duban.i18n import _
from duban.importing.result import ImportResult

WIDTH = 36


def _excerpt(text: str) -> str:
    return text if len(text) <= WIDTH else text[:WIDTH] + "…"


def explain(result: ImportResult) -> str:
    out: list[str] = []
    for line in result.document.lines:
        if not line.text:
            continue
        where = result.used.get(line.number) or (
            _("skipped: {reason}").format(reason=result.skipped[line.number]) if line.number in result.skipped else ""
        )
        rules = [
            r[len(where) + 2 : -1] if where and r.startswith(where + " (") and r.endswith(")") else r
            for r in result.explain.get(line.number, [])
        ]
        rules = [r for r in rules if r and r != where]
        out.append(f"{line.number:>5}  {_excerpt(line.text)}")
        out.append(f"       -> {where}" + (f"  [{'; '.join(dict.fromkeys(rules))}]" if rules else ""))
    if result.readings:
        name, evidence = result.readings[0]
        out += ["", _("reading: {name} ({evidence})").format(name=name, evidence=evidence)]
        if result.reading_note:
            out.append(_("  why: {why}").format(why=result.reading_note))
        if len(result.readings) > 1:
            second, second_evidence = result.readings[1]
            out.append(_("  second: {name} ({evidence})").format(name=second, evidence=second_evidence))
    if result.recipe is not None and result.recipe.path is not None:
        out.append(_("recipe: {path}").format(path=result.recipe.path))
    if result.unsure or result.notes:
        out += ["", _("unsure:")] + [f"  - {note}" for note in result.notes]
    return "\n".join(out) + "\n"
