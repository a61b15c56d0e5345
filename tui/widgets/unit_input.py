"""UnitInput: a unit field that completes by name, alias or pinyin initials (`jrb` → 金融办)
and shows the unit it will record, so a clerk sees the attribution before saving."""

from __future__ import annotations

from textual.suggester import Suggester

from duban.model import Plan
from duban.text.pinyin import text_matches
from duban.tui.widgets.text_input import TextInput


def matching_units(plan: Plan, typed: str) -> list[str]:
    """Canonical names of the units `typed` names: exactly (name or alias), else by substring or
    pinyin initials of the name or an alias."""
    typed = typed.strip()
    if not typed:
        return []
    exact = plan.units.resolve(typed)
    if exact is not None:
        return [exact.name]
    return [u.name for u in plan.units if any(text_matches(typed, name) for name in (u.name, *u.aliases))]


def resolve_typed_unit(plan: Plan, typed: str) -> str:
    """The unit to record for what was typed: the one match if there is exactly one, else the
    text as typed (the core then refuses it with a did-you-mean)."""
    found = matching_units(plan, typed)
    return found[0] if len(found) == 1 else typed.strip()


class UnitSuggester(Suggester):
    """Completes a unit's name as it is typed (Right or End accepts)."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.plan = plan

    async def get_suggestion(self, value: str) -> str | None:
        for unit in self.plan.units:
            for name in (unit.name, *unit.aliases):
                if value and name.startswith(value) and name != value:
                    return name
        return None


class UnitInput(TextInput):
    def __init__(self, plan: Plan, value: str = "", *, id: str | None = None, compact: bool = False) -> None:
        super().__init__(value, suggester=UnitSuggester(plan), id=id, compact=compact)
        self.plan = plan
