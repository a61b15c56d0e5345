"""The words of duban's data, in both languages: one table for statuses, lights, target types,
roles, indicator kinds, query and report fields, and the fields of a task file.

Each word has the key duban stores (in YAML, JSON keys, CSV headers, git trailers) and the
Chinese words people see and type. Every input accepts the key, any of the Chinese words, or
the pinyin initials of a Chinese word when only one word of that kind has them; every human
output shows `shown(kind, key)`, which is the first Chinese word when the interface speaks
Chinese and the key otherwise. The catalog's translations of the same keys (used by the TUI
through `_()`) are checked against this table by tests/core/test_vocabulary.py.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

from duban.i18n import language
from duban.states import LightColour, Status


@dataclass(frozen=True)
class Word:
    key: str  # stored, and what scripts read
    chinese: tuple[str, ...]  # the first is shown; all are accepted
    english: str = ""  # shown in English when it differs from the key


def _words(*entries: tuple[str, ...]) -> tuple[Word, ...]:
    return tuple(Word(key, tuple(chinese)) for key, *chinese in entries)


TABLE: dict[str, tuple[Word, ...]] = {
    "status": _words(
        (Status.NOT_STARTED.value, "未启动", "未开始", "未开展"),
        (Status.IN_PROGRESS.value, "进行中", "推进中", "推进", "在办"),
        (Status.DONE.value, "已完成", "完成", "办结"),
        (Status.DELAYED.value, "延期", "延迟", "滞后"),
        (Status.BLOCKED.value, "受阻", "阻塞", "停滞"),
        (Status.CANCELLED.value, "已取消", "取消"),
    ),
    "light": _words(
        (LightColour.RED.value, "红", "红灯", "红色"),
        (LightColour.YELLOW.value, "黄", "黄灯", "黄色"),
        (LightColour.GREEN.value, "绿", "绿灯", "绿色"),
        (LightColour.GREY.value, "灰", "灰灯", "灰色"),
    ),
    "type": _words(("A", "A类"), ("B", "B类"), ("C", "C类")),
    "quarter": _words(
        ("Q1", "第一季度", "一季度", "1季度"),
        ("Q2", "第二季度", "二季度", "2季度"),
        ("Q3", "第三季度", "三季度", "3季度"),
        ("Q4", "第四季度", "四季度", "4季度"),
    ),
    "role": _words(
        ("lead", "牵头", "牵头单位", "主责部门", "牵头部门", "主责", "主责单位"),
        ("support", "配合", "责任单位", "配合单位", "配合部门", "责任部门"),
    ),
    "late": _words(("yes", "是", "迟报"), ("no", "否", "按时")),
    # plan.yaml's reporting calendar (duban/supervise/deadlines.py): how often reports are due,
    # and whether a deadline reports on the period before it or the one it falls in.
    "rhythm": _words(
        ("monthly", "每月", "按月", "月报"),
        ("bimonthly", "双月", "每两月", "每两个月", "双月报"),
        ("quarterly", "按季", "每季度", "每季", "按季度", "季报"),
    ),
    "covers": _words(("previous", "上期", "上月", "上一期"), ("current", "本期", "本月", "当期", "当月")),
    "indicator": _words(
        ("growth", "增长"), ("decrease", "下降", "减少"), ("level", "达到"), ("ceiling", "不超过", "控制在")
    ),
    # Query fields, report groupings and the fields of a task file (diff, blame, set).
    "field": _words(
        ("lead", "牵头", "牵头单位", "主责部门", "牵头部门", "主责单位"),
        ("support", "配合", "责任单位", "配合单位", "配合部门", "责任部门"),
        ("unit", "单位"),
        ("area", "领域"),
        ("section", "板块", "小类"),
        ("category", "类别"),
        ("type", "类型", "目标类型", "任务类型"),
        ("status", "状态"),
        ("light", "灯", "灯色"),
        ("plan", "计划"),
        ("due", "完成期限", "期限", "时限", "完成时限", "完成时间"),
        ("percent", "进度", "百分比", "完成进度"),
        ("has", "有"),
        ("parent", "上级任务", "上级"),
        ("id", "序号", "编号"),
        ("title", "标题", "任务", "任务名称"),
        ("text", "文字", "内容", "指标要求", "目标要求"),
        ("by", "报送单位", "报送"),
        ("late", "迟报"),
        ("milestones", "节点目标", "节点", "里程碑"),
        ("indicators", "指标"),
        ("progress", "进展", "报告", "报送记录"),
        ("report", "报送情况"),
        ("source", "来源"),
        ("value", "数值"),
        ("note", "说明", "进展情况"),
        ("date", "日期"),
    ),
}

KINDS = tuple(TABLE)


def keys(kind: str) -> tuple[str, ...]:
    return tuple(word.key for word in TABLE[kind])


def _fold(text: str) -> str:
    # Full-width letters and digits (Ａ, ５) become ASCII; case and spaces do not count.
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _initials(word: str) -> set[str]:
    """Every way of writing `word` in pinyin initials (长 is c or z)."""
    from duban.text.pinyin import initial_sets  # the table of initials lives with the matching

    spellings = {""}
    for letters in initial_sets(word):
        spellings = {s + letter for s in spellings for letter in letters}
    return spellings


def resolve(kind: str, text: str, among: tuple[str, ...] | None = None) -> str | None:
    """The key `text` names: a key, a Chinese word, or pinyin initials only one word (of
    those `among`, when given) has; else None."""
    wanted = _fold(text)
    if not wanted:
        return None
    for word in TABLE[kind]:
        if wanted == word.key.lower() or any(wanted == _fold(c) for c in word.chinese):
            return word.key
    if wanted.isascii() and wanted.isalpha():
        named = {
            word.key
            for word in TABLE[kind]
            if (among is None or word.key in among) and any(wanted in _initials(c) for c in word.chinese)
        }
        if len(named) == 1:
            return named.pop()
    return None


def ambiguous(kind: str, text: str, among: tuple[str, ...] | None = None) -> list[str]:
    """The keys whose Chinese words share the initials `text` (黄 and 红 are both h)."""
    wanted = _fold(text)
    if not (wanted.isascii() and wanted.isalpha()):
        return []
    return [
        word.key
        for word in TABLE[kind]
        if (among is None or word.key in among) and any(wanted in _initials(c) for c in word.chinese)
    ]


def shown(kind: str, key: str) -> str:
    """What people see for `key`, in the interface's language; an unknown key as it is."""
    for word in TABLE[kind]:
        if word.key == key:
            return word.chinese[0] if language() == "zh" else (word.english or word.key)
    return key


