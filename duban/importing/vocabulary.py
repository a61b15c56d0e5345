"""The genre's words, in simplified script (rules match on folded text, see script.py):
role labels, the words that name persons, deadlines, table headers and unit endings.

A label the lists do not know is read by its parts (`协同责任单位` is support, `牵头负责领导` a
person), and a recipe (recipe.py) may add words of its own for one import (`extra_words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

# Labels that name units, by the role they give. "responsible" (责任单位 and its kin) is the
# lead when the task names no lead; see roles.py.
LEAD_LABELS = (
    "牵头单位",
    "牵头部门",
    "牵头责任单位",
    "牵头责任部门",
    "牵头负责部门",
    "牵头负责单位",
    "牵头组织实施单位",
    "牵头处室",
    "牵头科室",
    "主办单位",
    "主责单位",
    "主责部门",
    "主办部门",
)
RESPONSIBLE_LABELS = ("责任单位", "责任部门", "责任处室", "责任科室", "责任主体", "承办单位", "实施单位", "主体单位")
SUPPORT_LABELS = (
    "配合单位",
    "配合部门",
    "协办单位",
    "协办部门",
    "参与单位",
    "参与部门",
    "协同单位",
    "配合处室",
    "协助单位",
)
# Labels that name persons: never units.
PERSON_LABELS = (
    "牵头领导",
    "分管领导",
    "责任领导",
    "联系领导",
    "主抓领导",
    "项目责任人",
    "责任人",
    "联系人",
    "牵头负责领导",
    "牵头责任领导",
    "包保领导",
    "挂点领导",
    "督办领导",
    "分管市领导",
    "分管区领导",
    "分管县领导",
)
DUE_LABELS = ("完成时限", "完成时间", "时间节点", "时限要求")
# Labels of other fields: they end the value of the label before them.
OTHER_LABELS = (
    "实际完成情况",
    "完成情况",
    "进展情况",
    "进展与成效",
    "项目内容",
    "项目名称",
    "备注",
    "工作目标",
    "建设内容",
    "存在问题",
    "下步打算",
    "下一步打算",
)

ROLE_OF_LABEL = {
    **{w: "lead" for w in LEAD_LABELS},
    **{w: "responsible" for w in RESPONSIBLE_LABELS},
    **{w: "support" for w in SUPPORT_LABELS},
    **{w: "leaders" for w in PERSON_LABELS},
    **{w: "due" for w in DUE_LABELS},
    **{w: "other" for w in OTHER_LABELS},
}
# Words a label may open with and keep its role: 协同责任单位, 省牵头单位, 具体实施单位.
LABEL_MODIFIERS = ("协同", "协作", "共同", "具体", "主要", "其他", "省", "市", "区", "县", "州")
# An unknown label is a short word ending like these, read by its parts (label_role).
_LABEL_TAIL = "单位|部门|处室|科室|领导|责任人|负责人|联系人"
_PARTS = (
    ("leaders", re.compile(r"(?:领导|责任人|负责人|联系人)$")),
    ("support", re.compile(r"配合|协同|协办|协作|协助|参与")),
    ("lead", re.compile(r"牵头|主办|主责|主抓")),
    ("responsible", re.compile(r"责任|承办|实施|落实")),
)
_EXTRA: ContextVar[tuple[tuple[str, str], ...]] = ContextVar("duban_import_extra_words", default=())


@contextmanager
def extra_words(words: dict[str, str]) -> Iterator[None]:
    """Label words a recipe adds for one import (word -> lead, responsible, support, leaders,
    due or other); they also name table columns."""
    token = _EXTRA.set(tuple(sorted(words.items())))
    try:
        yield
    finally:
        _EXTRA.reset(token)


def label_role(word: str) -> str | None:
    """The role a label gives its names: a known label, a recipe's word, a known label under a
    modifier (协同责任单位), or an unknown label read by its parts (牵头负责领导: leaders)."""
    extra = dict(_EXTRA.get())
    if word in extra:
        return extra[word]
    if word in ROLE_OF_LABEL:
        return ROLE_OF_LABEL[word]
    for modifier in LABEL_MODIFIERS:
        if word.startswith(modifier) and word[len(modifier) :] in ROLE_OF_LABEL:
            role = ROLE_OF_LABEL[word[len(modifier) :]]
            return "support" if modifier in ("协同", "协作") and role in ("responsible", "lead") else role
    if re.fullmatch(rf"[\u4e00-\u9fff]{{1,6}}(?:{_LABEL_TAIL})", word):
        for role, pattern in _PARTS:
            if pattern.search(word):
                return role
    return None


@lru_cache(maxsize=16)
def _label_pattern(extra: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    known = "|".join(sorted({*ROLE_OF_LABEL, *(w for w, _r in extra)}, key=len, reverse=True))
    modifiers = "|".join(LABEL_MODIFIERS)
    # a known label, under a modifier; or a short unknown word ending like a label, where it
    # does not continue a word before it (事项名牵头责任部门: the label is 牵头责任部门)
    return re.compile(
        rf"((?<![\u4e00-\u9fff])(?:{modifiers})(?:{known})|(?:{known})|"
        rf"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{{1,5}}(?:{_LABEL_TAIL}))\s*(?::|$)",
        re.M,
    )


def label_pattern() -> re.Pattern[str]:
    """A label with its colon anywhere in a line, or a label alone at the end of a line; its
    role is label_role(group 1), None for a word that only looks like a label."""
    return _label_pattern(_EXTRA.get())


LABEL = _label_pattern(())

# Verbs that end a unit list in prose: (A、B牵头,C参与,D按职责分工负责)
PROSE_ROLES = (
    ("lead", re.compile(r"(?:分别|共同)?牵头(?:督导|负责|落实|实施|推进)?$")),
    ("support", re.compile(r"(?:分别|共同)?(?:参与|配合|协助|协办|协同)(?:落实|实施|推进)?$")),
    (
        "responsible",
        re.compile(r"(?:按职责分工负责|按职责分工落实|按职责负责|分工负责|负责落实|负责实施|负责推进|负责|落实)$"),
    ),
)

# Endings of unit names, longest first.
UNIT_ENDINGS = tuple(
    sorted(
        (
            "局",
            "委",
            "办",
            "厅",
            "处",
            "科",
            "室",
            "部",
            "部门",
            "中心",
            "政府",
            "管委会",
            "委员会",
            "办事处",
            "街道",
            "街办",
            "镇",
            "乡",
            "集团",
            "公司",
            "分公司",
            "指挥部",
            "开发区",
            "园区",
            "新区",
            "经开区",
            "总社",
            "联",
            "协",
            "院",
            "站",
            "队",
            "行",
            "署",
            "馆",
            "团",
            "单位",
            "机构",
            "协会",
            "学会",
            "商会",
            "联合会",
            "所",
            "组",
            "小组",
            "总站",
            "党委",
            "党组",
            "支队",
            "大队",
            "监狱",
            "社",
            "街镇",
            "各镇",
            "各街道",
            "会",
        ),
        key=len,
        reverse=True,
    )
)
STRONG_ENDINGS = (
    "局",
    "委",
    "办",
    "厅",
    "处",
    "室",
    "部门",
    "中心",
    "政府",
    "管委会",
    "委员会",
    "办事处",
    "街道",
    "集团",
    "公司",
    "指挥部",
    "开发区",
    "总社",
    "党委",
    "单位",
)
GROUP_START = ("各", "相关", "有关", "其他", "市直", "区直", "县直", "州直", "省直", "市级各", "区级各")

# Table headers, by the column they name.
HEADER_KINDS = (
    ("seq", ("序号", "编号")),
    (
        "leaders",
        (
            "分管领导",
            "牵头领导",
            "责任领导",
            "联系领导",
            "项目责任人",
            "责任人",
            "分管区领导",
            "分管县领导",
            "分管市领导",
        ),
    ),
    (
        "lead",
        (
            "牵头单位",
            "牵头部门",
            "牵头负责部门",
            "牵头责任单位",
            "牵头责任部门",
            "牵头组织实施单位",
            "主办单位",
            "主责单位",
            "主责部门",
            "牵头处室",
        ),
    ),
    ("support", ("配合单位", "配合部门", "协办单位", "参与单位", "责任主体与协同单位", "协同单位", "配合处室")),
    ("responsible", ("责任单位", "责任部门", "责任处室", "责任科室", "责任主体", "实施单位", "承办单位")),
    ("due", ("完成时限", "完成时间", "时限", "时间节点", "时间要求")),
    (
        "milestones",
        (
            "月度工作计划",
            "工作进度安排",
            "工作举措及实施计划",
            "实施计划",
            "进度安排",
            "计划安排",
            "节点目标",
            "时间进度",
        ),
    ),
    (
        "text",
        (
            "工作任务",
            "主要任务",
            "任务",
            "项目内容",
            "实事项目",
            "项目名称",
            "重点任务",
            "目标任务",
            "任务名称",
            "工作内容",
            "内容",
            "细化分工",
            "工作措施",
            "全年目标任务",
            "指标要求",
            "量化指标",
            "具体任务",
            "工作要求",
            "目标要求",
            "主要内容",
            "建设内容",
            "任务内容",
            "项目",
            "工作目标",
            "具体措施",
            "重点工作",
            "工作事项",
            "事项",
        ),
    ),
    # An office's ledger (台账) adds these: the row's area, its target type, and its progress.
    ("area", ("领域", "所属领域", "工作领域", "板块")),
    ("type", ("目标类型", "任务类型", "类型")),
    (
        "other",
        (
            "灯",
            "亮灯",
            "亮灯情况",
            "状态",
            "督办状态",
            "完成进度",
            "得分",
            "评分",
            "考核得分",
            "分值",
            "当前进度",
            "落实情况",
            "进展情况",
            "推进情况",
            "目前实施情况",
            "备注",
            "说明",
            "是否达序",
            "目标完成情况",
            "完成情况",
            "实施情况",
            "进度",
            "进展",
            "存在问题",
            "下步打算",
        ),
    ),
)
QUARTER_HEADER = re.compile(r"^(?:第)?([一二三四1-4])季度(?:目标|计划|节点|任务)?$")
_KIND_OF_HEADER = {word: kind for kind, words in HEADER_KINDS for word in words}


# A header not in the lists above, read by its words: 牵头单位(部门), 配合单位（部门）, 完成时间节点.
_HEADER_WORDS = (
    ("seq", re.compile(r"^(?:序号|编号|序)$")),
    ("leaders", re.compile(r"领导|责任人|联系人")),
    ("lead", re.compile(r"牵头|主办|主责")),
    ("support", re.compile(r"配合|协办|协同|参与")),
    ("responsible", re.compile(r"责任(?:单位|部门|处室|科室|主体)|实施单位|承办")),
    ("due", re.compile(r"时限|完成时间|截止时间")),
    ("milestones", re.compile(r"季度|月度|节点|计划|进度安排")),
    ("other", re.compile(r"进展|进度|情况|备注|说明|成效|问题|打算|是否")),
    ("text", re.compile(r"任务|内容|项目|措施|目标|指标|事项|要求|工作|实事")),
)


def header_kind(cell: str) -> str | None:
    """The column a header cell names (its words may be split by spaces: 牵头 单位), or None."""
    # Deferred: loads duban.importing.script only when this runs
    from duban.importing.script import fold

    word = fold(re.sub(r"\s+", "", cell).strip("|"))
    if not word:
        return None
    extra = dict(_EXTRA.get())
    if word in extra:
        return extra[word]
    if len(word) > 5 and word.endswith(("表", "通知", "方案", "清单", "汇总")):
        return None  # a table's title (2024年民生实事分解表), not one of its columns
    # a year or a period in the header (2022年预期目标, 1-9月份完成情况) says when, not what
    word = re.sub(r"^(?:\d{4}\s*年(?:度)?|\d{1,2}\s*(?:-\s*\d{1,2}\s*)?月(?:份)?(?=.{2}))", "", word) or word
    if word in _KIND_OF_HEADER:
        return _KIND_OF_HEADER[word]
    bare = re.sub(r"[(（][^()（）]*[)）]", "", word)
    if bare in _KIND_OF_HEADER:
        return _KIND_OF_HEADER[bare]
    if len(bare) <= 12 and not re.search(r"[,。;:!?\d]", bare):
        for kind, pattern in _HEADER_WORDS:
            if pattern.search(bare):
                return kind
    if QUARTER_HEADER.match(word):
        return "milestones"
    if re.fullmatch(r"\d{1,2}(?:-\d{1,2})?月(?:份)?(?:推进|进展|完成|落实)(?:情况)?", word):
        return "other"
    if word.endswith(("进展情况、存在问题及下一步打算", "推进情况", "进展情况")):
        return "other"
    return None


def quarter_of_header(cell: str) -> str | None:
    match = QUARTER_HEADER.match(re.sub(r"\s+", "", cell))
    if not match:
        return None
    return "Q" + str("一二三四".index(match.group(1)) + 1 if match.group(1) in "一二三四" else match.group(1))
