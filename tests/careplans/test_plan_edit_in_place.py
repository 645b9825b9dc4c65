"""The plan page edits its items in place: asked by its script (the X-Requested-With:
fetch header), an edit answers with the changed parts of the page as HTML, never a
redirect or JSON; a plain form post still comes back to the item (#item-<id>)."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import reset_format_cache

from careplans.models import CarePlanItem, Intervention, InterventionText, WordingStatus
from careplans.rules import BREATHING, PFMT
from clinic.models import AccessLog, AuditAction
from tests.factories import CarePlanItemFactory, SignedCarePlanFactory

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def update_data(item, **dosing):
    prefix = f"i{item.pk}"
    data = {f"{prefix}-phase": str(item.phase), f"{prefix}-rationale": item.rationale}
    data.update({f"{prefix}-dosing_{k}": v for k, v in {**item.dosing, **dosing}.items()})
    return data


def post_update(client, plan, item, data, **extra):
    return client.post(reverse("plan_item_update", args=[plan.pk, item.pk]), data, **extra)


@pytest.fixture
def pfmt(plan):
    item = plan.items.get(code=PFMT)
    assert item.dosing["hold_s"] == 4 and "8 × 4 s" in item.rationale
    return item


def test_a_saved_dose_comes_back_as_the_item_with_its_description_following_it(
    therapist_client, plan, pfmt
):
    response = post_update(therapist_client, plan, pfmt, update_data(pfmt, hold_s=6), **FETCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="plan-item" id="item-{pfmt.pk}"')
    assert 'id="plan-warnings"' in html and "<html" not in html
    assert "Hold 6 seconds" in html  # the dose in words
    assert "8 × 6 s" in html and "8 × 4 s" not in html  # the builder's dose sentence
    assert "Hold for 6 seconds" in html  # the patient's text, with the new hold filled in
    assert "Saved: Pelvic floor exercises" in html
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 6 and "8 × 6 s" in pfmt.rationale
    assert AccessLog.objects.filter(
        patient=plan.patient, action=AuditAction.EDIT, what="Edited a care plan"
    ).exists()


def test_a_rewritten_why_is_kept_as_written(therapist_client, plan, pfmt):
    data = update_data(pfmt, hold_s=6)
    data[f"i{pfmt.pk}-rationale"] = "Her own words: eight squeezes, long holds."
    post_update(therapist_client, plan, pfmt, data, **FETCH)
    pfmt.refresh_from_db()
    assert pfmt.rationale == "Her own words: eight squeezes, long holds."


def test_a_refused_dose_comes_back_in_the_item_naming_the_field_with_nothing_lost(
    therapist_client, plan, pfmt
):
    data = update_data(pfmt, hold_s="-3", contractions=9)
    data[f"i{pfmt.pk}-rationale"] = "A why being written"
    response = post_update(therapist_client, plan, pfmt, data, **FETCH)
    html = response.content.decode()
    assert "<p data-plan-status data-problem>" in html and "was not changed" in html
    assert "Hold (seconds)" in html and "is-invalid" in html
    assert f'name="i{pfmt.pk}-dosing_hold_s" value="-3"' in html
    assert f'name="i{pfmt.pk}-dosing_contractions" value="9"' in html
    assert "A why being written" in html
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 4 and pfmt.dosing["contractions"] == 8


def test_starting_a_held_item_without_a_reason_names_the_reason_field(therapist_client, plan, pfmt):
    assert pfmt.phase == 2 and pfmt.hold_reason
    data = update_data(pfmt)
    data[f"i{pfmt.pk}-phase"] = "1"
    response = post_update(therapist_client, plan, pfmt, data, **FETCH)
    html = response.content.decode()
    assert "data-problem" in html
    assert "Why start it now?" in html and "say why it should start now" in html


def test_without_javascript_a_save_comes_back_to_the_item(therapist_client, plan, pfmt):
    response = post_update(therapist_client, plan, pfmt, update_data(pfmt, hold_s=6))
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_detail", args=[plan.pk]) + f"#item-{pfmt.pk}"


def test_without_javascript_a_refused_dose_shows_the_page_with_the_typed_values(
    therapist_client, plan, pfmt
):
    response = post_update(therapist_client, plan, pfmt, update_data(pfmt, hold_s="-3"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "was not changed" in html and f'name="i{pfmt.pk}-dosing_hold_s" value="-3"' in html


def test_a_move_comes_back_as_the_list_in_its_new_order(therapist_client, plan):
    first, second = plan.items.order_by("position")[:2]
    response = therapist_client.post(
        reverse("plan_item_move", args=[plan.pk, second.pk]), {"direction": "up"}, **FETCH
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<ol class="plan-items"')
    assert html.index(f'id="item-{second.pk}"') < html.index(f'id="item-{first.pk}"')
    assert "Moved up:" in html


def test_removing_a_safety_item_in_place(therapist_client, plan):
    breathing = plan.items.get(code=BREATHING)
    url = reverse("plan_item_remove", args=[plan.pk, breathing.pk])
    refused = therapist_client.post(url, {"reason": ""}, **FETCH)
    assert "data-problem" in refused.content.decode()
    assert "safety item: say why" in refused.content.decode()
    breathing.refresh_from_db()
    assert not breathing.removed

    response = therapist_client.post(url, {"reason": "Does it in her yoga class"}, **FETCH)
    html = response.content.decode()
    assert "Removed: Does it in her yoga class" in html
    assert "Restore" in html
    # The safety check and the sign form follow: the plan now breaks a safety rule.
    assert 'id="safety-check"' in html and "Sign despite the warnings" in html

    restored = therapist_client.post(
        reverse("plan_item_restore", args=[plan.pk, breathing.pk]), **FETCH
    )
    assert "Restored:" in restored.content.decode()
    breathing.refresh_from_db()
    assert not breathing.removed


def test_without_javascript_a_removal_comes_back_to_the_item(therapist_client, plan):
    item = plan.items.get(code="lifestyle.weight")
    response = therapist_client.post(reverse("plan_item_remove", args=[plan.pk, item.pk]))
    assert response["Location"].endswith(f"#item-{item.pk}")


def test_adding_in_place_returns_the_list_and_a_fresh_add_form(therapist_client, plan, clinic):
    extra = (
        Intervention.objects.filter(clinic=clinic)
        .exclude(code__in=plan.items.values_list("code", flat=True))
        .first()
    )
    response = therapist_client.post(
        reverse("plan_item_add", args=[plan.pk]),
        {"intervention": extra.pk, "phase": "2", "rationale": "Asked for it"},
        **FETCH,
    )
    html = response.content.decode()
    added = plan.items.get(code=extra.code)
    assert f'id="item-{added.pk}"' in html and 'id="plan-add"' in html
    # The library entry now in the plan is no longer offered.
    add_form = html[html.index('id="plan-add"') :]
    assert f'value="{extra.pk}"' not in add_form

    empty = therapist_client.post(reverse("plan_item_add", args=[plan.pk]), {}, **FETCH)
    assert "data-problem" in empty.content.decode()
    assert "Choose an intervention from the library" in empty.content.decode()


def test_another_clinics_plan_is_a_404(outsider_client, plan, pfmt):
    data = update_data(pfmt, hold_s=6)
    assert post_update(outsider_client, plan, pfmt, data, **FETCH).status_code == 404
    move = reverse("plan_item_move", args=[plan.pk, pfmt.pk])
    assert outsider_client.post(move, {"direction": "up"}, **FETCH).status_code == 404
    pfmt.refresh_from_db()
    assert pfmt.dosing["hold_s"] == 4


def test_an_item_of_another_plan_is_a_404(therapist_client, plan, patient, therapist):
    other = CarePlanItemFactory(plan__assessment__patient=patient)
    url = reverse("plan_item_remove", args=[plan.pk, other.pk])
    assert therapist_client.post(url, **FETCH).status_code == 404


@pytest.fixture
def signed(patient, therapist, media_root):
    plan = SignedCarePlanFactory(
        assessment__patient=patient, assessment__therapist=therapist, with_items=True
    )
    item = plan.items.exclude(dosing={}).first()
    return plan, item


def test_a_signed_plan_refuses_an_edit_in_place(therapist_client, signed):
    plan, item = signed
    before = dict(item.dosing)
    data = update_data(item, **{key: 9 for key in item.dosing})
    response = post_update(therapist_client, plan, item, data, **FETCH)
    html = response.content.decode()
    assert "signed and cannot change" in html and "data-reload" in html
    assert 'id="item-' not in html  # no part to put in place: the page reloads
    move = reverse("plan_item_move", args=[plan.pk, item.pk])
    moved = therapist_client.post(move, {"direction": "down"}, **FETCH)
    assert "data-reload" in moved.content.decode()
    plain = post_update(therapist_client, plan, item, data)
    assert plain["Location"] == reverse("plan_detail", args=[plan.pk])
    item.refresh_from_db()
    assert item.dosing == before


def test_a_signed_plan_shows_doses_in_words_and_its_details_behind_a_toggle(
    therapist_client, signed
):
    plan, item = signed
    CarePlanItem.objects.filter(pk=item.pk).update(
        dosing={"hold_s": 6, "rest_s": 5}, source="Seed articles; NICE NG123"
    )
    html = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Hold 6 seconds · Rest 5 seconds" in html
    assert "hold_s" not in html and "rest_s" not in html
    assert "FloorPlan&#x27;s reference articles; NICE NG123" in html
    assert "Seed articles" not in html
    assert "<summary>Details</summary>" in html
    assert "Fingerprint (SHA-256)" in html and plan.pdf_sha256 in html
    assert "plan_item_update" not in html and "data-inplace" not in html


@pytest.fixture
def django_english_formats():
    """Django's own English formats, whose times end in "p.m." (the project's say 13:22)."""
    with override_settings(FORMAT_MODULE_PATH=[]):
        reset_format_cache()
        yield
    reset_format_cache()


def test_the_signing_time_has_one_full_stop(therapist_client, signed, django_english_formats):
    plan, _ = signed
    plan.signed_at = datetime.datetime(2026, 12, 1, 13, 22, tzinfo=timezone.get_current_timezone())
    plan.save(update_fields=["signed_at"])
    html = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "p.m." in html
    assert "p.m.." not in html


def test_the_draft_page_words_fields_and_codes_for_clinicians(therapist_client, plan, pfmt):
    html = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    for label in ("Hold (seconds)", "Rest (seconds)", "Sets a day", "Squeezes"):
        assert label in html
    for developer in ("hold s", "every days", "start interval min", ">hold (s)"):
        assert developer not in html
    # The codes sit in each item's details, not beside its title.
    title_to_details = html[html.index(f'id="item-{pfmt.pk}-title"') :]
    assert title_to_details.index("<summary>Details</summary>") < title_to_details.index(PFMT)


# --- The documents and the language notices follow an edit (reference section 10) ---------


@pytest.fixture
def spanish_plan(plan_from_intake, clinic):
    """A plan printed in Spanish for a Spanish reader, every Spanish text reviewed."""
    clinic.printed_languages = ["en", "es"]
    clinic.save()
    plan = plan_from_intake("tense-and-weak", preferred_language="es")
    InterventionText.objects.filter(intervention__clinic=clinic).update(
        status=WordingStatus.REVIEWED
    )
    return plan


def add_in_place(client, plan, code):
    entry = Intervention.objects.get(clinic=plan.patient.clinic, code=code)
    data = {"intervention": entry.pk, "phase": "1", "rationale": "Asked for it"}
    return client.post(reverse("plan_item_add", args=[plan.pk]), data, **FETCH).content.decode()


def test_an_added_item_with_a_drafted_translation_is_named_before_signing(
    therapist_client, spanish_plan, clinic
):
    page = therapist_client.get(reverse("plan_detail", args=[spanish_plan.pk])).content.decode()
    assert 'id="drafted-notice"' not in page and 'id="plan-print-language"' in page
    drafted = InterventionText.objects.get(
        intervention__clinic=clinic, intervention__code="lifestyle.caffeine", language="es"
    )
    drafted.status = WordingStatus.DRAFTED
    drafted.save()

    html = add_in_place(therapist_client, spanish_plan, "lifestyle.caffeine")
    # The notices come back as a part of their own, beside the fresh sign form.
    notices = html[html.index('<div id="plan-print-language">') :]
    notices = notices[: notices.index('id="plan-warnings"')]
    assert "Parts of this plan print from a drafted Spanish translation" in notices
    assert drafted.title in notices
    assert 'id="plan-sign"' in html and "Sign the plan" in html


def test_an_added_item_without_a_spanish_text_is_named_before_signing(
    therapist_client, spanish_plan, clinic
):
    InterventionText.objects.filter(
        intervention__clinic=clinic, intervention__code="lifestyle.alcohol", language="es"
    ).delete()
    html = add_in_place(therapist_client, spanish_plan, "lifestyle.alcohol")
    assert 'id="untranslated-notice"' in html
    assert "The library has no Spanish text for these items yet" in html


def test_an_added_referral_brings_its_letter_into_the_documents(therapist_client, plan):
    def letters(html):
        block = html[html.index('id="plan-documents"') : html.index('id="plan-print-language"')]
        return [line.split(">")[-1] for line in block.split("</a>") if "Letter to" in line]

    page = therapist_client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    before = letters(page)
    html = add_in_place(therapist_client, plan, "specialist_referral.prolapse")
    after = letters(html)
    assert len(after) == len(before) + 1 and set(before) < set(after)
