# Being written: bladder-diary pages.
from django.http import Http404


def diary_page(request, assessment_id):
    raise Http404


diary_upload = diary_entry_delete = diary_page


def diary_day_chart(request, assessment_id, day):
    raise Http404
