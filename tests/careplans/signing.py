"""Helpers of the signing tests: items with titles no other text of the PDF contains, and
which of them the stored PDF prints."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from careplans.models import CarePlan, CarePlanItem
from careplans.rules.education import WARNING_SIGNS

MARK = re.compile(r"Mark\d\d\dx")
NOTE_MARK = re.compile(r"Note\d\d\dx")


def mark(n: int) -> str:
    return f"Mark{n:03d}x"


def mark_items(plan: CarePlan) -> None:
    """Give each item a title printed nowhere else, so the PDF's text says which it lists
    (the warning signs print as a section of their own, not by their title)."""
    for n, item in enumerate(plan.items.exclude(code=WARNING_SIGNS), start=1):
        CarePlanItem.objects.filter(pk=item.pk).update(title=mark(n))


def pdf_text(plan: CarePlan) -> str:
    with plan.pdf.open("rb") as file:
        pages = PdfReader(io.BytesIO(file.read())).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())


def printed_marks(plan: CarePlan) -> set[str]:
    return set(MARK.findall(pdf_text(plan)))


def active_marks(plan: CarePlan) -> set[str]:
    titles = plan.items.filter(removed=False).values_list("title", flat=True)
    return {title for title in titles if MARK.fullmatch(title)}
