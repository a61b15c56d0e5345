"""What a clerk types, read as the record stores it: a unit (its name, an alias, its pinyin
initials or a part of its name), a status (its key or its Chinese word), a date."""

from __future__ import annotations

import datetime as dt
import unicodedata

from duban import vocabulary
from duban.dates import parse_day
from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Unit
from duban.store.repository import Repository


class UnknownUnit(DubanError):
    """A name no unit of the plan has (as a name, an alias or pinyin initials): every command,
    form and dialog that reads a typed unit says so in these words, with the nearest names."""

    def __init__(self, plan: Plan, name: str) -> None:
        suggestions = plan.units.suggest(name)
        hint = (
            _("did you mean {names}?").format(names=_(" or ").join(repr(s) for s in suggestions))
            if suggestions
            else _("`duban units --plan {plan}` lists them").format(plan=plan.id)
        )
        super().__init__(_("unknown unit {name} in plan {plan}").format(name=repr(name), plan=plan.id), hint=hint)
        self.suggestions = suggestions


def resolve_unit(repo: Repository, plan_id: str, name: str, among: tuple[str, ...] = ()) -> str:
    """The unit `name` writes: its name or alias, its pinyin initials, else, as a query reads
    it (lead:jtj, lead:交通局), a part of its name or the initials of a part, when that names
    one unit, or one of `among` (the task's units) only."""
    plan = repo.plan(plan_id)
    unit = plan.units.resolve(name) or unit_by_initials(plan, name)
    if unit is not None:
        return unit.name
    several = units_by_initials(plan, name)
    if several:
        raise DubanError(
            _("{name!r} is the initials of several units: {names}").format(
                name=name, names="、".join(u.name for u in several)
            ),
            hint=_("write the unit's name"),
        )
    spelled = units_spelled(plan, name)
    if len(spelled) > 1 and among:
        spelled = [u for u in spelled if u.name in among] or spelled
    if len(spelled) == 1:
        return str(spelled[0].name)
    if spelled:
        raise DubanError(
            _("{name!r} names several units: {names}").format(name=name, names="、".join(u.name for u in spelled)),
            hint=_("write the unit's name"),
        )
    raise UnknownUnit(plan, name)


def units_spelled(plan: Plan, name: str) -> list[Unit]:
    """The units a query's `lead:NAME` finds: NAME a part of the name or of an alias, or the
    pinyin initials of a part (jtj in 县交通局)."""
    # Deferred: loads duban.text.pinyin (2 duban modules in all) only when this runs
    from duban.text.pinyin import text_matches

    if not name.strip():
        return []
    return [unit for unit in plan.units if any(text_matches(name.strip(), n) for n in (unit.name, *unit.aliases))]


def units_by_initials(plan: Plan, name: str) -> list[Unit]:
    """The units whose name or alias `name` spells in pinyin initials (fgw: 发改委). When a
    rare reading makes several match (czj: 财政局, and 体育局 by 体's rare cuì), those the
    common readings spell are kept."""
    name = unicodedata.normalize("NFKC", name).strip()  # ＦＧＷ, typed with the input method still on
    if not (name.isascii() and name.isalpha()):
        return []
    # Deferred: loads duban.text.pinyin (2 duban modules in all) only when this runs
    from duban.text.pinyin import prefer_common_readings, text_matches

    found = {
        unit.name: unit
        for unit in plan.units
        if any(text_matches(name, n) and len(n) == len(name) for n in (unit.name, *unit.aliases))
    }
    return prefer_common_readings(name, list(found.values()), lambda u: (u.name, *u.aliases), whole=True)


def unit_by_initials(plan: Plan, name: str) -> Unit | None:
    """The one unit `name` spells in pinyin initials (units_by_initials), if only one."""
    found = units_by_initials(plan, name)
    return found[0] if len(found) == 1 else None


def status_key(status: str) -> str:
    """A status written as its key or its Chinese word (延期, 进行中)."""
    key = vocabulary.resolve("status", status)
    if key is None:
        close = vocabulary.suggest("status", status)
        raise DubanError(
            _("unknown status {value!r}").format(value=status),
            hint=(_("did you mean {word}?").format(word=close) + " " if close else "")
            + _("one of {options}").format(options=vocabulary.choices("status")),
        )
    return key


def parse_date(
    text: str | None, today: dt.date | None = None, option: str = "--date", year: int | None = None
) -> dt.date:
    """The day typed (today when none), a day without its year in `year` (the plan's)."""
    if text is None:
        return today or dt.date.today()
    return parse_day(text, option, year=year, today=today)
