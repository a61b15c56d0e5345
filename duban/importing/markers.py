"""Numbering markers at every level, items run together on one line, and lines that are web
page chrome rather than document.

Levels, outermost first: 一、 > (一) > 1. 1、 01 > (1) 1) > ① > ▲ △ bullets. A document uses
some of them; which level holds the tasks is decided per document (genre.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duban.importing.script import fold

CN_NUMBER = "一二三四五六七八九十百零〇"
_KINDS = (
    ("part", re.compile(rf"^第([{CN_NUMBER}]{{1,4}})(?:部分|章|篇|板块)\s*[、.:]?\s*")),
    ("cn", re.compile(rf"^([{CN_NUMBER}]{{1,4}})\s*[、.]\s*")),
    ("pcn", re.compile(rf"^[(〔【]([{CN_NUMBER}]{{1,4}})[)〕】]\s*")),
    ("num", re.compile(r"^(\d{1,3})\s*[、.]\s*")),
    ("zero", re.compile(r"^(0\d)(?:\s+|$)")),
    ("pnum", re.compile(r"^(?:\((\d{1,3})\)|(\d{1,3})\))\s*")),
    ("circ", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
    ("bullet", re.compile(r"^([▲△●◆■□◇])\s*")),
)
RANK = {"part": 0, "cn": 1, "pcn": 2, "num": 3, "zero": 3, "pnum": 4, "circ": 5, "bullet": 6}
SUBHEAD = re.compile(r"^(?:——|--|—)\s*\S")


@dataclass(frozen=True)
class Marker:
    kind: str
    number: int
    length: int  # characters the marker takes at the start of the line

    @property
    def rank(self) -> int:
        return RANK[self.kind]


def cn_number(text: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        return digits.get(hundreds, 1) * 100 + (cn_number(rest.lstrip("零〇")) if rest else 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    value = 0
    for char in text:
        value = value * 10 + digits.get(char, 0)
    return value


def marker_of(text: str, expect: int | None = None) -> Marker | None:
    """The numbering marker that opens `text`. `4.460个…` is item 4 only where item 4 is
    expected next (`expect`); otherwise a number followed by digits is a decimal."""
    folded = fold(text)
    for kind, pattern in _KINDS:
        match = pattern.match(folded)
        if not match:
            continue
        token = next(g for g in match.groups() if g is not None)
        if kind in ("cn", "pcn", "part"):
            number = cn_number(token)
        elif kind == "circ":
            number = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(token) + 1
        elif kind == "bullet":
            number = 0
        else:
            number = int(token)
        rest = folded[match.end() :]
        if kind in ("num", "pnum") and (not rest or re.match(r"^[%月日年]", rest)):
            continue  # 2021. or 5月: a number, not a marker
        dotted = kind == "num" and "." in folded[: match.end()]
        if (
            dotted
            and rest[:1].isdigit()
            and not (
                expect == number and re.match(r"^\d+[\u4e00-\u9fff]", rest) and not re.match(r"^\d+[万亿倍]", rest)
            )
        ):
            continue  # 1.5万: a decimal
        if kind == "cn" and folded[match.end() - 1 : match.end()] == "." and not rest:
            continue
        return Marker(kind, number, match.end())
    return None


# An item marker inside a running line: after a blank or a full stop.
_INLINE = re.compile(rf"(?<=[\s。])(?:(\d{{1,3}})(?:、|\.(?!\d))|([{CN_NUMBER}]{{1,3}})、|\(([{CN_NUMBER}]{{1,3}})\))")
RUN_TOGETHER = 120


def inline_items(text: str) -> list[int]:
    """Where items start inside one long line that holds several (a page flattened to one
    line): positions of markers that continue a count (1、 2、 3、 …, 一、 二、, (一) (二))."""
    if len(text) < RUN_TOGETHER:
        return []
    folded = fold(text)
    expected: dict[str, int] = {}
    starts: list[int] = []
    first = marker_of(text.strip())
    if first is not None and first.kind in ("num", "cn", "pcn"):
        expected[first.kind] = first.number + 1
    for match in _INLINE.finditer(folded):
        kind = "num" if match.group(1) else "cn" if match.group(2) else "pcn"
        token = match.group(1) or match.group(2) or match.group(3)
        number = int(token) if kind == "num" else cn_number(token)
        if number == expected.get(kind, 1) or (kind == "num" and kind not in expected):
            expected[kind] = number + 1
            starts.append(match.start())
    return starts if len(starts) >= 2 else []


# Web page chrome and spam around the document: menus, share buttons, counters, ads.
_CHROME = re.compile(
    r"(分享到|扫一扫|打印本页|关闭窗口|【?字体[:\s]|(?<![\u4e00-\u9fff])字号|浏览次数|访问次数|阅读次数|点击量|当前位置|文档评论|相关文档|"
    r"上一篇|下一篇|责任编辑|VIP|www\.|https?://|微信|微博|QQ空间|收藏|返回顶部|网站地图|版权所有|^首页|"
    r"时时彩|彩票|注册开户|博彩|无码|在线播放|av\||法宝引证码|时效性|^全文$|^X$|^\s*•)"
)


def is_chrome(text: str) -> bool:
    folded = fold(text)
    return bool(_CHROME.search(folded)) and len(folded) < 200
