"""Writes for home tasks (issue 11): the patient's link, the tasks sent, what the patient
enters on their phone, and the therapist's acceptance into an assessment.

Nothing the patient enters touches the clinical record until ``home_tasks_accept``; then it
goes through the same diary-v1 parser and questionnaire scoring as in clinic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments import diary, home_tokens, wallclock
from assessments import questionnaires as q
from assessments.models import (
    Assessment,
    HomeDiaryEntry,
    HomeLink,
    HomeTasks,
    Kind,
    Status,
)
from assessments.services.assessments import NotADraft, assessment_create
from assessments.services.diary import diary_replace
from assessments.services.questionnaires import assessment_questionnaires_save
from clinic.models import Patient

# NICE: a bladder diary of at least 3 days at first presentation.
DEFAULT_DIARY_DAYS = 3


class HomeTasksClosed(Exception):
    """The tasks were already sent in (or accepted): the patient can no longer change them."""


# --- The link ------------------------------------------------------------------------------


@transaction.atomic
def home_link_create(
    *, patient: Patient, user: User, token: str | None = None
) -> tuple[HomeLink, str]:
    """A new link for the patient; any link still working stops (one link per patient, so a
    lost slip is replaced, not added to). Returns the link and its token, which is shown
    this once and never stored (``token``: one already printed, on a plan being signed)."""
    now = timezone.now()
    HomeLink.objects.filter(patient=patient, revoked_at=None).update(
        revoked_at=now, revoked_by=user
    )
    token = token or home_tokens.new_token()
    link = HomeLink.objects.create(
        patient=patient,
        token_hash=home_tokens.token_hash(token),
        created_by=user,
        expires_at=now + timedelta(days=patient.clinic.home_link_days),
    )
    return link, token


def home_link_revoke(*, link: HomeLink, user: User) -> None:
    HomeLink.objects.filter(pk=link.pk, revoked_at=None).update(
        revoked_at=timezone.now(), revoked_by=user
    )


def home_link_usable(patient: Patient) -> HomeLink | None:
    """The patient's link that still works, if any."""
    now = timezone.now()
    return (
        HomeLink.objects.filter(
            patient=patient, revoked_at=None, locked_at=None, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def home_birth_date_check(*, link: HomeLink, answer: date) -> bool:
    """True when the answer is the patient's birth date and the link still works. The
    link is read again under a lock, so answers sent at once are counted one after the
    other: none gets past a lock another one set. Five wrong answers in a row lock the
    link and tell the clinic; a right answer starts the count again (a patient who
    mistypes now and then over two weeks is not locked out)."""
    current = HomeLink.objects.select_for_update().get(pk=link.pk)
    if not current.works_at(timezone.now()):
        link.locked_at, link.revoked_at = current.locked_at, current.revoked_at
        return False
    if answer == link.patient.date_of_birth:
        if current.wrong_birth_dates:
            HomeLink.objects.filter(pk=link.pk).update(wrong_birth_dates=0)
        link.wrong_birth_dates = 0
        return True
    current.wrong_birth_dates += 1
    fields = ["wrong_birth_dates"]
    if current.wrong_birth_dates >= HomeLink.MAX_BIRTH_DATE_TRIES:
        current.locked_at = timezone.now()
        fields.append("locked_at")
        transaction.on_commit(lambda: _tell_clinic_locked(current))
    current.save(update_fields=fields)
    link.wrong_birth_dates, link.locked_at = current.wrong_birth_dates, current.locked_at
    return False


def _tell_clinic_locked(link: HomeLink) -> None:
    clinic = link.patient.clinic
    if not clinic.email:
        return  # the dashboard shows the locked link anyway
    # In the clinic's language, whatever language the patient's page was in.
    with translation.override(clinic.language):
        _send_locked_mail(link)


def _send_locked_mail(link: HomeLink) -> None:
    clinic = link.patient.clinic
    send_mail(
        subject=_("FloorPlan: a patient link was locked"),
        message=_(
            "A patient link of %(clinic)s was locked after %(tries)s wrong birth dates. "
            "Open FloorPlan's dashboard to see which patient, and make a new link if it "
            "was the patient."
        )
        % {"clinic": clinic.name, "tries": HomeLink.MAX_BIRTH_DATE_TRIES},
        from_email=None,
        recipient_list=[clinic.email],
        fail_silently=True,
    )


# --- The tasks -----------------------------------------------------------------------------


@transaction.atomic
def home_tasks_send(
    *,
    patient: Patient,
    user: User,
    questionnaires: list[str],
    diary_days: int,
    due_on: date | None,
) -> HomeTasks:
    """Ask the patient for these tasks. Tasks already sent and not yet sent in are changed
    in place (what the patient already entered stays), so the link the patient holds
    keeps working."""
    chosen = [name for name in HomeTasks.QUESTIONNAIRES if name in questionnaires]
    tasks = HomeTasks.objects.select_for_update().open().filter(patient=patient).first()
    if tasks is None:
        tasks = HomeTasks(patient=patient, created_by=user)
    tasks.questionnaires = chosen
    tasks.diary_days = diary_days
    tasks.due_on = due_on
    tasks.full_clean()
    tasks.save()
    return tasks


def _lock_open(tasks: HomeTasks) -> HomeTasks:
    current = HomeTasks.objects.select_for_update().get(pk=tasks.pk)
    if current.submitted_at is not None:
        raise HomeTasksClosed()
    return current


@transaction.atomic
def home_answers_save(*, tasks: HomeTasks, name: str, answers: Any) -> HomeTasks:
    """Store one questionnaire's answers so far (a section at a time: partial answers are
    kept as they come, and checked in full when the tasks are sent in)."""
    current = _lock_open(tasks)
    if name not in current.questionnaires:
        raise ValueError(name)
    current.answers = {**current.answers, name: answers}
    current.save(update_fields=["answers"])
    return current


@transaction.atomic
def home_diary_add(*, tasks: HomeTasks, event: diary.DiaryEvent) -> HomeDiaryEntry:
    _lock_open(tasks)
    entry = HomeDiaryEntry(tasks=tasks)
    _fill(entry, event)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def home_diary_change(*, entry: HomeDiaryEntry, event: diary.DiaryEvent) -> HomeDiaryEntry:
    _lock_open(entry.tasks)
    _fill(entry, event)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def home_diary_delete(*, entry: HomeDiaryEntry) -> None:
    # Only while the diary is open: afterwards it is the patient's record, kept.
    _lock_open(entry.tasks)
    entry.delete()


def _fill(entry: HomeDiaryEntry, event: diary.DiaryEvent) -> None:
    entry.time = wallclock.to_db(event.time)
    entry.event = event.event
    entry.volume_ml = event.volume_ml
    entry.urgency = event.urgency
    entry.note = event.note


def home_diary_events(tasks: HomeTasks) -> list[diary.DiaryEvent]:
    """The patient's entries as diary-v1 events, read back through the diary-v1 parser so
    that every check of an uploaded diary applies (raises DiaryError naming the line)."""
    rows = _entries_as_events(tasks)
    return diary.parse_diary_csv(diary.events_to_csv(rows)) if rows else []


def _entries_as_events(tasks: HomeTasks) -> list[diary.DiaryEvent]:
    return [
        diary.DiaryEvent(
            line=n,
            time=wallclock.from_db(entry.time),
            event=entry.event,
            volume_ml=entry.volume_ml,
            urgency=entry.urgency,
            note=entry.note,
        )
        for n, entry in enumerate(tasks.diary_entries.all(), start=2)
    ]


def complete_answers(tasks: HomeTasks) -> dict[str, Any]:
    """The questionnaires answered in full (scored by the same code as in clinic); a
    questionnaire left half-answered is left out."""
    done: dict[str, Any] = {}
    for name, answers in tasks.answers.items():
        try:
            q.score_all({name: answers})
        except q.QuestionnaireError:
            continue
        if name == "iqq3" and not iqq3_complete(answers):
            continue  # the 3IQ scores even half-answered: check it is whole
        done[name] = answers
    return done


def iqq3_complete(answers: Any) -> bool:
    """The 3IQ answered in full: "no" to question 1, or all three answered and agreeing
    (question 3's kind of leak ticked in question 2)."""
    if not isinstance(answers, dict):
        return False
    if answers.get("any_leak_3_months") is False:
        return True
    when = answers.get("when")
    most_often = answers.get("most_often")
    if answers.get("any_leak_3_months") is not True or not when or not most_often:
        return False
    needed = {"activity", "urge"} if most_often == "equal" else {most_often}
    return needed <= set(when)


@transaction.atomic
def home_tasks_submit(*, tasks: HomeTasks) -> HomeTasks:
    """The patient sends the tasks in: from now on they are the clinic's to review."""
    current = _lock_open(tasks)
    current.submitted_at = timezone.now()
    current.save(update_fields=["submitted_at"])
    return current


@transaction.atomic
def home_tasks_import(
    *, patient: Patient, user: User, events: list[diary.DiaryEvent], source: str
) -> HomeTasks:
    """A diary kept elsewhere (e.g. My Flow Check), straight into the review queue."""
    tasks = HomeTasks.objects.create(
        patient=patient,
        source=source,
        questionnaires=[],
        # Days as diary-v1 counts them (rise to bed), not calendar dates.
        diary_days=min(len([d for d in diary.diary_days(events) if d.bed is not None]), 14),
        created_by=user,
        submitted_at=timezone.now(),
    )
    HomeDiaryEntry.objects.bulk_create(
        HomeDiaryEntry(
            tasks=tasks,
            time=wallclock.to_db(e.time),
            event=e.event,
            volume_ml=e.volume_ml,
            urgency=e.urgency,
            note=e.note,
        )
        for e in events
    )
    return tasks


@transaction.atomic
def home_tasks_accept(*, tasks: HomeTasks, user: User, assessment: Assessment | None) -> Assessment:
    """Put what the patient entered into an assessment: the draft given (of the same
    patient), or a new intake. The diary replaces the assessment's diary; the
    questionnaires answered in full join its questionnaires. Raises DiaryError naming a
    bad line, NotADraft, or HomeTasksClosed when already accepted or set aside."""
    current = HomeTasks.objects.select_for_update().get(pk=tasks.pk)
    if current.submitted_at is None or current.accepted_at or current.set_aside_at:
        raise HomeTasksClosed()
    events = home_diary_events(current)
    if assessment is None:
        assessment = assessment_create(patient=current.patient, therapist=user, kind=Kind.INTAKE)
    elif assessment.patient_id != current.patient_id or assessment.status != Status.DRAFT:
        raise NotADraft()
    # Only what is still asked for: a questionnaire taken off the tasks, or a diary no
    # longer wanted (0 days), stays with the tasks and out of the record.
    answers = {
        name: value
        for name, value in complete_answers(current).items()
        if name in current.questionnaires
    }
    if not current.diary_days:
        events = []
    if answers:
        merged = {**(assessment.questionnaires or {}), **answers}
        assessment = assessment_questionnaires_save(
            assessment=assessment, answers=merged, user=user
        )
    if events:
        diary_replace(assessment=assessment, events=events)
    current.accepted_at = timezone.now()
    current.accepted_by = user
    current.accepted_into = assessment
    current.save(update_fields=["accepted_at", "accepted_by", "accepted_into"])
    return assessment


@transaction.atomic
def home_tasks_set_aside(*, tasks: HomeTasks, user: User) -> None:
    """Not accepted (kept, never deleted): e.g. a diary sent twice. Only what the patient
    sent in and nobody has accepted or set aside yet (raises HomeTasksClosed)."""
    changed = HomeTasks.objects.filter(
        pk=tasks.pk, submitted_at__isnull=False, accepted_at=None, set_aside_at=None
    ).update(set_aside_at=timezone.now(), set_aside_by=user)
    if not changed:
        raise HomeTasksClosed()


@dataclass(frozen=True)
class DiaryProgress:
    """How far the patient's diary has come, for "day 2 of 3" on the patient's pages."""

    asked: int  # the days the clinic asked for
    day: int  # today's day of the diary, from the first entry's date; 1 before any entry
    days_kept: int  # days with entries (assessments.diary.days_kept)
    entries: int  # every entry, one dated ahead too

    @property
    def done(self) -> bool:
        return self.day > self.asked and self.days_kept >= self.asked

    @property
    def days_missing(self) -> bool:
        """Past the last day but with days left empty (a paper diary copied in afterwards
        starts on an early date): never "done", so the patient is asked for the rest."""
        return self.day > self.asked and self.days_kept < self.asked


def diary_progress(tasks: HomeTasks, today: date) -> DiaryProgress:
    # An entry dated ahead of today (the form allows a day ahead, for a slip of the date)
    # counts towards nothing until its day comes.
    entries = _entries_as_events(tasks)
    events = [e for e in entries if e.time.date() <= today]
    first = min((e.time.date() for e in events), default=today)
    return DiaryProgress(
        asked=tasks.diary_days,
        day=(today - first).days + 1,
        days_kept=len(diary.days_kept(events)),
        entries=len(entries),
    )
