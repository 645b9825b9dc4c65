"""The "Home tasks" card of the patient page (issue 11): open tasks, the link's state, and
what the patient sent in, waiting for review. Two queries, however many rows."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from assessments.forms_home_clinic import task_names
from assessments.models import HomeTasks
from assessments.services.home import complete_answers
from clinic.models import Patient

register = template.Library()


def link_state(patient: Patient) -> dict[str, Any]:
    """The patient's latest link: works (until when), locked, stopped, expired, or none."""
    link = patient.home_links.order_by("-created_at", "-id").first()
    if link is None:
        return {"state": "none", "link": None}
    if link.locked_at is not None:
        state = "locked"
    elif link.revoked_at is not None:
        state = "stopped"
    elif link.expires_at <= timezone.now():
        state = "expired"
    else:
        state = "works"
    return {"state": state, "link": link}


@register.inclusion_tag("assessments/home_clinic/_card.html", takes_context=True)
def home_tasks_card(context: template.Context, patient: Patient) -> dict[str, Any]:
    rows = list(
        HomeTasks.objects.filter(patient=patient)
        .filter(Q(submitted_at=None) | Q(accepted_at=None, set_aside_at=None))
        .annotate(entry_count=Count("diary_entries"))
        .order_by("-created_at", "-id")[:20]
    )
    return {
        "patient": patient,
        "csrf_token": context.get("csrf_token"),
        "open_tasks": [
            {
                "tasks": t,
                "names": task_names(t),
                "answered": len(complete_answers(t)),
                "asked": len(t.questionnaires),
            }
            for t in rows
            if t.submitted_at is None
        ],
        "to_review": [
            {"tasks": t, "names": task_names(t)} for t in rows if t.submitted_at is not None
        ],
        **link_state(patient),
    }


@register.filter
def home_task_names(tasks: HomeTasks) -> list[str]:
    """What the patient was asked for, in words."""
    return task_names(tasks)
