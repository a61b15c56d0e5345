"""The genre's words, in simplified script (rules match on folded text, see script.py):
role labels, the words that name persons, deadlines, table headers and unit endings."""
from __future__ import annotations

import re

# Labels that name units, by the role they give. "responsible" (责任单位 and its kin) is the
# lead when the task names no lead; see roles.py.
LEAD_LABELS = ("牵头单位", "牵头部门", "牵头责任单位", "牵头责任部门", "牵头负责部门", "牵头负责单位",
               "牵头组织实施单位", "牵头处室", "牵头科室", "主办单位", "主责单位", "主责部门", "主办部门")
RESPONSIBLE_LABELS = ("责任单位", "责任部门", "责任处室", "责任科室", "责任主体", "承办单位", "实施单位",
                      "主体单位")
SUPPORT_LABELS = ("配合单位", "配合部门", "协办单位", "协办部门", "参与单位", "参与部门", "协同单位",
                  "配合处室", "协助单位")
# Labels that name persons: never units.
PERSON_LABELS = ("牵头领导", "分管领导", "责任领导", "联系领导", "主抓领导", "项目责任人", "责任人", "联系人")
DUE_LABELS = ("完成时限", "完成时间", "时间节点", "时限要求")
# Labels of other fields: they end the value of the label before them.
OTHER_LABELS = ("实际完成情况", "完成情况", "进展情况", "进展与成效", "项目内容", "项目名称", "备注",
                "工作目标", "建设内容", "存在问题", "下步打算", "下一步打算")

ROLE_OF_LABEL = {**{w: "lead" for w in LEAD_LABELS}, **{w: "responsible" for w in RESPONSIBLE_LABELS},
                 **{w: "support" for w in SUPPORT_LABELS}, **{w: "leaders" for w in PERSON_LABELS},
                 **{w: "due" for w in DUE_LABELS}, **{w: "other" for w in OTHER_LABELS}}
_ALL = "|".join(sorted(ROLE_OF_LABEL, key=len, reverse=True))
# A label with its colon anywhere in a line, or a label alone at the end of a line.
LABEL = re.compile(rf"({_ALL})\s*(?::|$)")

# Verbs that end a unit list in prose: (A、B牵头,C参与,D按职责分工负责)
PROSE_ROLES = (
    ("lead", re.compile(r"(?:共同)?牵头(?:督导|负责|落实|实施|推进)?$")),
    ("support", re.compile(r"(?:参与|配合|协助|协办|协同)(?:落实|实施|推进)?$")),
    ("responsible", re.compile(r"(?:按职责分工负责|按职责分工落实|按职责负责|分工负责|负责落实|负责实施|负责推进|负责|落实)$")),
)

# Endings of unit names, longest first.
UNIT_ENDINGS = tuple(sorted((
    "局", "委", "办", "厅", "处", "科", "室", "部", "部门", "中心", "政府", "管委会", "委员会", "办事处", "街道",
    "街办", "镇", "乡", "集团", "公司", "分公司", "指挥部", "开发区", "园区", "新区", "经开区", "总社", "联", "协", "院",
    "站", "队", "行", "署", "馆", "团", "单位", "机构", "协会", "学会", "商会", "联合会", "所", "组",
    "小组", "总站", "党委", "党组", "支队", "大队", "监狱", "社", "街镇", "各镇", "各街道", "会",
), key=len, reverse=True))
STRONG_ENDINGS = ("局", "委", "办", "厅", "处", "室", "部门", "中心", "政府", "管委会", "委员会", "办事处", "街道",
                  "集团", "公司", "指挥部", "开发区", "总社", "党委", "单位")
GROUP_START = ("各", "相关", "有关", "其他", "市直", "区直", "县直", "州直", "省直", "市级各", "区级各")

# Table headers, by the column they name.
HEADER_KINDS = (
    ("seq", ("序号", "编号")),
    ("leaders", ("分管领导", "牵头领导", "责任领导", "联系领导", "项目责任人", "责任人", "分管区领导", "分管县领导",
                 "分管市领导")),
    ("lead", ("牵头单位", "牵头部门", "牵头负责部门", "牵头责任单位", "牵头责任部门", "牵头组织实施单位", "主办单位",
              "主责单位", "主责部门", "牵头处室")),
    ("support", ("配合单位", "配合部门", "协办单位", "参与单位", "责任主体与协同单位", "协同单位", "配合处室")),
    ("responsible", ("责任单位", "责任部门", "责任处室", "责任科室", "责任主体", "实施单位", "承办单位")),
    ("due", ("完成时限", "完成时间", "时限", "时间节点", "时间要求")),
    ("milestones", ("月度工作计划", "工作进度安排", "工作举措及实施计划", "实施计划", "进度安排", "计划安排",
                    "节点目标", "时间进度")),
    ("text", ("工作任务", "主要任务", "任务", "项目内容", "实事项目", "项目名称", "重点任务", "目标任务", "任务名称",
              "工作内容", "内容", "细化分工", "工作措施", "全年目标任务", "指标要求", "量化指标", "具体任务",
              "工作要求", "目标要求", "主要内容", "建设内容", "任务内容", "项目", "工作目标", "具体措施",
              "重点工作", "工作事项", "事项")),
    # An office's ledger (台账) adds these: the row's area, its target type, and its progress.
    ("area", ("领域", "所属领域", "工作领域", "板块")),
    ("type", ("目标类型", "任务类型", "类型")),
    ("other", ("灯", "亮灯", "亮灯情况", "状态", "督办状态", "完成进度", "得分", "评分", "考核得分", "分值",
               "当前进度", "落实情况", "进展情况", "推进情况", "目前实施情况", "备注", "说明", "是否达序",
               "目标完成情况", "完成情况", "实施情况", "进度", "进展", "存在问题", "下步打算")),
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
    ("text", re.compile(r"任务|内容|项目|措施|目标|指标|事项|要求|工作")),
)


def header_kind(cell: str) -> str | None:
    """The column a header cell names (its words may be split by spaces: 牵头 单位), or None."""
    word = re.sub(r"\s+", "", cell).strip("|")
    if not word:
        return None
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
