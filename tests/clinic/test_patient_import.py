"""Patient import: the parser's rules, the preview, the all-or-nothing import, its pages."""

import codecs
import datetime
import math
import time

import pytest
from django.core import signing
from django.db import connection
from django.urls import reverse

from clinic import patient_csv
from clinic.models import Patient, Role
from clinic.patient_csv import parse_patient_csv
from clinic.services import patient_import
from tests.factories import MembershipFactory, PatientFactory, UserFactory

TODAY = datetime.date(2026, 6, 1)
HEADER = "record_number,first_name,last_name,date_of_birth,anatomy,therapist\n"


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode()


def many_rows(count: int, start: int = 0) -> bytes:
    return csv_bytes(*(f"N{n:05d},Ana,Lopez,1984-06-30,vulva," for n in range(start, count)))


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def stored_uploads(tmp_path) -> list:
    folder = tmp_path / patient_import.UPLOAD_DIR
    return list(folder.iterdir()) if folder.exists() else []


# --- The file's rules (no database) -------------------------------------------------------


def test_it_reads_an_excel_file_with_semicolons_a_bom_and_day_first_dates():
    data = (
        codecs.BOM_UTF8
        + (
            "Record number;First name;Last name;Date of birth;Anatomy;Preferred language\r\n"
            "R1;Zoë;Müller;30/06/1984;Vulva;Spanish\r\n"
            'R2;Seán;"O\'Brien; Jr";1.2.1990;PENIS;\r\n'
        ).encode()
    )

    parsed = parse_patient_csv(
        data, today=TODAY, languages={"en": "English", "es": "Spanish"}, date_order="dmy"
    )

    assert parsed.errors == []
    first, second = parsed.rows
    assert (first.first_name, first.date_of_birth, first.anatomy) == (
        "Zoë",
        datetime.date(1984, 6, 30),
        "vulva",
    )
    assert first.preferred_language == "es"
    assert (second.last_name, second.date_of_birth) == ("O'Brien; Jr", datetime.date(1990, 2, 1))
    assert second.preferred_language == "en"


def test_it_reads_excels_unicode_text_tab_separated():
    text = (
        "record_number\tfirst_name\tlast_name\tdate_of_birth\tanatomy\n"
        "R1\tAna\tLópez\t1984-06-30\tvulva\n"
    )
    parsed = parse_patient_csv(text.encode("utf-16"), today=TODAY)
    assert parsed.errors == []
    assert parsed.rows[0].last_name == "López"


def test_every_bad_line_is_reported_with_its_column():
    data = csv_bytes(
        "R1,Ana,Lopez,1984-06-30,vulva,",
        "R2,,Lopez,31/02/1984,vulva,",
        "R3,Bo,Diaz,1984-06-30,other,",
        "r1,Cy,Ng,2999-01-01,penis,",
    )

    parsed = parse_patient_csv(data, today=TODAY)

    assert [row.record_number for row in parsed.rows] == ["R1"]
    assert [(e.line, e.field) for e in parsed.errors] == [
        (3, "first_name"),
        (3, "date_of_birth"),
        (4, "anatomy"),
        (5, "date_of_birth"),
        (5, "record_number"),
    ]
    assert "31/02/1984" in parsed.errors[1].message
    assert "line 2" in parsed.errors[4].message
    assert parsed.row_count == 4


@pytest.mark.parametrize(
    ("text", "order", "words"),
    [
        ("04/07/1984", "iso_only", "could be read day first or month first: write it as"),
        ("12/31/1970", "dmy", "is not a date in day/month/year order (the clinic's setting)"),
        ("31/12/1970", "mdy", "is not a date in month/day/year order (the clinic's setting)"),
        ("31/02/1984", "dmy", "'31/02/1984' is not a date in day/month/year order"),
        ("13/13/1984", "mdy", "'13/13/1984' is not a date in month/day/year order"),
        ("30/06/84", "dmy", "needs a four-digit year"),
        ("1970-31-12", "dmy", "'1970-31-12' is not a date: write it as year-month-day"),
        ("1984-02-30", "iso_only", "'1984-02-30' is not a date"),
        ("yesterday", "iso_only", "must be a date like 1984-06-30, not 'yesterday'"),
    ],
)
def test_a_bad_date_names_its_line_and_column_and_says_how_to_write_it(text, order, words):
    parsed = parse_patient_csv(csv_bytes(f"R1,Ana,Lopez,{text},vulva,"), date_order=order)
    (error,) = parsed.errors
    assert (error.line, error.field) == (2, "date_of_birth")
    assert words in error.message
    assert parsed.rows == []


