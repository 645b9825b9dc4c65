"""The clinic admin's audit report: filters, CSV export, scoping, and a log nobody can alter."""

import csv
import datetime
import io

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.access import log_sign_in
from clinic.models import AccessLog, AppendOnlyError, AuditAction, Role
from tests.conftest import two_factor_verified
from tests.factories import AccessLogFactory, MembershipFactory, PatientFactory, UserFactory


def page_url(clinic) -> str:
    return reverse("audit_report", args=[clinic.pk])


def export_url(clinic) -> str:
    return reverse("audit_export", args=[clinic.pk])


def at(day: str, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def entry(user, patient, *, action=AuditAction.VIEW, when="2026-03-10", hour=12, **fields):
    return AccessLogFactory(
        user=user,
        username=user.get_username(),
        patient=patient,
        clinic=patient.clinic,
        action=action,
        at=at(when, hour),
        role=Role.THERAPIST,
        **fields,
    )


def shown(response) -> list[str]:
    """The report's rows as 'what', skipping the admin's own reads of the report."""
    assert response.status_code == 200
    return [row.what for row in response.context["rows"] if row.what != "Opened the audit report"]


def exported_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def log(clinic, therapist, colleague, patient, other_clinic_patient, outsider):
    other = PatientFactory(clinic=clinic, record_number="R0002", last_name="Okafor")
    entry(therapist, patient, what="Tess opened Maria", when="2026-03-10")
    entry(colleague, other, what="Colin opened Okafor", when="2026-03-11")
    entry(therapist, patient, action=AuditAction.SIGN, what="Tess signed", when="2026-03-12")
    entry(outsider, other_clinic_patient, what="Another clinic's read", when="2026-03-12")
    AccessLog.objects.create(
        user=therapist,
        username="tess",
        clinic=clinic,
        action=AuditAction.SIGN_IN,
        what="Signed in",
        path="/login/",
        at=at("2026-03-13"),
        role=Role.THERAPIST,
    )


# --- The page -----------------------------------------------------------------------------


def test_it_lists_the_clinics_entries_newest_first(admin_client_, clinic, log):
    assert shown(admin_client_.get(page_url(clinic))) == [
        "Signed in",
        "Tess signed",
        "Colin opened Okafor",
        "Tess opened Maria",
    ]


def test_it_shows_who_as_what_on_which_patient(admin_client_, clinic, log):
    content = admin_client_.get(page_url(clinic), {"action": "sign"}).content.decode()
    for text in ("Tess Morgan", "Therapist", "Signed", "Tess signed", "R0001"):
        assert text in content


def test_it_filters_by_user(admin_client_, clinic, log, colleague):
    assert shown(admin_client_.get(page_url(clinic), {"user": colleague.pk})) == [
        "Colin opened Okafor"
    ]


@pytest.mark.parametrize(
    ("text", "expected"), [("R0002", "Colin opened Okafor"), ("okaf", "Colin opened Okafor")]
)
def test_it_filters_by_patient_record_number_or_name(admin_client_, clinic, log, text, expected):
    assert shown(admin_client_.get(page_url(clinic), {"patient": text})) == [expected]


def test_it_filters_by_action(admin_client_, clinic, log):
    assert shown(admin_client_.get(page_url(clinic), {"action": "sign_in"})) == ["Signed in"]


def test_it_filters_by_days_in_the_clinics_time_zone(admin_client_, clinic, log, settings):
    response = admin_client_.get(
        page_url(clinic), {"date_from": "2026-03-11", "date_to": "2026-03-12"}
    )
    assert shown(response) == ["Tess signed", "Colin opened Okafor"]


def test_a_late_evening_read_belongs_to_the_clinics_day(
    admin_client_, clinic, therapist, patient, settings
):
    settings.TIME_ZONE = "America/New_York"
    # 23:30 in New York on the 10th: the 11th in UTC.
    late = datetime.datetime(2026, 3, 11, 3, 30, tzinfo=datetime.UTC)
    AccessLogFactory(user=therapist, patient=patient, clinic=clinic, what="Late read", at=late)
    assert shown(admin_client_.get(page_url(clinic), {"date_to": "2026-03-10"})) == ["Late read"]
    assert shown(admin_client_.get(page_url(clinic), {"date_from": "2026-03-11"})) == []


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "yesterday"},
        {"date_from": "0001-01-01"},
        {"date_to": "99999-01-01"},
        {"date_from": "2026-03-12", "date_to": "2026-03-01"},
        {"user": "1" * 30},
        {"user": "x"},
        {"action": "delete_everything"},
        {"patient": "\x00" * 300},
        {"page": "1" * 30},
    ],
)
def test_bad_filters_give_a_message_not_a_server_error(admin_client_, clinic, log, query):
    response = admin_client_.get(page_url(clinic), query)
    assert response.status_code == 200
    if "page" not in query:
        assert "Some filters could not be used" in response.content.decode()
        assert response.context["rows"] == []
    assert admin_client_.get(export_url(clinic), query).status_code in (200, 302)


def test_a_bad_date_says_how_to_write_one(admin_client_, clinic):
    content = admin_client_.get(page_url(clinic), {"date_from": "31.13.2026"}).content.decode()
    assert "Enter a date as year-month-day" in content


def test_the_user_filter_offers_only_the_clinics_staff(admin_client_, clinic, therapist, outsider):
    choices = admin_client_.get(page_url(clinic)).context["form"].fields["user"].queryset
    assert therapist in choices and outsider not in choices


