"""The seals' page: each deadline seal of the plan and what verifying them found."""

from __future__ import annotations

from duban.i18n import _
from duban.site.figures import PlanFigures
from duban.site.html import Column, Page, chinese_date, esc, table
from duban.site.pages.paths import crumbs, plan_name, seals_page, sections
from duban.site.pages.pieces import colophon, para


def seals(f: PlanFigures) -> Page:
    path = seals_page(f.plan.id)
    body = [
        f"<h1>{esc(_('Proof that no report was changed afterwards'))}</h1>",
        para(
            _(
                "At each reporting deadline the supervision office can seal the record: a tag in git that lists "
                "every report the record held at that moment, by its content. Afterwards, any change to a sealed "
                "report, or a report slipped in with an earlier date, shows. Every seal was checked when the site "
                "was built; the result is below."
            )
        ),
    ]
    if not f.seals:
        body.append(
            para(
                _(
                    "No deadline of this plan has been sealed yet. Lateness is judged by the dates the "
                    "reports carry, and the commit that recorded each report is shown on its task’s page."
                ),
                "problem",
            )
        )
    else:
        v = f.verification
        if f.verify_error:
            body.append(
                f'<p class="problem">{esc(_("The seals could not be checked: {error}").format(error=f.verify_error))}</p>'
            )
        elif v is not None and not v.findings:
            body.append(
                para(
                    _(
                        "Checked: {seals} seals holding {reports} reports; every sealed report is still in "
                        "the record unchanged."
                    ).format(seals=len(v.seals), reports=v.reports_checked),
                    "ok",
                )
            )
        elif v is not None:
            body.append(
                para(
                    _("Checked: {seals} seals holding {reports} reports; {problems} problems found:").format(
                        seals=len(v.seals), reports=v.reports_checked, problems=len(v.findings)
                    ),
                    "bad",
                )
            )
            body.append(
                "<ul>"
                + "".join(f'<li class="problem">{esc(finding.format())}</li>' for finding in v.findings)
                + "</ul>"
            )
        rows = []
        for item in f.seals:
            held = f.held.get(item.deadline, {})
            reports = sum(len(ids) for ids in held.values())
            problems = [x for x in (v.findings if v else []) if x.seal is item or (x.seal and x.seal.tag == item.tag)]
            rows.append(
                [
                    chinese_date(item.deadline),
                    f'<code class="sha">{esc(item.tag)}</code>',
                    f'<code class="sha">{esc(item.commit[:12])}</code>',
                    esc(item.sealed_at[:16].replace("T", " ")),
                    esc(item.tagger),
                    esc(_("yes") if item.signed else _("no")),
                    esc(_("yes") if item.late else _("no")),
                    str(reports),
                    f'<span class="bad">{esc(_("{n} problems").format(n=len(problems)))}</span>'
                    if problems
                    else f'<span class="ok">{esc(_("unchanged"))}</span>',
                ]
            )
        body.append(
            table(
                [
                    Column(_("deadline")),
                    Column(_("seal (tag)"), optional=True),
                    Column(_("sealed commit")),
                    Column(_("sealed at")),
                    Column(_("by"), optional=True),
                    Column(_("signed")),
                    Column(_("made late")),
                    Column(_("reports held"), numeric=True),
                    Column(_("verify")),
                ],
                rows,
            )
        )
    body.append(colophon(f, with_commit=True))
    return Page(
        path,
        _("Seals of {plan}").format(plan=plan_name(f)),
        "\n".join(body),
        crumbs(f, (path, _("Seals"))),
        sections(f),
        paper="A3",
    )
