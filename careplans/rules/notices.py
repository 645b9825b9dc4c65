"""Notices for the therapist: unusual combinations, missing data, what the builder held
back and why (careplan-v1 ``notices``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assessments.red_flags import EMERGENCY
from careplans.rules.bladder import BLADDER_TRAINING, bladder_start
from careplans.rules.findings import Findings
from careplans.rules.phrases import num
from careplans.rules.referrals import CANCER_FIELDS, VAGINAL_ESTROGEN
from careplans.rules.safety import PFMT
from clinic.i18n import gettext as _


def plan_notices(
    f: Findings, items: Sequence[Mapping[str, Any]], *, moved: Sequence[str] = ()
) -> list[str]:
    notices = []
    codes = {item["code"]: item for item in items}
    if f.referral_urgency == EMERGENCY:
        notices.append(
            _(
                "Emergency red flag: send the patient to an emergency department now. The "
                "printed plan says so first and holds the exercises until a doctor has seen "
                "them."
            )
        )
    pfmt = codes.get(PFMT)
    if pfmt is not None and pfmt["phase"] == 2 and f.oxford_grade is None:
        notices.append(
            _(
                "No contraction has been assessed: pelvic floor training waits until a digital "
                "assessment confirms a correct contraction (NICE NG123)."
            )
        )
    voids, from_diary = f.day_voids()
    if f.frequency and not f.urgency:
        message = (
            _(
                "The diary shows %(voids)s voids a day without urgency recorded: check fluids, "
                "polyuria and habit voiding."
            )
            if from_diary
            else _(
                "%(voids)s voids a day reported without urgency: check fluids, polyuria and "
                "habit voiding; a 3-day bladder diary would help."
            )
        )
        notices.append(message % {"voids": num(voids or 0)})
    urgency_episodes = f.metric("urgency_episodes_per_day")
    if isinstance(urgency_episodes, int | float) and urgency_episodes > 0 and not f.urgency:
        notices.append(
            _(
                "The diary records %(count)s urgency episodes a day but the symptoms record no "
                "urgency: confirm with the patient."
            )
            % {"count": num(urgency_episodes)}
        )
    if f.metric("polyuria_24h") is True:
        notices.append(_("The diary shows 24-hour polyuria: consider a GP check for its cause."))
    if BLADDER_TRAINING in codes:
        start, origin = bladder_start(f)
        if origin == "default":
            notices.append(
                _(
                    "No bladder diary and no day voids: bladder training starts at the clinic "
                    "default of %(minutes)s minutes; a 3-day diary would set it."
                )
                % {"minutes": start}
            )
        elif origin == "day_voids" and f.diary is not None:
            notices.append(
                _(
                    "The diary gives no interval between daytime voids: bladder training starts "
                    "from the reported day voids (%(minutes)s minutes)."
                )
                % {"minutes": start}
            )
    if VAGINAL_ESTROGEN in codes and any(f.get("history", key) is None for key in CANCER_FIELDS):
        if not any(f.yes("history", key) for key in CANCER_FIELDS):
            notices.append(
                _(
                    "Vaginal estrogen is suggested but breast or womb cancer and aromatase "
                    "inhibitors were not asked: ask before the plan goes home."
                )
            )
    if f.yes("symptoms", "voiding_difficulty") or f.yes("symptoms", "incomplete_emptying"):
        notices.append(
            _(
                "Voiding difficulty or incomplete emptying: consider checking the post-void "
                "residual."
            )
        )
    if moved:
        notices.append(
            _(
                "One step at a time: at most %(limit)s items start at once (clinic setting); "
                "these wait for the review: %(titles)s."
            )
            % {"limit": f.settings.phase_one_limit, "titles": "; ".join(moved)}
        )
    return notices
