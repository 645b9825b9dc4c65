from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from careplans.models import BatchPrint, CarePlan, CarePlanItem, Recipient
from clinic.access import AuthenticatedHttpRequest, clinic_for_admin, memberships_for


def plan_for_user(request: AuthenticatedHttpRequest, plan_id: int) -> CarePlan:
    """A care plan of a patient in one of the user's clinics; anything else is a 404."""
    clinic_ids = [m.clinic_id for m in memberships_for(request)]
    try:
        return (
            CarePlan.objects.in_clinics(clinic_ids)
            .select_related("patient", "patient__clinic", "assessment", "signed_by", "created_by")
            .get(pk=plan_id)
        )
    except CarePlan.DoesNotExist:
        raise Http404(_("No such care plan.")) from None


def may_sign(request: AuthenticatedHttpRequest, plan: CarePlan) -> bool:
    """Issue 10: only a therapist of the plan's clinic signs (a clinic admin only when
    they are also a therapist there)."""
    return any(
        m.clinic_id == plan.patient.clinic_id and m.is_therapist for m in memberships_for(request)
    )


def require_signer(request: AuthenticatedHttpRequest, plan: CarePlan) -> None:
    if not may_sign(request, plan):
        raise PermissionDenied(_("Only a therapist of this clinic can sign a care plan."))


def plan_item_for_user(
    request: AuthenticatedHttpRequest, plan: CarePlan, item_id: int
) -> CarePlanItem:
    try:
        return plan.items.get(pk=item_id)
    except CarePlanItem.DoesNotExist:
        raise Http404(_("No such item in this plan.")) from None


def recipient_for_admin(
    request: AuthenticatedHttpRequest, clinic_id: int, recipient_id: int
) -> Recipient:
    """A letter recipient of a clinic the user administers. Another clinic, or another
    clinic's recipient, is a 404; a therapist of this clinic gets a 403."""
    clinic = clinic_for_admin(request, clinic_id)
    try:
        return Recipient.objects.select_related("clinic").get(pk=recipient_id, clinic=clinic)
    except Recipient.DoesNotExist:
        raise Http404(_("No such letter recipient.")) from None


def batch_for_admin(request: AuthenticatedHttpRequest, batch_id: int) -> BatchPrint:
    """A batch print of a clinic the user administers; another clinic's is a 404."""
    clinic_ids = [m.clinic_id for m in memberships_for(request)]
    try:
        batch = (
            BatchPrint.objects.in_clinics(clinic_ids)
            .select_related("clinic", "requested_by")
            .get(pk=batch_id)
        )
    except BatchPrint.DoesNotExist:
        raise Http404(_("No such batch.")) from None
    clinic_for_admin(request, batch.clinic_id)
    return batch