@pytest.mark.parametrize(
    ("order", "born"),
    [("dmy", datetime.date(1984, 7, 4)), ("mdy", datetime.date(1984, 4, 7))],
)
def test_numeric_dates_are_read_in_the_order_the_clinic_declared(order, born):
    data = csv_bytes("R1,Ana,Lopez,04/07/1984,vulva,", "R2,Bo,Diaz,1990-06-30,penis,")
    parsed = parse_patient_csv(data, today=TODAY, date_order=order)
    assert parsed.errors == []
    assert [row.date_of_birth for row in parsed.rows] == [born, datetime.date(1990, 6, 30)]


def test_a_clinic_that_declared_no_order_refuses_numeric_dates_and_imports_nothing(clinic):
    assert clinic.import_date_order == "iso_only"  # a new clinic's default
    data = csv_bytes("R1,Ana,Lopez,1984-06-30,vulva,", "R2,Bo,Diaz,04/07/1984,penis,")

    preview = patient_import.patient_import_preview(clinic=clinic, data=data, today=TODAY)

    assert [(e.line, e.field) for e in preview.errors] == [(3, "date_of_birth")]
    assert "'04/07/1984' could be read day first or month first" in preview.errors[0].message
    with pytest.raises(patient_import.ImportRefused):
        patient_import.patient_import(clinic=clinic, data=data)
    assert not Patient.objects.exists()


