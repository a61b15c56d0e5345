"""Shell completion (bash, zsh, fish, through Click's): refs, plan ids, units by name, alias or
pinyin initials, fields for `duban set`, and the fields and values of a query.

Set up with `eval "$(_DUBAN_COMPLETE=bash_source duban)"` (zsh_source, fish_source); Click
then calls these functions with what has been typed so far. They never fail: without a
repository there is nothing to offer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from duban.store.repository import Repository


def _item(value: str, help: str | None = None) -> CompletionItem:
    from click.shell_completion import CompletionItem  # only when completing: start-up stays lean

    return CompletionItem(value, help=help)


def _repository(ctx: click.Context) -> Repository | None:
    # Deferred: loads duban.errors and 1 more (13 duban modules in all) only when this runs
    from duban.errors import DubanError
    from duban.store.repository import Repository

    try:
        return Repository.find(explicit=ctx.find_root().params.get("repo"))
    except (DubanError, OSError):
        return None


def plan_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    repo = _repository(ctx)
    return [_item(plan) for plan in (repo.plan_ids() if repo else []) if plan.startswith(incomplete)]


def refs(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """PLAN-ID/ID from the task files' names, without reading them."""
    # Deferred: loads duban.model and 1 more (13 duban modules in all) only when this runs
    from duban.model import natural_key
    from duban.store.task_files import task_files

    repo = _repository(ctx)
    if repo is None:
        return []
    found = []
    for plan in repo.plan_ids():
        if not (plan.startswith(incomplete) or incomplete.startswith(plan)):
            continue
        ids = sorted((path.stem for path in task_files(repo.plans_folder / plan / "tasks")), key=natural_key)
        found += [_item(f"{plan}/{task_id}") for task_id in ids if f"{plan}/{task_id}".startswith(incomplete)]
    return found


def _units(ctx: click.Context, typed: str) -> list[CompletionItem]:
    # Deferred: loads duban.text.pinyin (5 duban modules in all) only when this runs
    from duban.text.pinyin import text_matches

    repo = _repository(ctx)
    if repo is None:
        return []
    found: dict[str, CompletionItem] = {}
    initials = typed.isascii() and typed.isalpha()
    for plan in repo.plans():
        for unit in plan.units:
            names = (unit.name, *unit.aliases)
            if any(n.startswith(typed) for n in names) or (initials and any(text_matches(typed, n) for n in names)):
                found.setdefault(unit.name, _item(unit.name, plan.id))
    return list(found.values())


def units(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    return _units(ctx, incomplete)


def _words(kind: str, typed: str, prefix: str = "", among: tuple[str, ...] | None = None) -> list[CompletionItem]:
    # Deferred: loads duban.vocabulary (2 duban modules in all) only when this runs
    from duban import vocabulary

    found = []
    for word in vocabulary.TABLE[kind]:
        if among is not None and word.key not in among:
            continue
        for spelling in (word.key, *word.chinese):
            if spelling.startswith(typed):
                found.append(_item(prefix + spelling, vocabulary.shown(kind, word.key)))
    return found


def assignments(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """`duban set REF FIELD=VALUE`: the fields, then the values of status, type, lead and support."""
    # Deferred: loads duban.record.setting and 1 more (48 duban modules in all; ruamel, yaml) only when this runs
    from duban import vocabulary
    from duban.record.setting import SETTABLE

    field, sep, value = incomplete.partition("=")
    if not sep:
        return [
            _item(item.value + ("." if item.value in ("milestones", "节点目标", "节点", "里程碑") else "="), item.help)
            for item in _words("field", field, among=(*SETTABLE, "milestones"))
        ]
    key = vocabulary.resolve("field", field) or field
    if key in ("status", "type"):
        return _words(key, value, prefix=field + "=")
    if key in ("lead", "support"):
        done, _comma, typed = value.rpartition(",")
        head = field + "=" + (done + "," if done else "")
        return [_item(head + item.value, item.help) for item in _units(ctx, typed)]
    return []


_QUERY_VALUES = {"status": "status", "light": "light", "type": "type", "late": "late"}


def query_terms(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """A query term: its field (lead:, 状态:), then the field's values or units."""
    # Deferred: loads duban.supervise.query_tokens and 1 more (8 duban modules in all) only when this runs
    from duban import vocabulary
    from duban.supervise.query_tokens import FIELDS, HAS

    negation = "-" if incomplete.startswith("-") else ""
    typed = incomplete[len(negation) :].replace("：", ":")
    field, sep, value = typed.partition(":")
    if not sep:
        return [_item(negation + item.value + ":", item.help) for item in _words("field", field, among=FIELDS)]
    key = vocabulary.resolve("field", field) or field
    head = negation + field + ":"
    if key in _QUERY_VALUES:
        return _words(_QUERY_VALUES[key], value, prefix=head)
    if key == "has":
        return _words("field", value, prefix=head, among=HAS)
    if key in ("lead", "support", "unit", "by"):
        return [_item(head + item.value, item.help) for item in _units(ctx, value)]
    if key == "plan":
        return [_item(head + item.value) for item in plan_ids(ctx, param, value)]
    return []
