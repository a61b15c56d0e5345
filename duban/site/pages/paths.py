"""Where each page of the site is, from the site's root, and the links at the top of a page:
PLAN/index.html, PLAN/units/NAME.html, PLAN/tasks/ID.html, PLAN/periods/index.html,
PLAN/periods/NN-YYYY-MM.html, PLAN/circulars/YYYY-MM.html, PLAN/ledger.html, PLAN/seals.html,
index.html, search.html, assets/."""

from __future__ import annotations

from duban.i18n import _
from duban.model import Task
from duban.site.figures import Period, PlanFigures
from duban.site.html import slug
from duban.supervise.export.naming import subject_of


def plan_page(plan_id: str) -> str:
    return f"{plan_id}/index.html"


def task_page(task: Task) -> str:
    return f"{task.plan_id}/tasks/{slug(task.id, 't-')}.html"


def unit_page(plan_id: str, unit: str) -> str:
    return f"{plan_id}/units/{slug(unit, 'u-')}.html"


def units_page(plan_id: str) -> str:
    return f"{plan_id}/units/index.html"


def periods_page(plan_id: str) -> str:
    return f"{plan_id}/periods/index.html"


def period_page(plan_id: str, period: Period) -> str:
    return f"{plan_id}/periods/{period.key}.html"


def circular_page(plan_id: str, period: Period) -> str:
    return f"{plan_id}/circulars/{period.month}.html"


def ledger_page(plan_id: str) -> str:
    return f"{plan_id}/ledger.html"


def seals_page(plan_id: str) -> str:
    return f"{plan_id}/seals.html"


def sections(f: PlanFigures) -> tuple[tuple[str, str], ...]:
    plan_id = f.plan.id
    return (
        (plan_page(plan_id), _("Plan and 对照表")),
        (units_page(plan_id), _("Units")),
        (periods_page(plan_id), _("Periods and circulars")),
        (ledger_page(plan_id), _("Ledger (台账)")),
        (seals_page(plan_id), _("Seals: proof nothing was changed")),
    )


def crumbs(f: PlanFigures, *more: tuple[str, str]) -> tuple[tuple[str, str], ...]:
    return (("index.html", _("All plans")), (plan_page(f.plan.id), plan_name(f))) + more


def plan_name(f: PlanFigures) -> str:
    return subject_of(f.plan)