def test_a_us_clinic_reads_its_file_month_first(clinic):
    clinic.import_date_order = "mdy"
    clinic.save()

    patient_import.patient_import(clinic=clinic, data=csv_bytes("R1,Ana,Lopez,07/04/1984,vulva,"))

    assert Patient.objects.get().date_of_birth == datetime.date(1984, 7, 4)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xff\xfeA\xd8", "UTF-8"),  # broken UTF-16
        ("Zoë".encode("latin-1"), "UTF-8"),
        (b"record_number,first_name\n", "last_name"),
        (b"record_number,first_name,last_name,date_of_birth,anatomy,shoe_size\n", "shoe_size"),
        (HEADER.encode(), "no patients"),
        (csv_bytes('R1,"Ana,Lopez,1984-06-30,vulva,'), "quotes"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(data, words):
    parsed = parse_patient_csv(data, today=TODAY)
    assert parsed.rows == []
    assert words in " ".join(e.message for e in parsed.errors)


def test_size_and_row_limits_are_refused_with_a_message(monkeypatch):
    too_big = b"x" * (patient_csv.MAX_FILE_BYTES + 1)
    assert "larger than 5 MB" in parse_patient_csv(too_big).errors[0].message

    monkeypatch.setattr(patient_csv, "MAX_ROWS", 3)
    parsed = parse_patient_csv(many_rows(4), today=TODAY)
    assert parsed.rows == []
    assert [(e.line, e.message) for e in parsed.errors] == [
        (5, "The file has more than 3 patients; split it into files of at most 3 rows.")
    ]


def test_export_cells_that_look_like_formulas_are_quoted():
    row = parse_patient_csv(csv_bytes("=1+1,@SUM(A1),-x,1984-06-30,vulva,")).rows[0]
    text = patient_csv.patients_to_csv([row])
    assert "'=1+1,'@SUM(A1),'-x," in text
    assert parse_patient_csv(text.encode()).rows[0].record_number == "=1+1"


# --- The preview --------------------------------------------------------------------------


def test_the_preview_lists_numbers_the_clinic_already_has(clinic, other_clinic):
    PatientFactory(clinic=clinic, record_number="R0001")
    PatientFactory(clinic=other_clinic, record_number="R0002")
    data = csv_bytes("r0001,Ana,Lopez,1984-06-30,vulva,", "R0002,Bo,Diaz,1990-01-01,penis,")

    preview = patient_import.patient_import_preview(clinic=clinic, data=data)

    assert [(e.line, e.record_number) for e in preview.existing] == [(2, "r0001")]
    assert [row.record_number for row in preview.rows] == ["R0002"]
    assert not preview.ready
    assert preview.problem_lines == 1


def test_the_therapist_must_be_an_active_therapist_of_the_clinic(
    clinic, therapist, colleague, clinic_admin, outsider
):
    colleague.memberships.update(is_active=False)
    data = csv_bytes(
        "R1,Ana,Lopez,1984-06-30,vulva,tess",
        "R2,Bo,Diaz,1984-06-30,vulva,TESS",
        "R3,Cy,Ng,1984-06-30,vulva,colin",
        "R4,Di,Ng,1984-06-30,vulva,omar",
        "R5,Ed,Ng,1984-06-30,vulva,adele",
        "R6,Fa,Ng,1984-06-30,vulva,nobody",
    )

    preview = patient_import.patient_import_preview(clinic=clinic, data=data)

    assert [row.therapist for row in preview.rows] == ["tess", "tess"]
    assert [(e.line, e.field) for e in preview.errors] == [(n, "therapist") for n in (4, 5, 6, 7)]
    assert "'omar' is not the username of an active therapist" in preview.errors[1].message


def test_a_bad_row_shows_all_its_problems_at_once(clinic, therapist):
    PatientFactory(clinic=clinic, record_number="R1")
    data = csv_bytes("R1,Ana,Lopez,31/02/1984,vulva,nobody")

    preview = patient_import.patient_import_preview(clinic=clinic, data=data)

    assert [(e.line, e.field) for e in preview.errors] == [(2, "date_of_birth"), (2, "therapist")]
    assert preview.existing == [patient_import.ExistingRecord(2, "R1")]
    assert preview.problem_lines == 1


def test_the_preview_takes_a_constant_number_of_queries(
    clinic, therapist, django_assert_num_queries
):
    data = many_rows(5_000)
    with django_assert_num_queries(2):  # the clinic's record numbers, its therapists
        preview = patient_import.patient_import_preview(clinic=clinic, data=data)
    assert preview.ready and len(preview.rows) == 5_000


# --- The import ---------------------------------------------------------------------------


def test_it_imports_every_row_with_its_therapist(clinic, therapist):
    clinic.import_date_order = "dmy"
    clinic.save()
    data = csv_bytes(
        "R1,Ana,Lopez,1984-06-30,vulva,tess",
        "R2,Bo,Diaz,30/06/1990,penis,",
        header=HEADER,
    )

    assert patient_import.patient_import(clinic=clinic, data=data) == 2

    ana, bo = Patient.objects.order_by("record_number")
    assert (ana.clinic, ana.assigned_therapist, ana.preferred_language) == (clinic, therapist, "en")
    assert (bo.assigned_therapist, bo.date_of_birth) == (None, datetime.date(1990, 6, 30))
    assert ana.created_at is not None


def test_anatomy_unspecified_imports_and_exports(clinic):
    # intake-v1 addition (2026-12-01); any case, as the front desk types it.
    data = csv_bytes("R1,Ana,Lopez,1984-06-30,unspecified,", "R2,Bo,Diaz,1990-06-30,Unspecified,")

    assert patient_import.patient_import(clinic=clinic, data=data) == 2

    assert set(Patient.objects.values_list("anatomy", flat=True)) == {"unspecified"}
    rows = parse_patient_csv(data, today=TODAY).rows
    exported = parse_patient_csv(patient_csv.patients_to_csv(rows).encode(), today=TODAY)
    assert [row.anatomy for row in exported.rows] == ["unspecified", "unspecified"]


def test_a_bad_anatomy_names_the_three_values():
    parsed = parse_patient_csv(csv_bytes("R1,Ana,Lopez,1984-06-30,other,"), today=TODAY)
    assert [(e.line, e.field, e.message) for e in parsed.errors] == [
        (2, "anatomy", "anatomy must be vulva, penis or unspecified, not 'other'.")
    ]


def test_one_bad_row_imports_nothing(clinic):
    data = csv_bytes("R1,Ana,Lopez,1984-06-30,vulva,", "R2,Bo,Diaz,1984-06-30,cat,")
    with pytest.raises(patient_import.ImportRefused) as refused:
        patient_import.patient_import(clinic=clinic, data=data)
    assert refused.value.preview.errors[0].line == 3
    assert not Patient.objects.exists()


def test_it_checks_again_at_import_time(clinic):
    data = csv_bytes("R1,Ana,Lopez,1984-06-30,vulva,", "R2,Bo,Diaz,1984-06-30,penis,")
    assert patient_import.patient_import_preview(clinic=clinic, data=data).ready
    PatientFactory(clinic=clinic, record_number="R2")  # a colleague, meanwhile

    with pytest.raises(patient_import.ImportRefused) as refused:
        patient_import.patient_import(clinic=clinic, data=data)

    assert refused.value.preview.existing[0].record_number == "R2"
    assert Patient.objects.count() == 1


def test_a_clash_at_the_database_imports_nothing(clinic, monkeypatch):
    # Two overlapping imports at once: the database's unique constraint has the last word.
    real_preview = patient_import.patient_import_preview

    def preview_then_race(**kwargs):
        preview = real_preview(**kwargs)
        PatientFactory(clinic=clinic, record_number="R2")
        return preview

    data = csv_bytes("R1,Ana,Lopez,1984-06-30,vulva,", "R2,Bo,Diaz,1984-06-30,penis,")
    monkeypatch.setattr(patient_import, "patient_import_preview", preview_then_race)
    with pytest.raises(patient_import.ImportRefused):
        patient_import.patient_import(clinic=clinic, data=data)
    assert not Patient.objects.filter(record_number="R1").exists()


def test_five_thousand_rows_import_in_bulk(clinic, therapist, django_assert_max_num_queries):
    data = many_rows(5_000)
    fields = [f for f in Patient._meta.concrete_fields if not f.primary_key]
    batches = math.ceil(5_000 / (connection.ops.bulk_batch_size(fields, [None] * 5_000) or 5_000))

    started = time.perf_counter()
    # numbers and therapists, the inserts, and the savepoint of the transaction
    with django_assert_max_num_queries(4 + batches):
        assert patient_import.patient_import(clinic=clinic, data=data) == 5_000
    assert time.perf_counter() - started < 10
    assert Patient.objects.filter(clinic=clinic).count() == 5_000


# --- The pages ----------------------------------------------------------------------------


def upload_url(clinic) -> str:
    return reverse("patient_import", args=[clinic.pk])


def upload(client, clinic, data: bytes, **headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("patients.csv", data, content_type="text/csv")
    return client.post(upload_url(clinic), {"file": file}, headers=headers)


def test_upload_preview_and_import(admin_client_, clinic, therapist, upload_storage):
    page = admin_client_.get(upload_url(clinic))
    assert "record_number" in page.content.decode()

    response = upload(admin_client_, clinic, csv_bytes("R1,Ana,Lopez,1984-06-30,vulva,tess"))
    preview = admin_client_.get(response["Location"])
    assert preview.status_code == 200
    assert preview.context["preview"].ready
    assert "Import 1 patient" in preview.content.decode()
    assert "30 June 1984" in preview.content.decode()

    confirm = preview.context["token"]
    done = admin_client_.post(reverse("patient_import_confirm", args=[clinic.pk, confirm]))

    assert done["Location"] == reverse("patient_list")
    assert Patient.objects.get().assigned_therapist == therapist
    assert stored_uploads(upload_storage) == []  # the patient file is not kept


def test_the_preview_names_every_bad_row(admin_client_, clinic, upload_storage):
    PatientFactory(clinic=clinic, record_number="R9")
    data = csv_bytes(
        "R1,Ana,Lopez,1984-06-30,vulva,",
        "R2,Bo,Diaz,1984-06-30,cat,",
        "R9,Cy,Ng,1984-06-30,penis,",
    )
    preview = admin_client_.get(upload(admin_client_, clinic, data)["Location"])
    html = preview.content.decode()

    assert "1 row can be imported now; 2 cannot yet." in html
    assert "anatomy must be vulva, penis or unspecified, not &#x27;cat&#x27;." in html
    assert "R9 (line 4)" in html
    # Importing it all is not offered; the good row alone is, on request.
    assert "Import 1 patient<" not in html
    assert "Import the 1 good row and skip the 2 with problems" in html
    assert len(stored_uploads(upload_storage)) == 1  # kept for the good row or the bad ones


def test_a_file_of_which_nothing_can_come_is_deleted_at_once(admin_client_, clinic, upload_storage):
    data = csv_bytes(header="record_number,first_name\n")
    html = admin_client_.get(upload(admin_client_, clinic, data)["Location"]).content.decode()
    assert "Nothing can be imported yet" in html
    assert "/confirm/" not in html and "problems.csv" not in html
    assert stored_uploads(upload_storage) == []


def test_the_script_gets_json(admin_client_, clinic):
    ok = upload(admin_client_, clinic, many_rows(3), accept="application/json")
    assert ok.json()["location"].startswith(upload_url(clinic))

    missing = admin_client_.post(upload_url(clinic), {}, headers={"accept": "application/json"})
    assert missing.status_code == 400
    assert missing.json()["errors"] == ["This field is required."]


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(
    admin_client_, clinic, upload_storage, monkeypatch
):
    monkeypatch.setattr(patient_csv, "MAX_FILE_BYTES", 100)
    response = upload(admin_client_, clinic, many_rows(10))
    assert "larger than" in response.content.decode()
    assert stored_uploads(upload_storage) == []


def test_an_import_cannot_run_twice(admin_client_, clinic):
    location = upload(admin_client_, clinic, many_rows(2))["Location"]
    token = admin_client_.get(location).context["token"]
    url = reverse("patient_import_confirm", args=[clinic.pk, token])

    admin_client_.post(url)
    again = admin_client_.post(url, follow=True)

    assert "no longer available" in again.content.decode()
    assert Patient.objects.count() == 2


def test_a_forged_or_foreign_token_reads_nothing(admin_client_, clinic, clinic_admin):
    other_admin = UserFactory()
    MembershipFactory(user=other_admin, clinic=clinic, role=Role.CLINIC_ADMIN)
    token = patient_import.import_upload_store(clinic=clinic, user=other_admin, data=many_rows(1))

    outside = signing.dumps(
        {"clinic": clinic.pk, "user": clinic_admin.pk, "name": "imports/../../x.csv"},
        salt=patient_import._TOKEN_SALT,
    )
    for bad in (token, token[:-2] + "xx", "nonsense", outside):
        response = admin_client_.get(reverse("patient_import_preview", args=[clinic.pk, bad]))
        assert response.status_code == 302
        assert response["Location"] == upload_url(clinic)


def test_old_uploads_are_swept(clinic, clinic_admin, upload_storage):
    import os

    token = patient_import.import_upload_store(clinic=clinic, user=clinic_admin, data=b"x")
    (old,) = stored_uploads(upload_storage)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))

    patient_import.import_upload_store(clinic=clinic, user=clinic_admin, data=b"y")

    assert old not in stored_uploads(upload_storage)
    with pytest.raises(patient_import.UploadGone):
        patient_import.import_upload_read(token=token, clinic=clinic, user=clinic_admin)