def test_it_pages_without_counting_the_whole_log(admin_client_, clinic, therapist, patient):
    for hour in range(0, 24):
        for minute in range(3):
            entry(therapist, patient, what=f"read {hour}:{minute}", when="2026-03-10", hour=hour)
    first = admin_client_.get(page_url(clinic), {"user": therapist.pk})
    assert len(first.context["rows"]) == 50 and first.context["next"] == 2
    second = admin_client_.get(page_url(clinic), {"user": therapist.pk, "page": 2})
    assert len(second.context["rows"]) == 22 and second.context["next"] is None
    assert not {r.pk for r in first.context["rows"]} & {r.pk for r in second.context["rows"]}


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_its_query_count_does_not_grow_with_rows(admin_client_, clinic, therapist, patient):
    entry(therapist, patient, what="read")
    one = queries(admin_client_, page_url(clinic))
    for other in PatientFactory.create_batch(60, clinic=clinic):
        entry(therapist, other, what="read")
    assert queries(admin_client_, page_url(clinic)) == one
    # Beyond the request's own (session, user, memberships): its log row, the staff for
    # the filter, the rows with their users and patients.
    assert one <= 9


def test_sign_ins_show_with_no_patient(admin_client_, clinic, therapist, rf):
    request = rf.post("/login/", REMOTE_ADDR="203.0.113.9")
    log_sign_in(request, action=AuditAction.SIGN_IN, what="Signed in", user=therapist)
    response = admin_client_.get(page_url(clinic), {"action": "sign_in"})
    [row] = response.context["rows"]
    assert (row.user, row.role, row.patient) == (therapist, Role.THERAPIST, None)
    assert "203.0.113.9" in response.content.decode()


def test_opening_it_is_logged(admin_client_, clinic, clinic_admin):
    admin_client_.get(page_url(clinic), {"action": "view"})
    row = AccessLog.objects.get(user=clinic_admin)
    assert (row.clinic, row.role, row.patient) == (clinic, Role.CLINIC_ADMIN, None)
    assert row.what == "Opened the audit report" and row.query == "action=view"


# --- Scoping ------------------------------------------------------------------------------


def test_another_clinics_admin_gets_404(client, clinic, other_clinic_admin, log):
    client.force_login(other_clinic_admin)
    assert client.get(page_url(clinic)).status_code == 404
    assert client.get(export_url(clinic)).status_code == 404


def test_a_therapist_gets_403(therapist_client, clinic, log):
    assert therapist_client.get(page_url(clinic)).status_code == 403
    assert therapist_client.get(export_url(clinic)).status_code == 403


def test_it_never_shows_another_clinics_entries(admin_client_, clinic, log):
    assert "Another clinic's read" not in admin_client_.get(page_url(clinic)).content.decode()


def test_it_requires_login(client, clinic):
    response = client.get(page_url(clinic))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_clinic_admin_menu_links_to_it(admin_client_, clinic):
    assert page_url(clinic) in admin_client_.get(reverse("patient_list")).content.decode()


# --- CSV export ---------------------------------------------------------------------------


def test_the_export_holds_the_filtered_rows(admin_client_, clinic, log):
    response = admin_client_.get(export_url(clinic), {"user": "", "action": "view"})
    header, *rows = exported_rows(response)
    assert header[:3] == ["When", "User name", "Full name"]
    assert [row[5] for row in rows] == ["Colin opened Okafor", "Tess opened Maria"]
    assert rows[1][1:8] == [
        "tess",
        "Tess Morgan",
        "Therapist",
        "Opened",
        "Tess opened Maria",
        "R0001",
        "",
    ]
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    assert "no-store" in response["Cache-Control"]


def test_the_export_guards_against_spreadsheet_formulas(admin_client_, clinic, therapist, patient):
    entry(therapist, patient, what='=HYPERLINK("http://evil")', query="+1")
    _header, row = exported_rows(admin_client_.get(export_url(clinic), {"action": "view"}))
    assert row[5] == '\'=HYPERLINK("http://evil")' and row[7] == "'+1"


def test_the_export_is_logged(admin_client_, clinic, clinic_admin):
    exported_rows(admin_client_.get(export_url(clinic), {"action": "sign"}))
    row = AccessLog.objects.get(user=clinic_admin)
    assert (row.action, row.what, row.query) == (
        AuditAction.EXPORT,
        "Exported the audit report as CSV",
        "action=sign",
    )


def test_the_export_of_bad_filters_goes_back_to_the_report(admin_client_, clinic):
    response = admin_client_.get(export_url(clinic), {"date_from": "nope"})
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(clinic)}?date_from=nope"


# --- Append-only --------------------------------------------------------------------------


def test_a_row_cannot_be_changed(therapist, patient):
    row = entry(therapist, patient, what="Opened")
    row.what = "Nothing happened"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).update(what="Nothing happened")
    assert AccessLog.objects.get(pk=row.pk).what == "Opened"


def test_a_row_cannot_be_deleted(therapist, patient):
    row = entry(therapist, patient, what="Opened")
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=row.pk).delete()
    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_the_django_admin_has_no_access_log_page(client, log):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    MembershipFactory(user=superuser)
    two_factor_verified(client, superuser)
    assert not admin.site.is_registered(AccessLog)
    assert client.get("/admin/clinic/accesslog/").status_code == 404
    assert client.get("/admin/clinic/accesslog/add/").status_code == 404
    assert "/admin/clinic/accesslog/" not in client.get(reverse("admin:index")).content.decode()
