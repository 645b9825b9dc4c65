"""The clinic's intervention library: therapists read it, clinic admins edit it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from careplans import library
from careplans.dosing import clinician_label
from careplans.forms_library import (
    DOSE_PREFIX,
    READERS,
    InterventionForm,
    InterventionTextForm,
    drawing_choices,
)
from careplans.library import render_patient_text
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
from careplans.spelling import english_variant, in_clinic_spelling
from clinic.access import AuthenticatedHttpRequest, clinics_for, role_in
from clinic.models import Anatomy, Clinic, Role


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
    entries: list[tuple[Intervention, list[Wording], list[Language], list[tuple[str, int]]]]


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
            doses = [(clinician_label(key), value) for key, value in entry.default_dosing.items()]
            rows.append((entry, rendered, _languages(entry), doses))
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


@dataclass(frozen=True)
class Preview:
    """What one anatomy's patients read of the entry, as the printed plan fills it."""

    anatomy: str
    readers: str
    source: str  # the label of the text it comes from
    text: str


def _preview(form: InterventionForm, clinic: Clinic) -> list[Preview]:
    """The entry's patient text for each anatomy, filled from the dosing as typed, the way
    the printed plan fills a plan item's (careplans.documents._patient_items)."""
    texts = form.texts()
    entry = Intervention(**texts)  # unsaved: only its text_for is asked
    language = english_variant(clinic)
    dosing = form.preview_dosing()
    field_of = {a: name for name, anatomies in library.readers_of(texts).items() for a in anatomies}
    rows = []
    for anatomy in Anatomy.values:
        text = render_patient_text(entry.text_for(anatomy), dosing)
        rows.append(
            Preview(
                anatomy=anatomy,
                readers=capfirst(str(READERS[anatomy])),
                source=capfirst(str(form.fields[field_of[anatomy]].label)),
                text=in_clinic_spelling(text, language),
            )
        )
    return rows


def _code_shown(form: InterventionForm) -> str:
    """The entry's code: fixed once it exists, else the one its title would make now."""
    if form.instance.pk:
        return form.instance.code
    category, title = form["category"].value(), form["title"].value()
    if not (category in Category.values and title and str(title).strip()):
        return ""
    taken = Intervention.objects.filter(clinic=form.clinic).values_list("code", flat=True)
    return library.code_from_title(category=category, title=str(title), taken=taken)


def _placeholder(dose_field: str) -> str:
    """How a text shows a dose field's number: "{hold_s}" for ``dose_hold_s``."""
    return "{" + dose_field.removeprefix(DOSE_PREFIX) + "}"


def _form_page(
    request: AuthenticatedHttpRequest,
    form: InterventionForm,
    *,
    clinic: Clinic,
    intervention: Intervention | None,
) -> HttpResponse:
    preview_url = (
        reverse("library_entry_preview", args=[intervention.pk])
        if intervention
        else f"{reverse('library_preview')}?clinic={clinic.pk}"
    )
    fields = {name: form[name] for name in library.TEXT_FIELDS}
    notes = form.readers_notes()
    return render(
        request,
        "careplans/library_form.html",
        {
            "form": form,
            "clinic": clinic,
            "intervention": intervention,
            "code": _code_shown(form),
            "texts": [(fields[name], notes[name]) for name in library.TEXT_FIELDS],
            "dose_groups": [
                (label, [(form[name], _placeholder(name)) for name in names])
                for label, names in form.dose_groups
            ],
            "drawings": drawing_choices(),
            "preview": _preview(form, clinic),
            "previewing": "preview" in request.POST,
            "preview_url": preview_url,
        },
    )


def _saved_message(form: InterventionForm, title: str) -> str:
    message = _("Changes to %(title)s saved.") % {"title": title}
    main = form.cleaned_data["patient_text"]
    if main != form.before["patient_text"]:
        readers = library.readers_of(form.cleaned_data)["patient_text"]
        if readers != list(Anatomy.values):
            message += " " + _("The new main text is printed for %(readers)s only.") % {
                "readers": _(" and ").join(str(READERS[a]) for a in readers)
            }
    return message


@require_http_methods(["GET", "POST"])
def library_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    clinic = _chosen_clinic(request, prefer=(Role.CLINIC_ADMIN,))
    _require_admin(request, clinic.pk)
    form = InterventionForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in library_services.EDITABLE_FIELDS}
        intervention = library_services.intervention_create(
            clinic=clinic, code=form.code, category=form.cleaned_data["category"], **fields
        )
        messages.success(request, _("%(title)s was added.") % {"title": intervention.title})
        return redirect(_list_url(intervention))
    return _form_page(request, form, clinic=clinic, intervention=None)


@require_http_methods(["GET", "POST"])
def library_edit(request: AuthenticatedHttpRequest, intervention_id: int) -> HttpResponse:
    intervention = _intervention_for_user(request, intervention_id)
    _require_admin(request, intervention.clinic_id)
    form = InterventionForm(request.POST or None, instance=intervention, clinic=intervention.clinic)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in library_services.EDITABLE_FIELDS}
        # A fresh copy: the form has already written the edit onto its own, and the service
        # compares with what is stored (a wording change makes translations drafts again).
        stored = _intervention_for_user(request, intervention_id)
        library_services.intervention_update(intervention=stored, **fields)
        messages.success(request, _saved_message(form, stored.title))
        return redirect(_list_url(stored))
    return _form_page(request, form, clinic=intervention.clinic, intervention=intervention)


def _preview_response(
    request: AuthenticatedHttpRequest, form: InterventionForm, clinic: Clinic
) -> JsonResponse:
    html = render_to_string(
        "careplans/_library_preview.html", {"preview": _preview(form, clinic)}, request=request
    )
    return JsonResponse({"html": html, "notes": form.readers_notes(), "code": _code_shown(form)})


@require_POST
def library_preview(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The live preview of a new entry, as typed (nothing is saved)."""
    clinic = _chosen_clinic(request, prefer=(Role.CLINIC_ADMIN,))
    _require_admin(request, clinic.pk)
    return _preview_response(request, InterventionForm(request.POST, clinic=clinic), clinic)


@require_POST
def library_entry_preview(request: AuthenticatedHttpRequest, intervention_id: int) -> JsonResponse:
    """The live preview of an entry being edited, as typed (nothing is saved)."""
    intervention = _intervention_for_user(request, intervention_id)
    _require_admin(request, intervention.clinic_id)
    form = InterventionForm(request.POST, instance=intervention, clinic=intervention.clinic)
    return _preview_response(request, form, intervention.clinic)


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