def test_a_therapist_of_the_clinic_is_forbidden(therapist_client, clinic):
    assert therapist_client.get(upload_url(clinic)).status_code == 403
    assert upload(therapist_client, clinic, many_rows(1)).status_code == 403


def test_another_clinic_is_not_found(outsider_client, clinic, clinic_admin):
    assert outsider_client.get(upload_url(clinic)).status_code == 404
    token = patient_import.import_upload_store(clinic=clinic, user=clinic_admin, data=b"x")
    confirm = reverse("patient_import_confirm", args=[clinic.pk, token])
    assert outsider_client.post(confirm).status_code == 404


def test_it_requires_login(client, clinic):
    response = client.get(upload_url(clinic))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_five_thousand_row_file_through_the_pages(
    admin_client_, clinic, django_assert_max_num_queries
):
    location = upload(admin_client_, clinic, many_rows(5_000))["Location"]
    with django_assert_max_num_queries(8):
        preview = admin_client_.get(location)
    assert preview.context["preview"].ready
    admin_client_.post(
        reverse("patient_import_confirm", args=[clinic.pk, preview.context["token"]])
    )
    assert Patient.objects.count() == 5_000


def test_thousands_of_problems_are_counted_by_column(admin_client_, clinic):
    data = csv_bytes(*(f"N{n},Ana,Lopez,06/30/1984,vulva," for n in range(1_500)))
    preview = admin_client_.get(upload(admin_client_, clinic, data)["Location"])
    html = preview.content.decode()
    assert len(preview.context["problems"]) == 1_000
    assert "and 500 more problems" in html
    assert preview.context["by_column"] == [("date_of_birth", 1_500)]
