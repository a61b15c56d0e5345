"""One term of a query (lead:发改委, due<2019-06-30, 白皮书) read into a matcher, with a
positioned error for a field, value or comparison that cannot be."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable
from typing import Any

from duban import vocabulary
from duban.errors import DubanError
from duban.i18n import _
from duban.model import Plan, Task
from duban.supervise.query_tokens import COMPARABLE, FIELDS, HAS, QueryError, Token, field_term
from duban.supervise.query_tree import Context, Matcher, on_column
from duban.text.pinyin import _is_initials, prefer_common_readings, text_matches


def _one_of(options: tuple[str, ...]) -> str:
    return _("one of {options}").format(options=", ".join(options))


def _one_of_words(kind: str, among: tuple[str, ...] | None = None) -> str:
    return _("one of {options}").format(options=vocabulary.choices(kind, among))


class Term:
    """One token of a query as a matcher; `named` collects the units, plans and areas it names."""

    def __init__(self, query: str, token: Token) -> None:
        self.query = query
        self.token = token
        self.named: list[tuple[str, str, int]] = []

    def error(self, message: str, hint: str | None = None, offset: int = 0) -> QueryError:
        return QueryError(message, self.query, self.token.column + offset, hint=hint)

    def value_error(self, message: str, hint: str | None = None) -> QueryError:
        """An error in the term's value: its column is the value's (percent<abc at `abc`)."""
        return self.error(message, hint, self.value_offset)

    def matcher(self) -> Matcher:
        text = self.token.text
        match = None if text.startswith('"') else field_term(text)
        if match is None:
            return _free_text(unquote(text))
        key, op, value = match["key"], match["op"], unquote(match["value"])
        if not key.isascii():
            # A Chinese field name (状态:延期); other Chinese text before a colon is just text.
            key = vocabulary.resolve("field", key) or ""
            if key not in FIELDS:
                return _free_text(unquote(text))
        elif key.lower() in FIELDS:
            key = key.lower()  # Lead:, STATUS:
        elif key.islower() and vocabulary.resolve("field", key, FIELDS):
            key = vocabulary.resolve("field", key, FIELDS) or key  # zt:jxz, the initials of 状态:进行中
        elif not key.islower():
            return _free_text(unquote(text))  # GDP:5 is text, as it always was
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            raise self.error(
                _("unknown field {name!r}").format(name=match["key"]),
                hint=_("did you mean {name}:?").format(name=close[0])
                if close
                else _("fields: {fields}").format(fields=vocabulary.choices("field", FIELDS)),
            )
        self.value_offset = match.start("value")
        if value == "":
            raise self.error(_("{term} needs a value").format(term=key + op))
        if op not in (":", "=") and key not in COMPARABLE:
            raise self.error(
                _("{key} cannot be compared with {op}").format(key=key, op=op),
                hint=_("write {term}").format(term=f"{key}:{value}"),
            )
        if key == "due":
            return self._due(op, value)
        if key == "percent":
            return self._percent(op, value)
        return getattr(self, f"_{key}", self._text_field(key))(value)

    # -- comparisons --
    def _due(self, op: str, value: str) -> Matcher:
        # Deferred: loads duban.dates only when this runs
        from duban.dates import parse_day

        try:
            day = parse_day(value)  # 2019年6月30日 and 2019/6/30 as --date takes them
        except DubanError:
            raise self.value_error(
                _("{value!r} is not a date").format(value=value), hint=_("write {term}").format(term="due<2019-06-30")
            ) from None
        compare = _COMPARE[op]
        return on_column("due", lambda plan_id, due, context: due is not None and compare(due, day))

    def _percent(self, op: str, value: str) -> Matcher:
        try:
            number = float(unicodedata.normalize("NFKC", value).rstrip("%"))
        except ValueError:
            raise self.value_error(
                _("{value!r} is not a number").format(value=value), hint=_("write {term}").format(term="percent<50")
            ) from None
        compare = _COMPARE[op]
        return lambda task, context: compare(context.percent(task) or 0, number)

    # -- fields with a fixed set of values: the key, its Chinese words or their initials --
    def _word(self, kind: str, value: str, unknown: str, among: tuple[str, ...] | None = None) -> str:
        key = vocabulary.resolve(kind, value, among)
        if key is not None and (among is None or key in among):
            return key
        several = vocabulary.ambiguous(kind, value, among)
        if len(several) > 1:
            raise self.value_error(
                _("{value!r} is ambiguous").format(value=value),
                hint=_one_of(tuple(vocabulary.shown(kind, k) for k in several)),
            )
        close = vocabulary.suggest(kind, value, among)
        raise self.value_error(
            unknown.format(value=value),
            hint=(_("did you mean {word}?").format(word=close) + " " if close else "") + _one_of_words(kind, among),
        )

    def _status(self, value: str) -> Matcher:
        wanted = self._word("status", value, _("unknown status {value!r}"))
        return on_column("status", lambda plan_id, status, context: status == wanted)

    def _type(self, value: str) -> Matcher:
        wanted = self._word("type", value.rstrip("类"), _("unknown type {value!r}"))
        return on_column("type", lambda plan_id, kind, context: kind == wanted)

    def _light(self, value: str) -> Matcher:
        wanted = self._word("light", value, _("unknown light {value!r}"))
        return lambda task, context: context.light(task)[0] == wanted

    def _late(self, value: str) -> Matcher:
        if value in ("true", "false"):
            value = "yes" if value == "true" else "no"
        if vocabulary.resolve("late", value) is None:
            # late:UNIT: the tasks on which that lead unit itself missed the latest deadline
            # (rule 6), the number `report` and the overview count as its late reports.
            self.named.append(("late unit", value, self.token.column + self.value_offset))
            return _unit_matcher(
                value, None, lambda task, context: context.late_units(task) if context.light(task)[1] else ()
            )
        wanted = vocabulary.resolve("late", value) == "yes"
        return lambda task, context: context.light(task)[1] == wanted

    def _has(self, value: str) -> Matcher:
        value = self._word("field", value, _("unknown {term}").format(term="has:{value}"), HAS)
        getters: dict[str, Callable[[Task], Any]] = {
            "milestones": lambda t: t.milestones,
            "due": lambda t: t.due,
            "parent": lambda t: t.parent,
            "progress": lambda t: t.progress,
            "report": lambda t: t.progress,
            "lead": lambda t: t.lead,
            "support": lambda t: t.support,
            "indicators": lambda t: t.indicators,
            "type": lambda t: t.type,
            "section": lambda t: t.section,
            "category": lambda t: t.category,
        }
        getter = getters[value]
        return lambda task, context: bool(getter(task))

    def _plan(self, value: str) -> Matcher:
        self.named.append(("plan", value, self.token.column + self.value_offset))
        return on_column("plan_id", lambda plan_id, _plan, context: plan_id == value or (value in plan_id))

    def _parent(self, value: str) -> Matcher:
        return on_column("parent", lambda plan_id, parent, context: parent == value)

    def _id(self, value: str) -> Matcher:
        return on_column("id", lambda plan_id, task_id, context: task_id == value)

    # -- units --
    def _lead(self, value: str) -> Matcher:
        self.named.append(("unit", value, self.token.column + self.value_offset))
        return _unit_matcher(value, "lead")

    def _support(self, value: str) -> Matcher:
        self.named.append(("unit", value, self.token.column + self.value_offset))
        return _unit_matcher(value, "support")

    def _unit(self, value: str) -> Matcher:
        self.named.append(("unit", value, self.token.column + self.value_offset))
        return _unit_matcher(
            value,
            None,
            lambda task, context: (*context.lead(task), *task.support, *(r.by for r in task.progress if r.by)),
        )

    def _by(self, value: str) -> Matcher:
        self.named.append(("unit", value, self.token.column + self.value_offset))
        return _unit_matcher(value, None, lambda task, context: tuple(r.by for r in task.progress if r.by))

    def _text_field(self, key: str) -> Callable[[str], Matcher]:
        def make(value: str) -> Matcher:
            if key == "area":
                self.named.append(("area", value, self.token.column + self.value_offset))
            if key != "text":  # the long text is not a column
                return on_column(key, lambda plan_id, text, context: text_matches(value, text))
            return lambda task, context: text_matches(value, task.text)

        return make


def unquote(text: str) -> str:
    return text.replace('"', "")


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b,
    ":": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _free_text(value: str) -> Matcher:
    # A plan id or a task's ref typed as it is printed (2019-changning, 2019-changning/3) means
    # that plan or that task: no title holds it, so as text it would find nothing.
    folded = value.strip().lower()
    return lambda task, context: (
        text_matches(value, task.title)
        or (not _is_initials(value) and value.lower() in task.text.lower())
        or folded in (task.plan_id.lower(), task.ref.lower())
    )


def _unit_matcher(
    value: str, field: str | None, names_of: Callable[[Task, Context], tuple[str, ...]] | None = None
) -> Matcher:
    """A term on the units a task names: its `field` (lead, the effective one, or support),
    or, without one, the names names_of gives."""
    # Which registered units the value names is worked out once per plan (a registry holds
    # tens of units), so each task costs only dictionary look-ups, even with 10,000 tasks.
    wanted_by_plan: dict[str, set[str]] = {}

    def wanted_in(plan: Plan) -> set[str]:
        if plan.id not in wanted_by_plan:
            named = plan.units.resolve(value)
            matched = [
                unit
                for unit in plan.units
                if unit is named or any(text_matches(value, s) for s in (unit.name, *unit.aliases))
            ]
            if _is_initials(value) and named is None:
                matched = prefer_common_readings(value, matched, lambda u: (u.name, *u.aliases))
            wanted_by_plan[plan.id] = {unit.name for unit in matched}
        return wanted_by_plan[plan.id]

    # Whether a name a task gives names a wanted unit, by plan and name: 10,000 tasks name a
    # few dozen units, so each is resolved once, not once a task (a third of a keystroke).
    named_by_plan: dict[tuple[str, str], bool] = {}

    def names_wanted(plan: Plan, name: str) -> bool:
        key = (plan.id, name)
        found = named_by_plan.get(key)
        if found is None:
            unit = plan.units.resolve(name)
            found = named_by_plan[key] = (
                (unit.name in wanted_in(plan)) if unit is not None else text_matches(value, name)
            )
        return found

    # And whether a task's names name one, by plan and names: 100,000 tasks give a few hundred
    # distinct lists, so a task costs one look-up (the plan and the loop were two thirds of
    # a `list lead:fgw` query's time).
    answer_by_names: dict[tuple[str, tuple[str, ...]], bool] = {}

    def answer(plan_id: str, names: tuple[str, ...], context: Context) -> bool:
        if not names:
            return False
        key = (plan_id, tuple(names))
        found = answer_by_names.get(key)
        if found is None:
            plan = context.plan_of(plan_id)
            found = answer_by_names[key] = any(names_wanted(plan, name) for name in names)
        return found

    if field is not None:
        return on_column(field, answer)
    assert names_of is not None
    return lambda task, context: answer(task.plan_id, names_of(task, context), context)
