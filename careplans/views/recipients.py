"""The clinic's directory of letter recipients, kept by its clinic admins."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careplans import selectors
from careplans.access import recipient_for_admin
from careplans.forms_recipients import RecipientForm
from careplans.models import Recipient, RecipientKind
from careplans.services import recipients as services
from clinic.access import AuthenticatedHttpRequest, clinic_for_admin


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    recipients: list[Recipient]
    default: Recipient | None


def _groups(recipients: list[Recipient]) -> list[Group]:
    """Every kind, in the clinical reference's order; in use first, then by name, so the
    first one in use is the one ``default_recipient`` gives the letters."""
    groups = []
    for kind in RecipientKind:
        rows = sorted(
            (r for r in recipients if r.kind == kind), key=lambda r: (not r.is_active, r.name, r.pk)
        )
        default = rows[0] if rows and rows[0].is_active else None
        groups.append(Group(kind.value, str(kind.label), rows, default))
    return groups


def _list_url(recipient: Recipient) -> str:
    return f"{reverse('recipient_list', args=[recipient.clinic_id])}#recipient-{recipient.pk}"


def recipient_list(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    recipients = list(selectors.recipients_for_clinic(clinic_id=clinic.pk, active_only=False))
    return render(
        request,
        "careplans/recipient_list.html",
        {"clinic": clinic, "groups": _groups(recipients), "count": len(recipients)},
    )


@require_http_methods(["GET", "POST"])
def recipient_new(request: AuthenticatedHttpRequest, clinic_id: int) -> HttpResponse:
    clinic = clinic_for_admin(request, clinic_id)
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in RecipientKind.values else {}
    form = RecipientForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        recipient = services.recipient_create(clinic=clinic, **form.cleaned_data)
        messages.success(request, _("%(name)s was added.") % {"name": recipient.name})
        return redirect(_list_url(recipient))
    return render(
        request,
        "careplans/recipient_form.html",
        {"form": form, "clinic": clinic, "recipient": None},
    )


@require_http_methods(["GET", "POST"])
def recipient_edit(
    request: AuthenticatedHttpRequest, clinic_id: int, recipient_id: int
) -> HttpResponse:
    recipient = recipient_for_admin(request, clinic_id, recipient_id)
    name = recipient.name
    form = RecipientForm(request.POST or None, instance=recipient)
    if request.method == "POST" and form.is_valid():
        services.recipient_update(recipient=recipient, **form.cleaned_data)
        messages.success(request, _("Changes to %(name)s saved.") % {"name": recipient.name})
        return redirect(_list_url(recipient))
    return render(
        request,
        "careplans/recipient_form.html",
        {"form": form, "clinic": recipient.clinic, "recipient": recipient, "name": name},
    )


@require_POST
def recipient_deactivate(
    request: AuthenticatedHttpRequest, clinic_id: int, recipient_id: int
) -> HttpResponse:
    recipient = recipient_for_admin(request, clinic_id, recipient_id)
    services.recipient_update(recipient=recipient, is_active=False)
    messages.success(
        request,
        _("%(name)s is no longer used for new letters. It is kept and can be reactivated.")
        % {"name": recipient.name},
    )
    return redirect(_list_url(recipient))


@require_POST
def recipient_reactivate(
    request: AuthenticatedHttpRequest, clinic_id: int, recipient_id: int
) -> HttpResponse:
    recipient = recipient_for_admin(request, clinic_id, recipient_id)
    services.recipient_update(recipient=recipient, is_active=True)
    messages.success(request, _("%(name)s is in use again.") % {"name": recipient.name})
    return redirect(_list_url(recipient))
