"""The clinic's directory of letter recipients (clinical reference, section 9): the
clinic admin's pages, the writes and the selectors the letters code calls."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from careplans.models import Recipient, RecipientKind
from careplans.selectors import default_recipient, recipients_for_clinic
from careplans.services.recipients import recipient_create, recipient_update
from tests.factories import RecipientFactory


def list_url(clinic) -> str:
    return reverse("recipient_list", args=[clinic.pk])


def url(name: str, recipient: Recipient) -> str:
    return reverse(name, args=[recipient.clinic_id, recipient.pk])


@pytest.fixture
def gp(clinic):
    return RecipientFactory(clinic=clinic, kind="gp", name="Willow Lane Medical Practice")


@pytest.fixture
def foreign(other_clinic):
    return RecipientFactory(clinic=other_clinic, kind="gp", name="Quayside Family Practice")


NEW_UROLOGY = {
    "kind": "urology",
    "name": "Urology Department, Exampletown General Hospital",
    "address": "1 Infirmary Road\nExampletown EX1 4AB",
}


# --- The list ---------------------------------------------------------------------------------


def test_admin_sees_the_directory_grouped_by_kind(admin_client_, clinic, gp, foreign) -> None:
    RecipientFactory(clinic=clinic, kind="emergency_department", name="Exampletown ED")
    RecipientFactory(clinic=clinic, kind="urology", name="Urology, Exampletown")
    response = admin_client_.get(list_url(clinic))
    assert response.status_code == 200
    html = response.content.decode()
    # Every kind, in the clinical reference's order; empty ones say so.
    assert [g.kind for g in response.context["groups"]] == RecipientKind.values
    assert html.index("Exampletown ED") < html.index("Willow Lane") < html.index("Urology, Ex")
    assert "None yet." in html
    assert "Quayside" not in html  # another clinic's directory
    assert url("recipient_edit", gp) in html
    assert f"{reverse('recipient_new', args=[clinic.pk])}?kind=psychology" in html


def test_the_first_one_in_use_is_marked_default(admin_client_, clinic) -> None:
    retired = RecipientFactory(clinic=clinic, kind="gp", name="Aspen Surgery", is_active=False)
    chosen = RecipientFactory(clinic=clinic, kind="gp", name="Birch Practice")
    RecipientFactory(clinic=clinic, kind="gp", name="Cedar Practice")
    [group] = [g for g in admin_client_.get(list_url(clinic)).context["groups"] if g.kind == "gp"]
    assert group.default == chosen == default_recipient(clinic_id=clinic.pk, kind="gp")
    assert group.recipients[-1] == retired  # out of use: listed last


def test_the_list_page_query_count_is_constant(
    admin_client_, clinic, django_assert_num_queries
) -> None:
    for kind in RecipientKind.values:
        RecipientFactory(clinic=clinic, kind=kind)
        RecipientFactory(clinic=clinic, kind=kind, is_active=False)
    with django_assert_num_queries(4):  # session, user, memberships, recipients
        admin_client_.get(list_url(clinic))


# --- Adding and editing -----------------------------------------------------------------------


def test_admin_adds_a_recipient(admin_client_, clinic) -> None:
    new_url = reverse("recipient_new", args=[clinic.pk])
    assert admin_client_.get(f"{new_url}?kind=urology").context["form"]["kind"].value() == "urology"
    response = admin_client_.post(new_url, {**NEW_UROLOGY, "name": "  Urology, Exampletown  "})
    added = Recipient.objects.get(clinic=clinic)
    assert response.status_code == 302
    assert response["Location"] == f"{list_url(clinic)}#recipient-{added.pk}"
    assert (added.kind, added.name, added.is_active) == ("urology", "Urology, Exampletown", True)
    assert added.address == NEW_UROLOGY["address"]
    assert "Urology, Exampletown was added." in admin_client_.get(list_url(clinic)).content.decode()


def test_admin_edits_a_recipient(admin_client_, clinic, gp) -> None:
    edit_url = url("recipient_edit", gp)
    assert admin_client_.get(edit_url).context["form"]["name"].value() == gp.name
    data = {"kind": "urogynaecology", "name": "Willow Lane Surgery", "address": "9 Willow Lane"}
    assert admin_client_.post(edit_url, data).status_code == 302
    gp.refresh_from_db()
    assert (gp.kind, gp.name, gp.address) == (
        "urogynaecology",
        "Willow Lane Surgery",
        "9 Willow Lane",
    )
    assert (gp.clinic, gp.is_active) == (clinic, True)


def test_admin_deactivates_and_reactivates_never_deletes(admin_client_, gp) -> None:
    response = admin_client_.post(url("recipient_deactivate", gp))
    assert response.status_code == 302
    gp.refresh_from_db()
    assert gp.is_active is False
    assert default_recipient(clinic_id=gp.clinic_id, kind="gp") is None
    assert "Not in use" in admin_client_.get(list_url(gp.clinic)).content.decode()

    admin_client_.post(url("recipient_reactivate", gp))
    gp.refresh_from_db()
    assert gp.is_active is True
    assert default_recipient(clinic_id=gp.clinic_id, kind="gp") == gp


def test_deactivating_is_a_post(admin_client_, gp) -> None:
    assert admin_client_.get(url("recipient_deactivate", gp)).status_code == 405
    gp.refresh_from_db()
    assert gp.is_active is True


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"kind": "dentist"}, "kind", "dentist is not one of the available choices"),
        ({"kind": ""}, "kind", "required"),
        ({"name": ""}, "name", "required"),
        ({"name": "   "}, "name", "required"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    admin_client_, clinic, gp, changes, field, words
) -> None:
    data = {**NEW_UROLOGY, **changes}
    for target in (reverse("recipient_new", args=[clinic.pk]), url("recipient_edit", gp)):
        response = admin_client_.post(target, data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field in errors and words in " ".join(errors[field])
        label = str(response.context["form"].fields[field].label)
        assert f"{label}</a>: " in response.content.decode()  # the summary names the field
    assert list(Recipient.objects.all()) == [gp]
    gp.refresh_from_db()
    assert (gp.kind, gp.name) == ("gp", "Willow Lane Medical Practice")


# --- Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("recipient_list", "get"),
        ("recipient_new", "get"),
        ("recipient_new", "post"),
        ("recipient_edit", "get"),
        ("recipient_edit", "post"),
        ("recipient_deactivate", "post"),
        ("recipient_reactivate", "post"),
    ],
)
def test_a_therapist_is_forbidden_and_an_outsider_finds_nothing(
    client, clinic, therapist, outsider, gp, name, method
) -> None:
    args = [clinic.pk] if name in ("recipient_list", "recipient_new") else [clinic.pk, gp.pk]
    target = reverse(name, args=args)
    data = {**NEW_UROLOGY, "kind": "gp"} if method == "post" else None
    client.force_login(therapist)
    assert getattr(client, method)(target, data).status_code == 403
    client.force_login(outsider)
    assert getattr(client, method)(target, data).status_code == 404
    gp.refresh_from_db()
    assert (gp.name, gp.is_active) == ("Willow Lane Medical Practice", True)
    assert Recipient.objects.count() == 1


def test_another_clinics_admin_does_not_find_this_clinics_recipient(
    client, clinic, other_clinic, other_clinic_admin, gp
) -> None:
    client.force_login(other_clinic_admin)
    assert client.get(list_url(clinic)).status_code == 404
    assert client.get(url("recipient_edit", gp)).status_code == 404
    # Nor through their own clinic's address.
    for name in ("recipient_edit", "recipient_deactivate"):
        target = reverse(name, args=[other_clinic.pk, gp.pk])
        assert client.post(target, {**NEW_UROLOGY, "kind": "gp"}).status_code == 404
    gp.refresh_from_db()
    assert (gp.name, gp.is_active) == ("Willow Lane Medical Practice", True)


def test_the_pages_need_a_login(client, gp) -> None:
    response = client.get(list_url(gp.clinic))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_clinic_admins_find_the_directory_in_the_menu(
    client, clinic, clinic_admin, therapist
) -> None:
    client.force_login(clinic_admin)
    assert list_url(clinic) in client.get(reverse("home")).content.decode()
    client.force_login(therapist)
    assert list_url(clinic) not in client.get(reverse("home")).content.decode()


# --- Services ---------------------------------------------------------------------------------


def test_create_checks_every_field(clinic) -> None:
    with pytest.raises(ValidationError) as error:
        recipient_create(clinic=clinic, kind="dentist", name=" ", address="")
    assert set(error.value.message_dict) == {"kind", "name"}
    assert not Recipient.objects.exists()


def test_update_checks_and_keeps_the_clinic(gp, other_clinic) -> None:
    with pytest.raises(ValidationError) as error:
        recipient_update(recipient=gp, kind="dentist")
    assert "kind" in error.value.message_dict
    gp.refresh_from_db()
    assert gp.kind == "gp"
    with pytest.raises(ValueError, match="clinic"):
        recipient_update(recipient=gp, clinic=other_clinic)
    recipient_update(recipient=gp, name=" Willow Lane Surgery ", is_active=False)
    gp.refresh_from_db()
    assert (gp.name, gp.is_active, gp.kind) == ("Willow Lane Surgery", False, "gp")


# --- Selectors --------------------------------------------------------------------------------


def test_recipients_for_clinic(clinic, other_clinic) -> None:
    ed = RecipientFactory(clinic=clinic, kind="emergency_department", name="ED")
    gp_b = RecipientFactory(clinic=clinic, kind="gp", name="Birch")
    gp_a = RecipientFactory(clinic=clinic, kind="gp", name="Aspen")
    retired = RecipientFactory(clinic=clinic, kind="gp", name="Alder", is_active=False)
    RecipientFactory(clinic=other_clinic, kind="gp", name="Theirs")

    assert list(recipients_for_clinic(clinic_id=clinic.pk)) == [ed, gp_a, gp_b]
    assert list(recipients_for_clinic(clinic_id=clinic.pk, kind="gp")) == [gp_a, gp_b]
    everyone = recipients_for_clinic(clinic_id=clinic.pk, kind="gp", active_only=False)
    assert list(everyone) == [retired, gp_a, gp_b]
    assert not recipients_for_clinic(clinic_id=clinic.pk, kind="urology").exists()


def test_default_recipient_is_the_first_in_use_of_that_kind(clinic, other_clinic) -> None:
    RecipientFactory(clinic=clinic, kind="gp", name="Alder", is_active=False)
    birch = RecipientFactory(clinic=clinic, kind="gp", name="Birch")
    RecipientFactory(clinic=clinic, kind="gp", name="Cedar")
    RecipientFactory(clinic=other_clinic, kind="urology", name="Theirs")
    assert default_recipient(clinic_id=clinic.pk, kind="gp") == birch
    assert default_recipient(clinic_id=clinic.pk, kind="urology") is None
    assert default_recipient(clinic_id=clinic.pk, kind=RecipientKind.GP) == birch


def test_the_demo_clinic_has_a_directory(db) -> None:
    call_command("loaddata", "fixtures/demo_clinic.json", verbosity=0)
    riverside = Recipient.objects.filter(clinic__name="Riverside Pelvic Health")
    assert {r.kind for r in riverside} >= {
        "emergency_department",
        "gp",
        "urology",
        "urogynaecology",
    }
    for recipient in Recipient.objects.all():
        recipient.full_clean()
