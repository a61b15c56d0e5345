"""How the documents name the plan, the office that issues them and their addressees (主送),
from plan.yaml's circular section or from the plan's own title and text."""

from __future__ import annotations

import re
from pathlib import Path

from duban.model import Plan
from duban.supervise.export.text import clean

_DOCUMENT_NUMBER = re.compile(r"[〔\[(（]\d{4}[〕\])）]\d+号$")
_SUPERVISOR = re.compile(r"督查(?:局|室|科|处|办公室|办)$")
_ADDRESSEES = re.compile(r"^[^。:：]{2,80}[:：]$")


def titled_by_number(plan: Plan) -> bool:
    """Whether the plan's title is only its document number (平政办〔2013〕11号): no name to
    call the plan by."""
    title = plan.title.strip()
    return title == (plan.document_number or "").strip() or bool(_DOCUMENT_NUMBER.search(title))


def subject_of(plan: Plan) -> str:
    """What the plan is called in titles (关于…推进情况的通报, …推进情况台账): plan.yaml's
    circular.subject; else the words of its title between 印发 and 的通知 (区政府2019年重点工作
    目标); else its title without 分解/分解表 (2008年政府工作目标任务), a report's title as the
    report's tasks, with the plan's year (2013年《政府工作报告》目标任务).
    A title that is only a document number names nothing: then "{year}年重点工作任务"."""
    if plan.circular.get("subject"):
        return clean(plan.circular["subject"])
    title = clean(plan.title).strip()
    found = re.search(r"印发(.+?)的(?:通知|意见|函)$", title)
    if found:
        return found.group(1)
    if titled_by_number(plan):
        return f"{plan.year}年重点工作任务"
    subject = re.sub(r"(?:的)?分解(?:表|方案)?$", "", title) or title
    if subject.endswith("报告") and "《" not in subject:  # 政府工作报告: the report's tasks, of its year
        subject = f"《{subject}》目标任务"
        return subject if re.search(r"\d{4}年", subject) else f"{plan.year}年{subject}"
    return subject


def office_of(plan: Plan) -> str:
    """The office that issues the circular and keeps the ledger: plan.yaml's circular.office,
    else the default_office."""
    return clean(plan.circular["office"]) if plan.circular.get("office") else default_office(plan)


def default_office(plan: Plan) -> str:
    """The issuing office where plan.yaml names none: the supervision office among the units
    the plan's units report to (市督查局 in "市政府办公室各对口科室和市督查局": not the whole
    list, which names receivers); else the issuer's 督查室 (上海市长宁区政府办公室: 上海市长宁区
    政府督查室); else 督查室."""
    to = plan.reporting.to if plan.reporting and plan.reporting.to else ""
    for part in re.split(r"[,，、;；和及与]", clean(to)):
        if _SUPERVISOR.search(part.strip()):
            return part.strip()
    if plan.issuer:
        return re.sub(r"(?:办公室|办公厅)$", "", clean(plan.issuer).strip()) + "督查室"
    return "督查室"


def addressees_of(plan: Plan) -> str | None:
    """主送: plan.yaml's circular.to, else the addressees of the plan's own source document
    (its first line that is only names and a colon: 各县(市、区)人民政府,市人民政府各部门:),
    else None."""
    if plan.circular.get("to"):
        return clean(plan.circular["to"])
    name = str(plan.source.get("document") or "")
    path = plan.folder / "source" / name
    if not name or Path(name).name != name or not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8", errors="replace") as stream:
            head = [stream.readline() for _line in range(12)]
    except OSError:
        return None
    for line in (clean(text).strip() for text in head):
        if _ADDRESSEES.match(line) and re.search(r"各|政府|部门|单位|办事处", line):
            return line[:-1].replace(",", "，").replace(";", "；")
    return None