def chinese(kind: str, key: str) -> str:
    """The Chinese word for `key`, whatever the interface speaks: for documents that are
    Chinese throughout (the ledger, commit subjects)."""
    for word in TABLE[kind]:
        if word.key == key:
            return word.chinese[0]
    return key


def light_word(key: str) -> str:
    """A light as an office's documents name it, whatever the interface speaks: 红灯, 黄灯…
    (the table's word that ends in 灯; `chinese()` gives the short 红 of the table's columns)."""
    for word in TABLE["light"]:
        if word.key == key:
            return next(c for c in word.chinese if c.endswith("灯"))
    return key


def choices(kind: str, among: tuple[str, ...] | None = None) -> str:
    """The values of a kind as people would write them, for a hint: 未启动、进行中… or a, b…"""
    words = [w for w in TABLE[kind] if among is None or w.key in among]
    if language() == "zh":
        return "、".join(f"{w.chinese[0]}({w.key})" if w.chinese[0] != w.key else w.key for w in words)
    return ", ".join(w.key for w in words)


def suggest(kind: str, text: str, among: tuple[str, ...] | None = None) -> str | None:
    """The closest word of a kind to a mistyped `text`, shown as people would write it."""
    words = [w for w in TABLE[kind] if among is None or w.key in among]
    spellings = {}
    for word in words:
        spellings[word.key.lower()] = shown(kind, word.key)
        for chinese in word.chinese:
            spellings[_fold(chinese)] = shown(kind, word.key)
    close = difflib.get_close_matches(_fold(text), list(spellings), n=1, cutoff=0.5)
    if not close:
        # One shared character is a good hint in Chinese (延 for 延期): difflib asks for more.
        close = [s for s in spellings if not s.isascii() and set(s) & set(_fold(text))][:1]
    return spellings[close[0]] if close else None
