"""Issue 10, integrity: the signed PDF renders with no transaction open (other writers
never wait for WeasyPrint), and the signature commits only if the rows it prints are
unchanged since they were read; an edit in between makes it render again."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from careplans import documents, services
from careplans.models import CarePlan, PlanStatus, Review
from clinic.models import Membership
from tests.careplans.signing import active_marks, mark_items, pdf_text, printed_marks
from tests.factories import InterventionFactory

REAL_PDF_FROM_HTML = documents.pdf_from_html


@pytest.fixture
def renders(monkeypatch):
    """Each render of a PDF, with what the test does while WeasyPrint runs."""
    calls: list[bool] = []
    during: list = []

    def pdf_from_html(html: str, **options: bool) -> bytes:
        calls.append(connection.in_atomic_block)
        pdf = REAL_PDF_FROM_HTML(html, **options)
        if during:
            during.pop(0)()
        return pdf

    monkeypatch.setattr(documents, "pdf_from_html", pdf_from_html)
    return {"calls": calls, "during": during}


@pytest.mark.django_db(transaction=True)
def test_the_pdf_renders_with_no_transaction_open(therapist_client, plan, renders):
    response = therapist_client.post(reverse("plan_sign", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_signed
    assert renders["calls"] == [False]


def test_an_edit_while_the_pdf_renders_makes_the_signing_render_again(plan, therapist, renders):
    mark_items(plan)
    removed = plan.items.exclude(code__startswith="relaxation").first()

    def edit() -> None:
        services.careplan_item_remove(item=removed, reason="Not now")
        services.careplan_update_note(
            plan=plan, personal_note="Note001x walk daily", next_review_on=None
        )

    renders["during"].append(edit)
    signed = services.careplan_sign(plan=plan, user=therapist)

    assert len(renders["calls"]) == 2
    assert signed.is_signed
    assert removed.title not in printed_marks(signed)
    assert printed_marks(signed) == active_marks(signed)
    assert "Note001x walk daily" in pdf_text(signed)
    with signed.pdf.open("rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == signed.pdf_sha256


def test_an_item_added_while_the_pdf_renders_is_printed(plan, therapist, clinic, renders):
    mark_items(plan)
    extra = InterventionFactory(clinic=clinic, code="education.extra", title="Mark900x")
    renders["during"].append(
        lambda: services.careplan_item_add(plan=plan, intervention=extra, phase=1, rationale="")
    )
    signed = services.careplan_sign(plan=plan, user=therapist)
    assert "Mark900x" in printed_marks(signed)
    assert printed_marks(signed) == active_marks(signed)


def test_a_plan_that_keeps_changing_is_not_signed(plan, therapist, renders):
    notes = iter(range(100))
    renders["during"].extend(
        lambda: services.careplan_update_note(
            plan=plan, personal_note=f"Note{next(notes):03d}x", next_review_on=None
        )
        for _ in range(services.plans.SIGNING_ATTEMPTS)
    )
    with pytest.raises(services.PlanChangedWhileSigning) as refused:
        services.careplan_sign(plan=plan, user=therapist)
    assert "changed while it was being signed" in " ".join(refused.value.messages)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.pdf and not plan.pdf_sha256
    assert not Review.objects.filter(plan=plan).exists()


def test_the_page_says_when_the_plan_kept_changing(therapist_client, plan, renders):
    renders["during"].extend(
        lambda n=n: CarePlan.objects.filter(pk=plan.pk).update(personal_note=f"Note{n:03d}x")
        for n in range(services.plans.SIGNING_ATTEMPTS)
    )
    response = therapist_client.post(reverse("plan_sign", args=[plan.pk]), follow=True)
    assert "changed while it was being signed" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.is_signed


def test_a_plan_signed_by_someone_else_meanwhile_keeps_their_signature(
    plan, therapist, colleague, renders
):
    def colleague_signs() -> None:
        services.careplan_sign(plan=plan, user=colleague)

    renders["during"].append(colleague_signs)
    with pytest.raises(services.PlanLocked):
        services.careplan_sign(plan=plan, user=therapist)
    plan.refresh_from_db()
    assert plan.signed_by == colleague
    with plan.pdf.open("rb") as file:
        assert hashlib.sha256(file.read()).hexdigest() == plan.pdf_sha256


def test_a_record_number_with_a_path_in_it_names_a_safe_file(plan, therapist, patient):
    patient.record_number = '../../R"1\n/é'
    patient.save()
    signed = services.careplan_sign(plan=CarePlan.objects.get(pk=plan.pk), user=therapist)
    assert "/../" not in signed.pdf.name and "\n" not in signed.pdf.name
    assert signed.pdf.name.startswith("plans/")


# --- Roles: only a therapist signs (issue 10).


def test_a_clinic_admin_cannot_sign(admin_client_, plan):
    page = admin_client_.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Sign the plan" not in page
    assert "Only a therapist of this clinic can sign this plan." in page
    response = admin_client_.post(reverse("plan_sign", args=[plan.pk]))
    assert response.status_code == 403
    plan.refresh_from_db()
    assert not plan.is_signed


def test_a_clinic_admin_who_is_also_a_therapist_signs(admin_client_, plan, clinic_admin):
    Membership.objects.filter(user=clinic_admin).update(also_therapist=True)
    page = admin_client_.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Sign the plan" in page
    admin_client_.post(reverse("plan_sign", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.is_signed and plan.signed_by == clinic_admin


def test_the_service_refuses_a_signer_who_is_not_a_therapist_here(plan, clinic_admin, outsider):
    for user in (clinic_admin, outsider):
        with pytest.raises(PermissionDenied) as refused:
            services.careplan_sign(plan=plan, user=user)
        assert "Only a therapist" in str(refused.value)
    plan.refresh_from_db()
    assert not plan.is_signed


def test_a_therapist_sees_the_sign_button(therapist_client, plan):
    page = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Sign the plan" in page
