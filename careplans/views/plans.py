from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import assessment_for_user
from careplans import documents, plan_page, services
from careplans.access import may_sign, plan_for_user, plan_item_for_user, require_signer
from careplans.forms import AddItemForm, PlanNoteForm, RemoveItemForm, SignForm
from careplans.models import CarePlan, CarePlanItem, RecipientKind
from clinic.access import AuthenticatedHttpRequest, log_access
from clinic.downloads import content_disposition
from clinic.models import AuditAction, Role

# A request from the plan page's script (static/floorplan/plan_edit.js) asks for the parts
# of the page an edit changed, to put in place without a reload; any other request gets
# the whole page (a redirect back to the item, or the page with the form's errors).
FETCH_HEADER = "fetch"


def _fetched(request: AuthenticatedHttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == FETCH_HEADER


def _back(plan: CarePlan, item: CarePlanItem | None = None) -> HttpResponse:
    url = reverse("plan_detail", args=[plan.pk])
    return redirect(f"{url}#item-{item.pk}" if item else url)


@require_POST
def plan_build(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_for_user(request, assessment_id)
    try:
        plan = services.careplan_build(assessment=assessment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessment_detail", assessment_id=assessment.pk)
    log_access(request, plan.patient, _("Built a care plan"), action=AuditAction.EDIT)
    return _back(plan)


def _parts_context(
    request: AuthenticatedHttpRequest, plan: CarePlan, **edits: Any
) -> dict[str, Any]:
    """What an edit can change on the page: the items and their forms, the safety check,
    the add and sign forms, the letters due and the notices on the printed language."""
    items = list(plan.items.all())
    return {
        **plan_page.editing_context(plan, items=items, **edits),
        "patient": plan.patient,
        "letters_due": documents.letters_due(plan, items=items),
        "print_language": documents.print_language_of(plan, items=items),
        "recipient_kinds": RecipientKind.choices,
        "can_sign": may_sign(request, plan),
    }


def _page_context(
    request: AuthenticatedHttpRequest, plan: CarePlan, **edits: Any
) -> dict[str, Any]:
    return {
        **_parts_context(request, plan, **edits),
        "note_form": PlanNoteForm(
            initial={"personal_note": plan.personal_note, "next_review_on": plan.next_review_on}
        ),
        "versions": plan.assessment.care_plans.order_by("-version"),
        "documents": documents.DOCUMENTS,
    }


def plan_detail(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    log_access(request, plan.patient, _("Opened a care plan"))
    return render(request, "careplans/plan_detail.html", _page_context(request, plan))


def _edited(
    request: AuthenticatedHttpRequest,
    plan: CarePlan,
    *,
    item: CarePlanItem | None,
    part: str,
    status: str,
    problem: bool = False,
    **edits: Any,
) -> HttpResponse:
    """The answer to an edit: to the page's script, the changed parts (``part`` is "item"
    or "items", with the documents, the language notices, the safety check, the add form
    and the sign form) and what happened; to a plain form, the plan at the item, or the
    page with the form's errors."""
    # To the script a refusal is a 200 too: its parts are put in place like any other (the
    # status says it was refused), and the browser logs no failed request.
    if _fetched(request):
        context = {
            **_parts_context(request, plan, **edits),
            "part": part,
            "status": status,
            "problem": problem,
        }
        if item is not None:
            context["row"] = next(r for r in context["items"] if r.item.pk == item.pk)
        return render(request, "careplans/_plan_parts.html", context)
    if problem and edits:
        messages.error(request, status)
        return render(
            request,
            "careplans/plan_detail.html",
            _page_context(request, plan, **edits),
            status=422,
        )
    (messages.error if problem else messages.success)(request, status)
    return _back(plan, item)


def _log_edit(request: AuthenticatedHttpRequest, plan: CarePlan) -> None:
    log_access(request, plan.patient, _("Edited a care plan"), action=AuditAction.EDIT)


def _document_action(kind: str, fmt: str) -> str:
    if kind == "referral":
        return AuditAction.REFERRAL
    return AuditAction.PRINT if fmt == "pdf" else AuditAction.VIEW


def edits_a_draft(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed plan never changes: a write refused with PlanLocked (rolled back in its
    transaction) says so and goes back to the plan (to the page's script: the
    message)."""

    @wraps(view)
    def wrapper(
        request: AuthenticatedHttpRequest, plan_id: int, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        try:
            return view(request, plan_id, *args, **kwargs)
        except services.PlanLocked:
            locked = _("This plan is signed and cannot change: make a new version.")
            if _fetched(request):
                return render(
                    request,
                    "careplans/_plan_parts.html",
                    {"part": "", "status": locked, "problem": True, "reload": True},
                )
            messages.error(request, locked)
            return redirect("plan_detail", plan_id=plan_id)

    return wrapper


def _field_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown at the field it names (else at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _problems(form: forms.Form) -> str:
    return "; ".join(
        # An ErrorList yields its messages as str (the stubs say ValidationError too).
        (f"{form.fields[k].label}: " if k in form.fields else "") + " ".join(v)  # type: ignore[arg-type]
        for k, v in form.errors.items()
    )


@require_POST
@edits_a_draft
def plan_item_remove(request: AuthenticatedHttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    item = plan_item_for_user(request, plan, item_id)
    form = RemoveItemForm(request.POST)
    form.is_valid()
    try:
        services.careplan_item_remove(item=item, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        _field_errors(form, error)
        return _edited(
            request,
            plan,
            item=item,
            part="item",
            status=_("%(title)s was not removed: %(problems)s")
            % {"title": item.title, "problems": _problems(form)},
            problem=True,
            remove_forms={item.pk: form},
        )
    return _edited(
        request,
        plan,
        item=item,
        part="item",
        status=_("Removed: %(title)s.") % {"title": item.title},
    )


@require_POST
@edits_a_draft
def plan_item_restore(
    request: AuthenticatedHttpRequest, plan_id: int, item_id: int
) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    item = services.careplan_item_restore(item=plan_item_for_user(request, plan, item_id))
    return _edited(
        request,
        plan,
        item=item,
        part="item",
        status=_("Restored: %(title)s.") % {"title": item.title},
    )


@require_POST
@edits_a_draft
def plan_item_update(request: AuthenticatedHttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    item = plan_item_for_user(request, plan, item_id)
    form = plan_page.item_form(item, request.POST)
    if form.is_valid():
        try:
            services.careplan_item_update(
                item=item,
                phase=form.cleaned_data["phase"],
                dosing=form.dosing(),
                reason=form.cleaned_data.get("phase_reason", ""),
                rationale=(
                    form.cleaned_data["rationale"]
                    if form.add_prefix("rationale") in request.POST
                    else None
                ),
            )
        except ValidationError as error:
            item.refresh_from_db()
            _field_errors(form, error)
        else:
            return _edited(
                request,
                plan,
                item=item,
                part="item",
                status=_("Saved: %(title)s.") % {"title": item.title},
            )
    return _edited(
        request,
        plan,
        item=item,
        part="item",
        status=_("%(title)s was not changed: %(problems)s")
        % {"title": item.title, "problems": _problems(form)},
        problem=True,
        forms={item.pk: form},
    )


@require_POST
@edits_a_draft
def plan_item_move(request: AuthenticatedHttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    item = plan_item_for_user(request, plan, item_id)
    up = request.POST.get("direction") == "up"
    services.careplan_item_move(item=item, up=up)
    moved = _("Moved up: %(title)s.") if up else _("Moved down: %(title)s.")
    return _edited(request, plan, item=item, part="items", status=moved % {"title": item.title})


@require_POST
@edits_a_draft
def plan_item_add(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    form = AddItemForm(
        request.POST,
        clinic_id=plan.patient.clinic_id,
        exclude_codes=list(plan.items.filter(removed=False).values_list("code", flat=True)),
    )
    if not form.is_valid():
        return _edited(
            request,
            plan,
            item=None,
            part="items",
            status=_("Choose an intervention from the library to add."),
            problem=True,
            adding=form,
        )
    added = services.careplan_item_add(
        plan=plan,
        intervention=form.cleaned_data["intervention"],
        phase=form.cleaned_data["phase"],
        rationale=form.cleaned_data["rationale"],
    )
    return _edited(
        request,
        plan,
        item=added,
        part="items",
        status=_("Added: %(title)s.") % {"title": added.title},
    )


@require_POST
@edits_a_draft
def plan_note(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    form = PlanNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please check the note and the review date."))
        return _back(plan)
    services.careplan_update_note(plan=plan, **form.cleaned_data)
    messages.success(request, _("Note saved."))
    return _back(plan)


@require_POST
@edits_a_draft
def plan_sign(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    require_signer(request, plan)
    form = SignForm(request.POST)
    form.is_valid()
    try:
        services.careplan_sign(
            plan=plan,
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
            link_base=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(plan)
    # Only a therapist signs (require_signer): a clinic admin who is also one signs as one,
    # and the report shows who signed as what.
    log_access(
        request, plan.patient, _("Signed a care plan"), action=AuditAction.SIGN, role=Role.THERAPIST
    )
    messages.success(request, _("Plan signed. The printed plan is stored and ready."))
    return _back(plan)


@require_POST
def plan_new_version(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    new = services.careplan_new_version(plan=plan, user=request.user)
    log_access(
        request,
        plan.patient,
        _("Started a new version of a care plan"),
        action=AuditAction.NEW_VERSION,
    )
    messages.info(request, _("Version %(v)d: edit it, then sign it.") % {"v": new.version})
    return _back(new)


def plan_document(
    request: AuthenticatedHttpRequest, plan_id: int, kind: str, fmt: str
) -> HttpResponse | FileResponse:
    plan = plan_for_user(request, plan_id)
    if kind not in documents.DOCUMENTS or fmt not in ("html", "pdf"):
        raise Http404(_("No such document."))
    log_access(
        request,
        plan.patient,
        _("Opened the %(kind)s document of a care plan") % {"kind": kind},
        action=_document_action(kind, fmt),
    )
    recipient = request.GET.get("to", "")
    if kind == "referral" and recipient not in RecipientKind.values:
        due = documents.letters_due(plan)
        recipient = due[0][0] if due else RecipientKind.GP
    if fmt == "html":
        return HttpResponse(documents.render_html(plan, kind, recipient=recipient))
    filename = f"{kind}-{plan.patient.record_number}-v{plan.version}.pdf"
    if kind == "patient" and plan.is_signed and plan.pdf:
        # The signed plan is the stored file, byte for byte, not a new rendering.
        return FileResponse(plan.pdf.open("rb"), content_type="application/pdf", filename=filename)
    pdf = documents.render_pdf(plan, kind, recipient=recipient)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, attachment=False)
    return response
