"""The first page of a patient's link: the birth-date check (assessments/home_gate.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments import home_tokens
from assessments.home_gate import (
    is_verified,
    link_for_token,
    link_not_working,
    mark_verified,
    patient_language,
    private,
)
from assessments.models import HomeLink
from assessments.services.home import home_birth_date_check
from clinic.access import log_home_link_access
from clinic.models import AuditAction


class BirthDateForm(forms.Form):
    date_of_birth = forms.DateField(
        label=gettext_lazy("Your date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        help_text=gettext_lazy("We ask so that only you can open your page."),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("The code on your slip or plan"),
        max_length=80,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
        help_text=gettext_lazy("Letters and numbers; dashes and spaces do not matter."),
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def home_enter(request: HttpRequest) -> HttpResponse:
    """For a patient who types the code instead of scanning it: the code is the token, so
    it leads to the same birth-date check (an unknown code finds nothing)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = home_tokens.normalised(form.cleaned_data["code"])
        if link_for_token(token) is not None:
            return redirect("home_check", token=token)
        form.add_error("code", _("We do not know this code. Check it against your slip."))
    response = render(
        request, "assessments/home/enter.html", {"form": form}, status=400 if form.errors else 200
    )
    return private(response)


@login_not_required
@require_http_methods(["GET", "POST"])
def home_check(request: HttpRequest, token: str) -> HttpResponse:
    link = link_for_token(token)
    if link is None:
        raise Http404()
    patient = link.patient
    with translation.override(patient_language(patient)):
        if not link.works_at(timezone.now()):
            return link_not_working(request, link)
        if is_verified(request, link):
            return redirect("home_tasks", token=token)
        form = BirthDateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if home_birth_date_check(link=link, answer=form.cleaned_data["date_of_birth"]):
                mark_verified(request, link)
                log_home_link_access(
                    request,
                    patient,
                    gettext_lazy("Patient link opened: birth date given"),
                    action=AuditAction.HOME_LINK,
                )
                return redirect("home_tasks", token=token)
            log_home_link_access(
                request,
                patient,
                gettext_lazy("Patient link: wrong birth date"),
                action=AuditAction.HOME_LINK,
            )
            if link.locked_at is not None:
                log_home_link_access(
                    request,
                    patient,
                    gettext_lazy("Patient link locked after five wrong birth dates"),
                    action=AuditAction.HOME_LINK,
                )
                return link_not_working(request, link)
            left = HomeLink.MAX_BIRTH_DATE_TRIES - link.wrong_birth_dates
            form.add_error(
                "date_of_birth",
                _("That date does not match our records. Tries left: %(left)s.") % {"left": left},
            )
        response = render(
            request,
            "assessments/home/check.html",
            {"clinic": patient.clinic, "form": form},
            status=400 if form.errors else 200,
        )
        response["Content-Language"] = translation.get_language()
        return private(response)
