"""The clinic's intervention library: therapists read it, clinic admins edit it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from careplans import library
from careplans.forms_library import InterventionForm, InterventionTextForm
from careplans.models import (
    TRANSLATED_LANGUAGES,
    Category,
    Intervention,
    InterventionText,
    WordingStatus,
)
from careplans.rules import CATEGORIES
from careplans.services import library as library_services
from careplans.services import library_texts as text_services
from clinic.access import AuthenticatedHttpRequest, clinics_for, role_in
from clinic.models import Clinic, Role


def _chosen_clinic(request: AuthenticatedHttpRequest, *, prefer: tuple[str, ...] = ()) -> Clinic:
    """The clinic named by ?clinic=, else the user's first (one where they hold a
    preferred role, if any). A clinic the user is not a member of is a 404."""
    clinics = clinics_for(request)
    wanted = request.GET.get("clinic")
    if wanted:
        for clinic in clinics:
            if str(clinic.pk) == wanted:
                return clinic
        raise Http404(_("No such clinic."))
    preferred = clinics_for(request, roles=prefer) if prefer else []
    if not (preferred or clinics):
        raise Http404(_("You are not a member of any clinic yet."))
    return (preferred or clinics)[0]


def _require_admin(request: AuthenticatedHttpRequest, clinic_id: int) -> None:
    if role_in(request, clinic_id) != Role.CLINIC_ADMIN:
        raise PermissionDenied(_("Only a clinic admin can change the library."))


def _intervention_for_user(request: AuthenticatedHttpRequest, intervention_id: int) -> Intervention:
    """An entry of one of the user's clinics; another clinic's entry is a 404."""
    clinic_ids = [clinic.pk for clinic in clinics_for(request)]
    try:
        return Intervention.objects.select_related("clinic").get(
            pk=intervention_id, clinic_id__in=clinic_ids
        )
    except Intervention.DoesNotExist:
        raise Http404(_("No such library entry.")) from None


def _list_url(intervention: Intervention) -> str:
    url = reverse("library_list")
    return f"{url}?clinic={intervention.clinic_id}#entry-{intervention.pk}"


@dataclass(frozen=True)
class Wording:
    label: str
    text: str


@dataclass(frozen=True)
class Language:
    """One language of an entry on the library page: its wording there, if any."""

    code: str
    name: str
    text: InterventionText | None
    patient_text: str  # as printed with the entry's default dosing

    @property
    def is_drafted(self) -> bool:
        return self.text is None or self.text.status == WordingStatus.DRAFTED


@dataclass(frozen=True)
class Group:
    category: str
    label: str
    entries: list[tuple[Intervention, list[Wording], list[Language]]]


def _languages(entry: Intervention) -> list[Language]:
    texts = {text.language: text for text in entry.texts.all()}
    languages = []
    for code, name in TRANSLATED_LANGUAGES:
        text = texts.get(code)
        wording = (
            library.render_patient_text(text.patient_text, entry.default_dosing) if text else ""
        )
        languages.append(Language(code, str(name), text, wording))
    return languages


def _groups(entries: list[Intervention]) -> list[Group]:
    """Entries by category, in the plan's category order, each text as printed with the
    entry's default dosing."""
    labels = dict(Category.choices)
    groups = []
    for category in CATEGORIES:
        rows = []
        for entry in (e for e in entries if e.category == category):
            wordings = [Wording(_("Default wording"), entry.patient_text)]
            if entry.patient_text_vulva:
                wordings.append(Wording(_("With a vulva"), entry.patient_text_vulva))
            if entry.patient_text_penis:
                wordings.append(Wording(_("With a penis"), entry.patient_text_penis))
            rendered = [
                Wording(w.label, library.render_patient_text(w.text, entry.default_dosing))
                for w in wordings
            ]
            rows.append((entry, rendered, _languages(entry)))
        if rows:
            groups.append(Group(category, str(labels[category]), rows))
    return groups


def library_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinic = _chosen_clinic(request)
    entries = list(
        Intervention.objects.filter(clinic=clinic)
        .order_by("-is_active", "title")
        .prefetch_related("texts__reviewed_by")
    )
    return render(
        request,
        "careplans/library_list.html",
        {
            "clinic": clinic,
            "clinics": clinics_for(request),
            "groups": _groups(entries),
            "count": len(entries),
            "can_edit": role_in(request, clinic.pk) == Role.CLINIC_ADMIN,
        },
    )


@require_http_methods(["GET", "POST"])
def library_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinic = _chosen_clinic(request, prefer=(Role.CLINIC_ADMIN,))
    _require_admin(request, clinic.pk)
    form = InterventionForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        intervention = library_services.intervention_create(clinic=clinic, **form.cleaned_data)
        messages.success(request, _("%(title)s was added.") % {"title": intervention.title})
        return redirect(_list_url(intervention))
    return render(
        request,
        "careplans/library_form.html",
        {"form": form, "clinic": clinic, "intervention": None},
    )


@require_http_methods(["GET", "POST"])
def library_edit(request: AuthenticatedHttpRequest, intervention_id: int) -> HttpResponse:
    intervention = _intervention_for_user(request, intervention_id)
    _require_admin(request, intervention.clinic_id)
    code = intervention.code
    form = InterventionForm(request.POST or None, instance=intervention, clinic=intervention.clinic)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in library_services.EDITABLE_FIELDS}
        library_services.intervention_update(intervention=intervention, **fields)
        messages.success(request, _("Changes to %(code)s saved.") % {"code": code})
        return redirect(_list_url(intervention))
    return render(
        request,
        "careplans/library_form.html",
        {"form": form, "clinic": intervention.clinic, "intervention": intervention, "code": code},
    )


@require_http_methods(["GET", "POST"])
def library_text_edit(
    request: AuthenticatedHttpRequest, intervention_id: int, language: str
) -> HttpResponse:
    """A clinic admin edits and reviews an entry's wording in another language, beside the
    English."""
    intervention = _intervention_for_user(request, intervention_id)
    _require_admin(request, intervention.clinic_id)
    names = dict(TRANSLATED_LANGUAGES)
    if language not in names:
        raise Http404(_("No such language."))
    text = intervention.texts.filter(language=language).select_related("reviewed_by").first()
    form = InterventionTextForm(
        request.POST or None,
        instance=text,
        intervention=intervention,
        language=language,
        initial={"reviewed": text is not None and text.status == WordingStatus.REVIEWED},
    )
    if request.method == "POST" and form.is_valid():
        saved = text_services.intervention_text_save(
            intervention=intervention, language=language, user=request.user, **form.cleaned_data
        )
        messages.success(
            request,
            _("%(language)s wording of %(code)s saved: %(status)s.")
            % {
                "language": names[language],
                "code": intervention.code,
                "status": saved.get_status_display(),
            },
        )
        return redirect(_list_url(intervention))
    # Each field beside the English it translates (placeholders as typed, not filled).
    rows = [
        (form[name], getattr(intervention, name)) for name in ("title", *library.WORDING_FIELDS)
    ]
    return render(
        request,
        "careplans/library_text_form.html",
        {
            "form": form,
            "rows": rows,
            "intervention": intervention,
            "clinic": intervention.clinic,
            "text": text,
            "language": language,
            "language_name": names[language],
        },
    )
