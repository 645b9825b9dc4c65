from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import assessment_for_user
from careplans import documents, services
from careplans.access import may_sign, plan_for_user, plan_item_for_user, require_signer
from careplans.forms import AddItemForm, ItemForm, PlanNoteForm, RemoveItemForm, SignForm
from careplans.models import CarePlan, RecipientKind
from careplans.rules import SAFETY_CODES
from careplans.selectors import plan_safety_warnings
from clinic.access import AuthenticatedHttpRequest, log_access
from clinic.downloads import content_disposition
from clinic.models import AuditAction, Role


def _back(plan: CarePlan) -> HttpResponse:
    return redirect("plan_detail", plan_id=plan.pk)


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


def plan_detail(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    log_access(request, plan.patient, _("Opened a care plan"))
    items = list(plan.items.all())
    active = [i for i in items if not i.removed]
    warnings = [] if plan.is_signed else plan_safety_warnings(plan, items=items)
    return render(
        request,
        "careplans/plan_detail.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "items": [
                {
                    "item": item,
                    "form": ItemForm(
                        initial={"phase": item.phase}, dosing=item.dosing, prefix=f"i{item.pk}"
                    ),
                    "safety": item.code in SAFETY_CODES,
                    "held": bool(item.hold_reason) and item.phase == 2,
                }
                for item in items
            ],
            "add_form": AddItemForm(
                clinic_id=plan.patient.clinic_id, exclude_codes=[i.code for i in active]
            ),
            "note_form": PlanNoteForm(
                initial={"personal_note": plan.personal_note, "next_review_on": plan.next_review_on}
            ),
            "remove_form": RemoveItemForm(),
            "warnings": warnings,
            "versions": plan.assessment.care_plans.order_by("-version"),
            "documents": documents.DOCUMENTS,
            "letters_due": documents.letters_due(plan, items=items),
            "print_language": documents.print_language_of(plan, items=items),
            "recipient_kinds": RecipientKind.choices,
            "sign_form": SignForm(),
            "can_sign": may_sign(request, plan),
        },
    )


def _log_edit(request: AuthenticatedHttpRequest, plan: CarePlan) -> None:
    log_access(request, plan.patient, _("Edited a care plan"), action=AuditAction.EDIT)


def _document_action(kind: str, fmt: str) -> str:
    if kind == "referral":
        return AuditAction.REFERRAL
    return AuditAction.PRINT if fmt == "pdf" else AuditAction.VIEW


def edits_a_draft(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed plan never changes: a write refused with PlanLocked (rolled back in its
    transaction) says so and goes back to the plan."""

    @wraps(view)
    def wrapper(
        request: AuthenticatedHttpRequest, plan_id: int, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        try:
            return view(request, plan_id, *args, **kwargs)
        except services.PlanLocked:
            messages.error(request, _("This plan is signed and cannot change: make a new version."))
            return redirect("plan_detail", plan_id=plan_id)

    return wrapper


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
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed: %(title)s.") % {"title": item.title})
    return _back(plan)


@require_POST
@edits_a_draft
def plan_item_restore(
    request: AuthenticatedHttpRequest, plan_id: int, item_id: int
) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    services.careplan_item_restore(item=plan_item_for_user(request, plan, item_id))
    return _back(plan)


@require_POST
@edits_a_draft
def plan_item_update(request: AuthenticatedHttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    item = plan_item_for_user(request, plan, item_id)
    form = ItemForm(request.POST, dosing=item.dosing, prefix=f"i{item.pk}")
    if form.is_valid():
        try:
            services.careplan_item_update(
                item=item,
                phase=form.cleaned_data["phase"],
                dosing=form.dosing(),
                reason=form.cleaned_data.get("phase_reason", ""),
            )
        except ValidationError as error:
            problems = " ".join(error.messages)
        else:
            messages.success(request, _("Saved: %(title)s.") % {"title": item.title})
            return _back(plan)
    else:
        problems = "; ".join(
            # An ErrorList yields its messages as str (the stubs say ValidationError too).
            f"{form.fields[k].label}: {' '.join(v)}"  # type: ignore[arg-type]
            for k, v in form.errors.items()
        )
    messages.error(
        request,
        _("%(title)s was not changed: %(problems)s") % {"title": item.title, "problems": problems},
    )
    return _back(plan)


@require_POST
@edits_a_draft
def plan_item_move(request: AuthenticatedHttpRequest, plan_id: int, item_id: int) -> HttpResponse:
    plan = plan_for_user(request, plan_id)
    _log_edit(request, plan)
    item = plan_item_for_user(request, plan, item_id)
    services.careplan_item_move(item=item, up=request.POST.get("direction") == "up")
    return _back(plan)


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
        messages.error(request, _("Choose an intervention from the library to add."))
        return _back(plan)
    services.careplan_item_add(
        plan=plan,
        intervention=form.cleaned_data["intervention"],
        phase=form.cleaned_data["phase"],
        rationale=form.cleaned_data["rationale"],
    )
    return _back(plan)


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
            plan=plan, user=request.user, reason=form.cleaned_data.get("reason", "")
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
