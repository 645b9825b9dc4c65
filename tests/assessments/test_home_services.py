"""The home-task services after review (issue 11): the lock holds against answers sent at
once, a right answer starts the count again, set aside and accept take only what they
should."""

from datetime import date, datetime

import pytest

from assessments import questionnaires as q
from assessments.diary import DiaryEvent
from assessments.models import HomeLink, HomeTasks
from assessments.services.home import (
    HomeTasksClosed,
    home_answers_save,
    home_birth_date_check,
    home_diary_add,
    home_link_create,
    home_tasks_accept,
    home_tasks_send,
    home_tasks_set_aside,
    home_tasks_submit,
)

WRONG = date(1999, 1, 1)
# Diary times are wall-clock times: naive on purpose (diary-v1).
RISE = datetime(2026, 11, 20, 7, 0)  # noqa: DTZ001
VOID = datetime(2026, 11, 20, 7, 5)  # noqa: DTZ001


@pytest.fixture
def link(patient, therapist):
    made, _token = home_link_create(patient=patient, user=therapist)
    return made


def test_the_right_date_read_before_a_lock_is_refused_once_locked(link, patient):
    stale = HomeLink.objects.select_related("patient").get(pk=link.pk)
    for _ in range(HomeLink.MAX_BIRTH_DATE_TRIES):
        other = HomeLink.objects.select_related("patient").get(pk=link.pk)
        assert not home_birth_date_check(link=other, answer=WRONG)
    # A request that read the link before the fifth wrong answer locked it.
    assert not home_birth_date_check(link=stale, answer=patient.date_of_birth)
    assert stale.locked_at is not None


def test_a_right_answer_starts_the_count_again(link, patient):
    for _ in range(HomeLink.MAX_BIRTH_DATE_TRIES - 1):
        home_birth_date_check(link=link, answer=WRONG)
    assert home_birth_date_check(link=link, answer=patient.date_of_birth)
    for _ in range(HomeLink.MAX_BIRTH_DATE_TRIES - 1):
        assert not home_birth_date_check(link=link, answer=WRONG)
    link.refresh_from_db()
    assert link.locked_at is None  # four in a row: not locked
    assert not home_birth_date_check(link=link, answer=WRONG)
    link.refresh_from_db()
    assert link.locked_at is not None


def sent_in(patient, therapist, questionnaires=("pfdi20",), diary_days=3) -> HomeTasks:
    tasks = home_tasks_send(
        patient=patient,
        user=therapist,
        questionnaires=list(questionnaires),
        diary_days=diary_days,
        due_on=None,
    )
    home_answers_save(tasks=tasks, name="pfdi20", answers=[1] * 20)
    home_diary_add(
        tasks=tasks,
        event=DiaryEvent(2, RISE, "rise", None, None, ""),
    )
    home_diary_add(
        tasks=tasks,
        event=DiaryEvent(3, VOID, "void", 300, 1, ""),
    )
    return tasks


def test_set_aside_only_what_was_sent_in_and_not_yet_taken(patient, therapist):
    tasks = sent_in(patient, therapist)
    with pytest.raises(HomeTasksClosed):  # the patient is still filling it in
        home_tasks_set_aside(tasks=tasks, user=therapist)
    home_tasks_submit(tasks=tasks)
    home_tasks_accept(tasks=tasks, user=therapist, assessment=None)
    with pytest.raises(HomeTasksClosed):  # already in an assessment
        home_tasks_set_aside(tasks=tasks, user=therapist)
    tasks.refresh_from_db()
    assert tasks.set_aside_at is None


def test_accept_takes_only_what_is_still_asked_for(patient, therapist):
    tasks = sent_in(patient, therapist)
    # The therapist then took PFDI-20 and the diary off the tasks.
    tasks = home_tasks_send(
        patient=patient, user=therapist, questionnaires=["pfiq7"], diary_days=0, due_on=None
    )
    home_tasks_submit(tasks=tasks)
    assessment = home_tasks_accept(tasks=tasks, user=therapist, assessment=None)
    assert assessment.questionnaires == {}
    assert not assessment.diary_entries.exists()


def test_accept_takes_the_answers_and_diary_asked_for(patient, therapist):
    tasks = sent_in(patient, therapist)
    home_tasks_submit(tasks=tasks)
    assessment = home_tasks_accept(tasks=tasks, user=therapist, assessment=None)
    assert assessment.questionnaires == {"pfdi20": [1] * 20}
    assert float(assessment.pfdi20_total) == q.score_pfdi20([1] * 20).total
    assert assessment.diary_entries.count() == 2
