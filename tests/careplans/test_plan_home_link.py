"""Issue 11, item 6: a clinic that asks for it gets the patient's home-task link printed on
the plan being signed: a new link (the old one stops), its QR code and typed code."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments import home_tokens
from assessments.models import HomeLink, HomeTasks
from assessments.services.home import home_link_create, home_link_revoke
from careplans import services
from practice.fhir_export import ExportError, fhir_bundle

SITE = "https://clinic.example/"


def pdf_text(plan) -> str:
    plan.refresh_from_db()
    with plan.pdf.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    # The code may wrap; compare without the layout's spaces and line breaks.
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def test_without_the_setting_no_link_is_made_or_printed(plan, therapist):
    assert not plan.patient.clinic.home_link_on_plan
    services.careplan_sign(plan=plan, user=therapist, link_base=SITE)
    assert not HomeLink.objects.filter(patient=plan.patient).exists()
    assert "/p/" not in pdf_text(plan)


def test_with_the_setting_the_signed_plan_prints_a_new_working_link(plan, therapist):
    clinic = plan.patient.clinic
    clinic.home_link_on_plan = True
    clinic.save()
    old, _old_token = home_link_create(patient=plan.patient, user=therapist)

    services.careplan_sign(plan=plan, user=therapist, link_base=SITE)

    old.refresh_from_db()
    assert old.revoked_at is not None  # one link per patient: the plan's replaces it
    link = HomeLink.objects.get(patient=plan.patient, revoked_at=None)
    text = pdf_text(plan)
    # The printed code is the token of the new link (only its hash is stored).
    start = text.index("/p/") + 3
    token = text[start : start + 26]
    assert home_tokens.token_hash(token) == link.token_hash
    assert home_tokens.grouped(token).replace("-", "") in text.replace("-", "")
    assert f"{SITE.rstrip('/')}{reverse('home_check', kwargs={'token': token})}" in text


def test_a_plan_signed_without_the_site_address_prints_no_link(plan, therapist):
    # e.g. a script signing outside a request: nothing half-made.
    clinic = plan.patient.clinic
    clinic.home_link_on_plan = True
    clinic.save()
    services.careplan_sign(plan=plan, user=therapist)
    assert not HomeLink.objects.filter(patient=plan.patient).exists()


def test_an_emergency_plan_prints_no_link(plan, therapist):
    # Section 3 rule 1: at the emergency tier nothing on the plan may suggest waiting.
    clinic = plan.patient.clinic
    clinic.home_link_on_plan = True
    clinic.save()
    assessment = plan.assessment
    plan.built = {
        **plan.built,
        "red_flags": ["saddle_anaesthesia"],
        "referral_urgency": "emergency",
    }
    plan.save(update_fields=["built"])
    assert plan.referral_urgency == "emergency"
    services.careplan_sign(plan=plan, user=therapist, link_base=SITE, reason="checked")
    assert not HomeLink.objects.filter(patient=assessment.patient).exists()
    assert "/p/" not in pdf_text(plan)


def test_the_printed_link_leads_to_a_diary_to_keep_before_the_review(plan, therapist):
    clinic = plan.patient.clinic
    clinic.home_link_on_plan = True
    clinic.save()
    services.careplan_sign(plan=plan, user=therapist, link_base=SITE)
    plan.refresh_from_db()
    tasks = HomeTasks.objects.get(patient=plan.patient, submitted_at=None)
    assert tasks.diary_days == 3
    assert tasks.due_on == plan.next_review_on
    assert plan.printed_home_link == HomeLink.objects.get(patient=plan.patient, revoked_at=None)


def test_the_fhir_export_refuses_while_the_printed_link_works(plan, therapist):
    clinic = plan.patient.clinic
    clinic.home_link_on_plan = True
    clinic.save()
    services.careplan_sign(plan=plan, user=therapist, link_base=SITE)
    plan.refresh_from_db()
    with pytest.raises(ExportError, match="home-task link"):
        fhir_bundle(patient=plan.patient)
    home_link_revoke(link=plan.printed_home_link, user=therapist)
    bundle = fhir_bundle(patient=plan.patient)
    assert any(e["resource"]["resourceType"] == "DocumentReference" for e in bundle["entry"])
