"""The intake as one guided flow (issue 13): steps in the order of a first visit, each
linking on, saving loses nothing, a review that says what is missing and what completing
locks, fields for another anatomy behind a disclosure, dependent fields named."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments.models import Status
from tests.factories import DiaryEntryFactory

STEP_NAMES = [
    "History and goals",
    "Symptoms",
    "Questionnaires",
    "Bladder diary",
    "Examination",
    "Hormonal status",
    "Review and complete",
]


def step_urls(assessment) -> dict[str, str]:
    pk = assessment.pk
    return {
        "history": reverse("assessment_edit", args=[pk]),
        "symptoms": reverse("assessment_step", args=[pk, "symptoms"]),
        "questionnaires": reverse("assessment_questionnaires", args=[pk]),
        "diary": reverse("assessment_diary", args=[pk]),
        "examination": reverse("assessment_step", args=[pk, "examination"]),
        "hormonal": reverse("assessment_step", args=[pk, "hormonal"]),
        "review": reverse("assessment_step", args=[pk, "review"]),
    }


class FormReader(HTMLParser):
    """What a browser would send for one form: named controls, checked boxes only,
    the selected option of each menu, nothing disabled."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self.select: str | None = None
        self.first_option: str | None = None
        self.selected = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "disabled" in a:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select, self.first_option, self.selected = a.get("name"), None, False
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self.data.append((self.select, a.get("value", "")))
                self.selected = True
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.selected:
                self.data.append((self.select, self.first_option or ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None


def as_browser_sends(html: str, form_id: str = "assessment-form", **changes) -> dict:
    reader = FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def nav_links(html: str) -> list[tuple[str, str]]:
    nav = html[
        html.index('aria-label="Intake steps"') : html.index("</nav>", html.index("Intake steps"))
    ]
    return re.findall(r'<a href="([^"]+)" data-step="(\w+)"', nav)


@pytest.mark.parametrize(
    "step", ["history", "symptoms", "questionnaires", "diary", "examination", "hormonal", "review"]
)
def test_every_step_shows_the_steps_in_order_and_links_onward(therapist_client, assessment, step):
    urls = step_urls(assessment)
    response = therapist_client.get(urls[step])
    assert response.status_code == 200
    html = response.content.decode()
    assert nav_links(html) == [(url, key) for key, url in urls.items()]
    for name in STEP_NAMES:
        assert name in html
    assert html.count('aria-current="step"') == 1
    current = re.search(r'<a href="([^"]+)" data-step="\w+" aria-current="step"', html)
    assert current and current.group(1) == urls[step]
    # A way on from every step, at the bottom of the screen.
    assert 'class="intake-savebar"' in html
    if step == "review":
        assert "Complete assessment" in html
    else:
        assert 'name="next"' in html and "Review and complete" in html


def test_an_unknown_step_is_not_found(therapist_client, assessment):
    url = reverse("assessment_step", args=[assessment.pk, "payment"])
    assert therapist_client.get(url).status_code == 404


def test_steps_check_clinic_membership(outsider_client, assessment):
    for url in step_urls(assessment).values():
        assert outsider_client.get(url).status_code == 404, url


def test_history_and_goals_come_first_and_save_in_the_patients_words(therapist_client, assessment):
    urls = step_urls(assessment)
    html = therapist_client.get(urls["history"]).content.decode()
    shown = html[: html.index('id="section-symptoms"')]
    assert "Main concern" in shown and "The patient&#x27;s goals" in shown
    data = as_browser_sends(
        html,
        chief_complaint="I leak when I run after my kids",
        goals="Run a 5 km park run\nLaugh without worrying",
        next="",
    )
    response = therapist_client.post(urls["history"], data)
    assert response.status_code == 302 and response["Location"] == urls["symptoms"]
    assessment.refresh_from_db()
    assert assessment.chief_complaint == "I leak when I run after my kids"
    assert assessment.goals == "Run a 5 km park run\nLaugh without worrying"


def test_moving_through_the_steps_loses_nothing(therapist_client, assessment):
    """Each step's page carries every other step's findings: what a browser sends from one
    step leaves the others as they were."""
    assessment.chief_complaint = "Leaks"
    assessment.urgency = True
    assessment.consent_recorded = True
    assessment.oxford_grade = 3
    assessment.hormonal_status = "postmenopausal"
    assessment.stress_leak_triggers = ["cough", "lift"]
    assessment.notes = "Seen with an interpreter"
    assessment.save()
    urls = step_urls(assessment)
    for step, change in [
        ("history", {"diabetes": "true"}),
        ("symptoms", {"night_voids": "2"}),
        ("examination", {"tone": "increased"}),
        ("hormonal", {"vaginal_atrophy": "true"}),
        ("review", {}),
    ]:
        html = therapist_client.get(urls[step]).content.decode()
        response = therapist_client.post(urls[step], as_browser_sends(html, **change, save=""))
        assert response.status_code == 302, step
        assert response["Location"] == urls[step]  # Save draft stays on the step
    assessment.refresh_from_db()
    assert assessment.chief_complaint == "Leaks"
    assert (assessment.urgency, assessment.night_voids, assessment.diabetes) == (True, 2, True)
    assert (assessment.consent_recorded, assessment.oxford_grade, assessment.tone) == (
        True,
        3,
        "increased",
    )
    assert (assessment.hormonal_status, assessment.vaginal_atrophy) == ("postmenopausal", True)
    assert assessment.stress_leak_triggers == ["cough", "lift"]
    assert assessment.notes == "Seen with an interpreter"
    assert assessment.urge_leaks is None  # never answered: still not assessed
    assert assessment.version == 6


@pytest.mark.parametrize(
    ("step", "button", "goes_to"),
    [
        ("history", "next", "symptoms"),
        ("symptoms", "next", "questionnaires"),
        ("examination", "next", "hormonal"),
        ("hormonal", "next", "review"),
        ("symptoms", "review", "review"),
    ],
)
def test_save_and_next_goes_to_the_following_step(
    therapist_client, assessment, step, button, goes_to
):
    urls = step_urls(assessment)
    html = therapist_client.get(urls[step]).content.decode()
    response = therapist_client.post(urls[step], as_browser_sends(html, **{button: ""}))
    assert response["Location"] == urls[goes_to]


def test_the_navigation_saves_before_leaving(therapist_client, assessment):
    # The page's script fills "goto" when a step is clicked with unsaved input.
    urls = step_urls(assessment)
    html = therapist_client.get(urls["symptoms"]).content.decode()
    response = therapist_client.post(
        urls["symptoms"], as_browser_sends(html, urgency="true", goto="diary")
    )
    assert response["Location"] == urls["diary"]
    assessment.refresh_from_db()
    assert assessment.urgency is True


def test_a_step_holding_a_field_in_error_shows_that_field(therapist_client, assessment):
    # Saved from the history step, a finding of the examination step is refused: it is
    # shown there, named in the summary, with everything typed kept.
    urls = step_urls(assessment)
    html = therapist_client.get(urls["history"]).content.decode()
    response = therapist_client.post(
        urls["history"], as_browser_sends(html, oxford_grade="3", diabetes="true")
    )
    assert response.status_code == 200
    content = response.content.decode()
    exam = re.search(r'<section class="form-section" id="section-exam"[^>]*>', content).group(0)
    assert "hidden" not in exam
    summary = content[
        content.index('id="form-errors"') : content.index(
            "</div>", content.index('id="form-errors"')
        )
    ]
    assert "Modified Oxford grade" in summary and "Record consent" in summary
    history = re.search(r'<section class="form-section" id="section-history"[^>]*>', content)
    assert "hidden" not in history.group(0)
    assessment.refresh_from_db()
    assert assessment.diabetes is None and assessment.version == 1


def test_the_review_lists_what_is_missing_and_what_completing_locks(therapist_client, assessment):
    urls = step_urls(assessment)
    html = therapist_client.get(urls["review"]).content.decode()
    missing = html[
        html.index('id="review-missing"') : html.index("</ul>", html.index('id="review-missing"'))
    ]
    for text, url in [
        ("The main concern is not recorded.", urls["history"]),
        ("The patient&#x27;s goals are not recorded.", urls["history"]),
        ("Symptoms: nothing recorded.", urls["symptoms"]),
        ("Red flags: not screened.", urls["symptoms"]),
        ("No questionnaire entered.", urls["questionnaires"]),
        ("No bladder diary.", urls["diary"]),
        ("Examination: nothing recorded.", urls["examination"]),
        ("Hormonal status: nothing recorded.", urls["hormonal"]),
    ]:
        assert text in missing, text
        assert f'href="{url}' in missing, url
    locks = html[html.index('id="review-locks"') :]
    assert "the questionnaires: none can be entered afterwards" in locks
    assert "the bladder diary" in locks

    assessment.chief_complaint = "Leaks on running"
    assessment.questionnaires = {"iciq_ui_sf": {"frequency": 2, "amount": 2, "interference": 3}}
    assessment.save()
    DiaryEntryFactory(assessment=assessment)
    html = therapist_client.get(urls["review"]).content.decode()
    missing = html[
        html.index('id="review-missing"') : html.index("</ul>", html.index('id="review-missing"'))
    ]
    assert "main concern" not in missing
    assert "No questionnaire entered." not in missing and "No bladder diary." not in missing
    assert "The patient&#x27;s goals are not recorded." in missing


def test_the_review_names_what_completing_would_refuse(therapist_client, assessment):
    assessment.hormonal_status = "postmenopausal"
    assessment.weeks_postpartum = 6  # a draft may be inconsistent; completing may not
    assessment.save()
    html = therapist_client.get(step_urls(assessment)["review"]).content.decode()
    problems = html[
        html.index('id="review-problems"') : html.index("</ul>", html.index('id="review-problems"'))
    ]
    assert "Weeks postpartum" in problems
    assert f'href="{step_urls(assessment)["hormonal"]}"' in problems


def test_completing_from_the_review_works_as_before(therapist_client, assessment):
    url = step_urls(assessment)["review"]
    html = therapist_client.get(url).content.decode()
    assert f'formaction="{reverse("visit_complete", args=[assessment.pk])}"' in html
    data = as_browser_sends(html, urgency="true", complete="")
    response = therapist_client.post(reverse("visit_complete", args=[assessment.pk]), data)
    assert response["Location"] == reverse("assessment_detail", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.status == Status.COMPLETE and assessment.urgency is True


def test_step_states_say_done_partly_or_missing(therapist_client, assessment):
    assessment.urgency = True  # symptoms, but red flags not screened: partly
    assessment.consent_recorded = True
    assessment.save()
    html = therapist_client.get(step_urls(assessment)["history"]).content.decode()
    states = dict(
        re.findall(r'data-step="(\w+)"[^>]*>.*?<span class="step-state">([^<]*)</span>', html, re.S)
    )
    assert states["history"] == "missing"
    assert states["symptoms"] == "partly done"
    assert states["examination"] == "done"
    assert states["questionnaires"] == "missing" and states["diary"] == "missing"


# --- Sections by anatomy ---------------------------------------------------------------


def other_anatomy_part(html: str) -> str:
    start = html.find('<details class="other-anatomy"')
    return "" if start < 0 else html[start : html.index("</details>", start)]


def test_prostatectomy_waits_behind_a_disclosure_for_a_patient_with_a_vulva(
    therapist_client, assessment
):
    html = therapist_client.get(step_urls(assessment)["history"]).content.decode()
    disclosure = other_anatomy_part(html)
    assert "Fields for other anatomy (2)" in disclosure
    assert 'name="prostatectomy"' in disclosure and 'name="prostatectomy_weeks_ago"' in disclosure
    assert 'name="vaginal_births"' not in disclosure
    # Reachable: saved from the disclosure like any field.
    data = as_browser_sends(html, prostatectomy="true", prostatectomy_weeks_ago="30")
    therapist_client.post(step_urls(assessment)["history"], data)
    assessment.refresh_from_db()
    assert (assessment.prostatectomy, assessment.prostatectomy_weeks_ago) == (True, 30)
    # Holding a value, it is shown with the other history fields.
    html = therapist_client.get(step_urls(assessment)["history"]).content.decode()
    assert 'name="prostatectomy"' not in other_anatomy_part(html)
    assert 'name="prostatectomy"' in html


def test_a_no_is_a_value_too_and_stays_in_view(therapist_client, assessment):
    assessment.prostatectomy = False
    assessment.save()
    html = therapist_client.get(step_urls(assessment)["history"]).content.decode()
    disclosure = other_anatomy_part(html)
    assert 'name="prostatectomy"' not in disclosure
    assert 'name="prostatectomy_weeks_ago"' in disclosure


def test_for_a_patient_with_a_penis_birth_history_waits_behind_the_disclosure(
    therapist_client, assessment
):
    assessment.patient.anatomy = "penis"
    assessment.patient.save()
    html = therapist_client.get(step_urls(assessment)["history"]).content.decode()
    disclosure = other_anatomy_part(html)
    assert 'name="vaginal_births"' in disclosure and 'name="prostatectomy"' not in disclosure


def test_an_unspecified_anatomy_shows_every_field(therapist_client, assessment):
    assessment.patient.anatomy = "unspecified"
    assessment.patient.save()
    for step in ("history", "hormonal"):
        html = therapist_client.get(step_urls(assessment)[step]).content.decode()
        assert other_anatomy_part(html) == "", step


# --- Dependent fields ------------------------------------------------------------------


def wrapper_of(html: str, name: str) -> str:
    index = html.index(f'name="{name}"')
    return html[html.rindex("<div class=", 0, html.rindex("data-depends-on", 0, index)) : index]


@pytest.mark.parametrize(
    ("child", "parent", "when"),
    [
        ("stress_leak_triggers", "effort_leaks", "true unknown"),
        ("red_flags", "any_red_flags", "true unknown"),
        ("weeks_postpartum", "hormonal_status", "postpartum"),
        ("oxford_grade", "consent_recorded", "true"),
        ("tone", "consent_recorded", "true"),
    ],
)
def test_dependent_fields_name_their_parent_for_the_script(
    therapist_client, assessment, child, parent, when
):
    html = therapist_client.get(step_urls(assessment)["history"]).content.decode()
    wrapper = wrapper_of(html, child)
    assert f'data-depends-on="{parent}"' in wrapper
    assert f'data-enabled-when="{when}"' in wrapper
    assert 'data-note="' in wrapper


def test_the_prostatectomy_weeks_depend_on_the_prostatectomy(therapist_client, assessment):
    assessment.patient.anatomy = "penis"
    assessment.patient.save()
    html = therapist_client.get(step_urls(assessment)["history"]).content.decode()
    wrapper = wrapper_of(html, "prostatectomy_weeks_ago")
    assert 'data-depends-on="prostatectomy"' in wrapper
    assert "Asked when “Prostatectomy” is Yes." in wrapper


def test_leaks_on_effort_no_with_triggers_ticked_names_both_fields(therapist_client, assessment):
    urls = step_urls(assessment)
    html = therapist_client.get(urls["symptoms"]).content.decode()
    data = as_browser_sends(
        html, effort_leaks="false", stress_leak_triggers=["cough", "sneeze"], urgency="true"
    )
    response = therapist_client.post(urls["symptoms"], data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["effort_leaks"] == [
        "“Leaks on effort” is No, but “Leaks on” has cough, sneeze ticked: "
        "answer Yes, or untick them."
    ]
    assert errors["stress_leak_triggers"] == ["Ticked while “Leaks on effort” is No."]
    content = response.content.decode()
    assert "Leaks on effort</a>: “Leaks on effort” is No" in content  # in the summary
    # Nothing guessed, nothing lost: both answers are still on screen, unsaved.
    assert re.search(r'name="stress_leak_triggers" value="cough"[^>]*checked', content)
    assert re.search(r'<option value="false" selected>No</option>', content)
    assessment.refresh_from_db()
    assert assessment.stress_leak_triggers is None and assessment.urgency is None


def test_leaks_on_effort_no_alone_saves_as_no(therapist_client, assessment):
    urls = step_urls(assessment)
    html = therapist_client.get(urls["symptoms"]).content.decode()
    therapist_client.post(urls["symptoms"], as_browser_sends(html, effort_leaks="false"))
    assessment.refresh_from_db()
    assert assessment.stress_leak_triggers == []


# --- Questionnaires and diary as steps -----------------------------------------------------


def test_questionnaires_save_and_next_goes_to_the_diary(therapist_client, assessment):
    urls = step_urls(assessment)
    data = {
        "iciq_ui_sf_frequency": "2",
        "iciq_ui_sf_amount": "2",
        "iciq_ui_sf_interference": "3",
        "next": "",
    }
    response = therapist_client.post(urls["questionnaires"], data)
    assert response["Location"] == urls["diary"]
    assessment.refresh_from_db()
    assert assessment.questionnaires["iciq_ui_sf"] == {
        "frequency": 2,
        "amount": 2,
        "interference": 3,
    }


def test_questionnaires_fit_a_phone_as_stacked_answers(therapist_client, assessment):
    html = therapist_client.get(step_urls(assessment)["questionnaires"]).content.decode()
    assert "floorplan/intake.css" in html
    # Each answer carries its own words for the narrow layout (the table head is hidden).
    assert '<span class="choice-narrow" aria-hidden="true">Yes, quite a bit</span>' in html
    assert '<td class="scale-narrow" aria-hidden="true">Bowel or rectum</td>' in html


def test_the_diary_puts_the_cursor_in_the_first_field(therapist_client, assessment):
    response = therapist_client.get(step_urls(assessment)["diary"])
    assert response.context["form"].fields["time"].widget.attrs.get("autofocus") is True


def test_the_diary_next_with_nothing_typed_just_moves_on(therapist_client, assessment):
    urls = step_urls(assessment)
    response = therapist_client.post(urls["diary"], {"time": "2026-03-02 ", "next": ""})
    assert response["Location"] == urls["examination"]
    assert not assessment.diary_entries.exists()


def test_the_diary_next_adds_a_typed_row_first(therapist_client, assessment):
    urls = step_urls(assessment)
    response = therapist_client.post(
        urls["diary"], {"time": "2026-03-02 07:05", "event": "void", "volume_ml": "300", "next": ""}
    )
    assert response["Location"] == urls["examination"]
    assert assessment.diary_entries.get().volume_ml == 300


def test_the_diary_next_keeps_a_half_typed_row(therapist_client, assessment):
    urls = step_urls(assessment)
    response = therapist_client.post(urls["diary"], {"time": "2026-03-02 07:05", "next": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["event"] == ["Choose the event."]
    assert 'value="2026-03-02 07:05"' in response.content.decode()


def test_a_completed_assessment_shows_no_steps(therapist_client, assessment):
    assessment.status = Status.COMPLETE
    assessment.save()
    for step in ("questionnaires", "diary"):
        html = therapist_client.get(step_urls(assessment)[step]).content.decode()
        assert "Intake steps" not in html and "intake-savebar" not in html


def test_a_colleagues_change_to_the_main_concern_is_named_in_a_conflict(
    therapist_client, colleague_client, assessment
):
    urls = step_urls(assessment)
    opened_by_tess = therapist_client.get(urls["history"]).content.decode()
    colleague_html = colleague_client.get(urls["history"]).content.decode()
    colleague_client.post(
        urls["history"], as_browser_sends(colleague_html, chief_complaint="Urgency at night")
    )
    response = therapist_client.post(
        urls["history"], as_browser_sends(opened_by_tess, goals="Sleep through")
    )
    content = response.content.decode()
    assert "saved this assessment while you were editing it" in content
    assert re.search(r"Main concern</strong>: \S* ?→ Urgency at night", content)
    assert response.context["form"]["goals"].value() == "Sleep through"
