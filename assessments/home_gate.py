"""The door of the patient's pages (issue 11): a link token, then the birth date.

Every patient page goes through ``patient_link_page``: the token finds the link by its hash
(an unknown token is a 404 that says nothing); a link that has expired, was stopped or is
locked shows only the clinic's name and phone; a link that works but whose birth date was
not yet given in this browser asks for it first. Only then does the view run, in the
patient's language, with the link, patient and open tasks it needs. Every page opened is in
the audit log (without the token), and no page may be kept by a browser or indexed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from assessments import home_tokens
from assessments.models import HomeLink, HomeTasks
from clinic.access import log_home_link_access
from clinic.models import AuditAction, Patient
from clinic.patient_languages import print_language, printed_by

SESSION_KEY = "home_link_verified"


@dataclass(frozen=True)
class PatientVisit:
    """What a patient page works with: the link opened, its patient, their open tasks."""

    link: HomeLink
    patient: Patient
    tasks: HomeTasks | None  # the tasks not yet sent in, if any


def link_for_token(token: str) -> HomeLink | None:
    if not 20 <= len(token) <= 64:
        return None
    return (
        HomeLink.objects.select_related("patient", "patient__clinic")
        .filter(token_hash=home_tokens.token_hash(token))
        .first()
    )


def patient_language(patient: Patient) -> str:
    """The patient's language when the application has it, else the clinic's."""
    clinic = patient.clinic
    return print_language(
        patient.preferred_language, printed=printed_by(clinic), fallback=clinic.language
    )


def is_verified(request: HttpRequest, link: HomeLink) -> bool:
    return bool(request.session.get(SESSION_KEY) == link.pk)


def mark_verified(request: HttpRequest, link: HomeLink) -> None:
    # A new session key: whatever the browser held before the check is not trusted.
    request.session.cycle_key()
    request.session[SESSION_KEY] = link.pk


def private(response: HttpResponse) -> HttpResponse:
    """Never indexed, never sent on as a referrer (the token is in the address)."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    # "same-origin", not "no-referrer": under "no-referrer" a browser posts its forms with
    # "Origin: null", which Django's CSRF check refuses; "same-origin" still sends nothing
    # (no address, no token) to any other site.
    response["Referrer-Policy"] = "same-origin"
    return response


def link_not_working(request: HttpRequest, link: HomeLink) -> HttpResponse:
    clinic = link.patient.clinic
    locked = link.locked_at is not None
    return private(
        render(
            request,
            "assessments/home/link_closed.html",
            {"clinic": clinic, "locked": locked},
            status=403 if locked else 410,
        )
    )


def open_tasks(patient: Patient) -> HomeTasks | None:
    return HomeTasks.objects.open().filter(patient=patient).order_by("-created_at").first()


PatientView = Callable[..., HttpResponse]


def patient_link_page(view: PatientView) -> Callable[..., HttpResponse]:
    """Decorate a patient page ``view(request, visit, **kwargs)`` reached at
    ``.../<token>/...``: the door described above."""

    @login_not_required
    @wraps(view)
    def door(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        link = link_for_token(token)
        if link is None:
            raise Http404()
        patient = link.patient
        with translation.override(patient_language(patient)):
            if not link.works_at(timezone.now()):
                log_home_link_access(
                    request,
                    patient,
                    gettext_lazy("Patient link refused: it no longer works"),
                    action=AuditAction.HOME_LINK,
                )
                return link_not_working(request, link)
            if not is_verified(request, link):
                return redirect("home_check", token=token)
            visit = PatientVisit(link=link, patient=patient, tasks=open_tasks(patient))
            action = AuditAction.EDIT if request.method == "POST" else AuditAction.VIEW
            log_home_link_access(
                request, patient, gettext_lazy("Patient page opened by link"), action=action
            )
            HomeLink.objects.filter(pk=link.pk).update(last_opened_at=timezone.now())
            response = view(request, visit, token=token, **kwargs)
            response["Content-Language"] = translation.get_language()
            return private(response)

    return door
