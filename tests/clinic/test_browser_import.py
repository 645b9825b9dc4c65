"""The front desk imports patients in a real browser: a bad row is named, fixed, imported."""

import json

import pytest

from clinic.models import Patient
from tests.conftest import load_next_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "record_number;first_name;last_name;date_of_birth;anatomy;therapist\n"


# Records what the upload form shows at each change, across the move to the preview page.
WATCH = """
document.addEventListener("DOMContentLoaded", () => {
  const progress = document.getElementById("import-progress");
  if (!progress) return;
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
    seen.push({
      shown: !progress.hidden,
      bar: progress.querySelector(".progress-bar").textContent,
      valuenow: progress.querySelector("[role=progressbar]").getAttribute("aria-valuenow"),
      checking: !document.getElementById("import-checking").hidden,
      buttonDisabled: document.querySelector("#import-form button").disabled,
    });
    sessionStorage.setItem("seen", JSON.stringify(seen));
  }).observe(progress, { subtree: true, attributes: true, childList: true, characterData: true });
});
"""


def as_file(text: str) -> dict:
    return {"name": "patients.csv", "mimeType": "text/csv", "buffer": text.encode()}


@pytest.fixture(autouse=True)
def upload_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def test_a_bad_row_is_named_then_the_fixed_file_is_imported(page, clinic, clinic_admin, therapist):
    clinic.import_date_order = "dmy"  # the clinic's files write 30/06/1984
    clinic.save()
    log_in(page, "adele")
    page.goto(f"/clinics/{clinic.pk}/patients/import/")

    page.get_by_label("Patient file (CSV)").set_input_files(
        as_file(HEADER + "R1;Noor;Haddad;30/06/1984;vulva;tess\nR2;Ivo;Petrov;1990-02-30;penis;\n")
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/patients/import/*/")

    problems = page.locator("#import-problems")
    assert problems.get_by_role("cell", name="3", exact=True).is_visible()
    assert problems.get_by_text("date_of_birth '1990-02-30' is not a date").is_visible()
    # All or nothing by default: the whole file is not offered, the good row alone is.
    assert page.get_by_role("button", name="Import 2 patients").count() == 0
    skip = page.get_by_role("button", name="Import the 1 good row and skip the 1 with problems")
    assert skip.is_visible()

    page.get_by_label("Patient file (CSV)").set_input_files(
        as_file(HEADER + "R1;Noor;Haddad;30/06/1984;vulva;tess\nR2;Ivo;Petrov;1990-02-28;penis;\n")
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 2 patients").click()

    page.wait_for_url("**/patients/")
    assert page.get_by_text("2 patients were imported into Riverside Pelvic Health.").is_visible()
    assert page.get_by_role("link", name="Haddad, Noor").is_visible()
    assert Patient.objects.get(record_number="R1").assigned_therapist == therapist
    assert page.console_errors == []  # the Content-Security-Policy blocks nothing we serve


def test_the_good_rows_are_imported_and_the_bad_ones_downloaded(
    page, clinic, clinic_admin, therapist
):
    log_in(page, "adele")
    page.goto(f"/clinics/{clinic.pk}/patients/import/")
    page.get_by_label("Patient file (CSV)").set_input_files(
        as_file(
            HEADER
            + "R1;Noor;Haddad;1984-06-30;vulva;tess\n"
            + "R2;Ivo;Petrov;1990-02-30;penis;\n"
            + "R3;Ada;Kim;1970-01-01;unspecified;\n"
        )
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/patients/import/*/")
    page.screenshot(path="/tmp/h6/import-mixed-check.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the 1 row with problems (CSV)").click()
    bad = download.value.path().read_text(encoding="utf-8-sig")
    assert (
        bad.splitlines()[0]
        == "record_number,first_name,last_name,date_of_birth,anatomy,therapist,problem"
    )
    assert "R2,Ivo,Petrov,1990-02-30,penis,," in bad and "is not a date" in bad

    load_next_page(
        page, page.get_by_role("button", name="Import the 2 good rows and skip the 1 with problems")
    )
    assert page.get_by_text("2 patients were imported into Riverside Pelvic Health.").is_visible()
    assert page.get_by_role(
        "link", name="Download the 1 row with problems (CSV), each with its problem."
    ).is_visible()
    page.screenshot(path="/tmp/h6/import-mixed-after.png", full_page=True)
    assert sorted(Patient.objects.values_list("record_number", flat=True)) == ["R1", "R3"]
    assert page.console_errors == []


def test_a_large_file_shows_the_upload_progress_then_a_spinner(page, clinic, clinic_admin):
    rows = "".join(f"N{n:05d};Ana;Lopez;1984-06-30;vulva;\n" for n in range(5_000))
    page.add_init_script(WATCH)
    log_in(page, "adele")
    page.goto(f"/clinics/{clinic.pk}/patients/import/")
    page.get_by_label("Patient file (CSV)").set_input_files(as_file(HEADER + rows))
    page.get_by_role("button", name="Check the file").click()

    page.wait_for_url("**/patients/import/*/")
    assert page.get_by_role("button", name="Import 5000 patients").is_visible()
    seen = json.loads(page.evaluate("() => sessionStorage.getItem('seen')"))
    assert seen[0]["shown"] and seen[0]["buttonDisabled"]
    assert {"bar": "100%", "valuenow": "100", "checking": True} in [
        {key: state[key] for key in ("bar", "valuenow", "checking")} for state in seen
    ]
    assert page.console_errors == []
