"""Reading past the script a document happens to be in: traditional characters, a mirror
site's pinyin glosses (關(guān)), and full-width punctuation.

Rules match on a folded copy of each line; names and text are always cut from the line as
written. Folding is character for character, so a position in the folded copy is a position
in the original; only glosses are removed, and `View` keeps the map back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Traditional -> simplified, for the characters of the genre's vocabulary (labels, headers,
# unit endings, numbering, dates); anything else is left as it is.
_PAIRS = (
    "牽牵頭头單单責责負负門门協协辦办處处職职區区縣县務务領领導导項项計计劃划時时間间點点號号實实"
    "內内業业發发進进達达產产總总億亿萬万級级關关備备註注為为並并標标體体類类個个們们經经濟济會会"
    "員员聯联廳厅組组長长參参與与團团揮挥輔辅廣广東东衛卫電电環环資资華华設设農农園园鎮镇鄉乡"
    "場场監监審审規规營营僑侨貿贸稅税銀银勞劳動动醫医藥药療疗糧粮儲储護护財财質质統统樞枢紐纽"
    "區区條条織织歸归齊齐戶户廠厂倉仓庫库報报紀纪檢检劃划數数據据網网絡络訊讯龍龙灣湾溝沟橋桥"
    "還还這这裡里後后從从來来對对時时於于無无據据範范圍围優优選选舉举擬拟預预賽赛義义務务學学"
    "歷历屆届轉转換换變变類类專专決决將将況况狀状態态層层級级權权責责級级補补貼贴費费價价額额"
    "準准確确認认證证書书記记錄录檔档傳传稱称謂谓辦办滯滞後后啟启動动竣竣驗验收收鄰邻舊旧"
    "衝冲擊击災灾險险預预警警氣气溫温熱热淨净汙污廢废處处濕湿綠绿壩坝陽阳陰阴體体館馆幫帮"
    "該该說说請请識识議议應应歲岁書书機机構构醫医園园際际營营環环"
    "兒儿童童嬰婴幼幼齡龄殘残疾疾隊队屬属軍军餘余豐丰藥药鐵铁軌轨輸输運运車车貨货陸陆門门"
)
FOLD = {_PAIRS[i]: _PAIRS[i + 1] for i in range(0, len(_PAIRS) - 1, 2)}
FOLD.update(
    {
        "（": "(",
        "）": ")",
        "：": ":",
        "；": ";",
        "，": ",",
        "［": "[",
        "］": "]",
        "｜": "|",
        "　": " ",
        "\u00a0": " ",
        "．": ".",
        "％": "%",
        "－": "-",
        "＋": "+",
        "／": "/",
    }
)
FOLD.update({chr(0xFF10 + d): str(d) for d in range(10)})
_TABLE = str.maketrans(FOLD)

# A gloss: lower-case pinyin with tone marks in parentheses right after a Chinese character.
GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹ ]{1,8}\)"
)


def fold(text: str) -> str:
    """The same text, character for character, in simplified script and ASCII punctuation."""
    return text.translate(_TABLE)


@dataclass(frozen=True)
class View:
    """A line as the rules read it (`folded`), with the way back to the text as written."""

    original: str
    kept: str  # the original without glosses
    folded: str  # `kept`, folded; same length as `kept`

    @classmethod
    def of(cls, text: str) -> View:
        kept = GLOSS.sub("", text)
        return cls(text, kept, fold(kept))

    def cut(self, start: int, end: int) -> str:
        """The written text (glosses left out) at folded positions start..end."""
        return self.kept[start:end]

    def sub(self, start: int, end: int) -> View:
        return View(self.kept[start:end], self.kept[start:end], self.folded[start:end])
