"""A refusal of the pre-receive hook: which commit, file, unit and rule, said as one line in the
language set."""

from __future__ import annotations

from dataclasses import dataclass

from duban.i18n import _


@dataclass(frozen=True)
class Refusal:
    commit: str  # the commit, or the ref where the refusal is about a ref
    path: str  # the file, or "" where the refusal is about the push itself
    unit: str  # the unit whose report or right it is about, or ""
    rule: str  # what rule the change breaks, in the language set

    def line(self) -> str:
        where = " ".join(
            part for part in (self.commit[:10] if len(self.commit) == 40 else self.commit, self.path) if part
        )
        if not where:
            return _("refused: {rule}").format(rule=self.rule)
        if self.unit:
            return _("refused: {where}: unit {unit}: {rule}").format(where=where, unit=self.unit, rule=self.rule)
        return _("refused: {where}: {rule}").format(where=where, rule=self.rule)
