"""Collectives (docs/reading.md rule 8): names that stand for several units, never for one.

A plan's table names units (发改委, 新泾镇) and, beside them, sets of units: 各街镇, 相关部门,
区26家签约单位, 市直相关部门, …成员单位. A collective is no one to rank, score, count, name as
late or lagging, or ask to report; the office follows its tasks up by task. Every view asks
`is_collective` here, so they all draw the line in one place.

A name is a collective when plan.yaml gives its unit `kind: collective` (or `group`, the older
word), or when it reads as one (`reads_as_collective`, on the unit's own name where the name
is an alias):

- it opens with a word that makes a plural: 各…, 相关…, 有关…, 其他…/其它… (各县(市、区)政府,
  相关责任单位, 其他城区运行管理相关部门);
- one of those words inside it, before a word for a kind of unit at its end: 区政府各委办局,
  市直相关部门, 长宁区各街道, 市政府有关部门;
- it ends with 等, with 等 and a count, or 等 and a kind of unit: 发改委等, 财政局等3家单位,
  发改委等相关部门;
- a count of units in it, in digits or Chinese numerals: 区26家签约单位, 5个街道, 三所高校
  (not 第三…, an ordinal);
- the members of a body: …成员单位, …成员部门;
- a level of government and a kind of unit, nothing else: 市直部门, 区属企业, 市属国有企业,
  县直各单位, 街镇, 镇, 委办局; and the units stationed in a place: 驻区单位;
- a level with its alternatives in brackets: 县(市、区)政府, 乡（镇、街道）.

Full-width forms and spaces are read as their plain forms (５个街道, 市直 相关部门).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from duban.model import Plan

# plan.yaml unit kinds that mean "a collective": `group` is the older word for it.
COLLECTIVE_KINDS = frozenset({"collective", "group"})

_PLURAL = "各|相关|有关|其他|其它"
_NUMERAL = r"[0-9一二三四五六七八九十百千两]+"
# Words for a kind of unit that a collective ends with.
_KIND = (
    r"(?:单位|部门|机构|机关|企业|国企|国有企业|委办局|委、办、局|委办|街镇|街道|街道办事处|乡镇|镇|乡|"
    r"县区|区县|县市区|政府|人民政府|学校|高校|医院|社区|村|组织|公司)"
)
# The plural ones alone, after a level of government: 市直部门, 区属企业 (not 区政府, 市医院: one unit).
_KIND_ALONE = r"(?:单位|部门|机构|机关|企业|国企|国有企业|委办局|委办|街镇|街道|乡镇|镇|乡|县区|区县)"
_LEVEL = r"(?:全?[省市区县]|[省市区县](?:直|属|级))"
_LEVELS = r"(?:[县市区乡镇]|街道|、)"
_RULES = re.compile(
    "|".join(
        (
            rf"^(?:{_PLURAL})",  # 各街镇, 相关部门, 其他城区运行管理相关部门
            rf"(?:{_PLURAL}).*?{_KIND}$",  # 区政府各委办局, 市直相关部门, 长宁区各街道
            rf"等(?:{_NUMERAL}[家个所])?(?:相关|有关)?{_KIND}?$",  # 发改委等, 财政局等3家单位, 发改委等相关部门
            rf"(?<![第0-9一二三四五六七八九十百千两]){_NUMERAL}[家个所].",  # 区26家签约单位, 5个街道, 三所高校
            r"成员(?:单位|部门)$",  # …领导小组成员单位
            rf"^{_LEVEL}?{_KIND_ALONE}$",  # 市直部门, 区属企业, 街镇, 镇
            rf"^驻.{{0,4}}?{_KIND}$",  # 驻区单位
            rf"[县市区乡镇]\({_LEVELS}+\)",  # 县(市、区)政府, 乡(镇、街道), 县(区)政府
        )
    )
)
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)  # scoring asks for every unit of every task at every deadline
def reads_as_collective(name: str) -> bool:
    """Whether the name, as written, stands for several units (see the module's rules)."""
    # Deferred: loads unicodedata only when this runs
    import unicodedata

    plain = _SPACES.sub("", unicodedata.normalize("NFKC", name))
    return bool(_RULES.search(plain))


def is_collective(plan: Plan, name: str) -> bool:
    """Whether `name` (a unit's name or alias in `plan`) is a collective: its unit's kind says
    so, or its unit's own name (the name as written, for a name the plan does not list) reads
    as one."""
    unit = plan.units.resolve(name)
    if unit is not None and unit.kind in COLLECTIVE_KINDS:
        return True
    return reads_as_collective(unit.name if unit is not None else name)
