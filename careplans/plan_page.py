"""What the plan page shows of each item, for the whole page and for the parts that one
edit re-renders in place (careplans.views.plans)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from careplans import documents
from careplans.dosing import clinician_line
from careplans.forms import AddItemForm, ItemForm, RemoveItemForm, SignForm
from careplans.library import render_patient_text
from careplans.models import CarePlan, CarePlanItem, Intervention
from careplans.rules import SAFETY_CODES
from careplans.selectors import plan_safety_warnings
from careplans.spelling import in_clinic_spelling


@dataclass
class ItemRow:
    item: CarePlanItem
    form: ItemForm
    remove_form: RemoveItemForm
    safety: bool  # a safety item: removing it asks why
    held: bool  # waits for a reason: starting it now asks why
    dose: str  # the dose in the vocabulary's words, "Hold 6 seconds · ..."
    source: str  # where the item comes from, in words
    patient_text: str  # what the printed plan says, with this dose filled in


# The builder's own references: the articles FloorPlan's rules were written from.
SEED_ARTICLES = ("seed articles", "seed article")


def source_words(source: str) -> str:
    """An item's sources as a clinician reads them: "Seed articles; NICE NG123" reads
    "FloorPlan's reference articles; NICE NG123"."""
    parts = [part.strip() for part in source.split(";") if part.strip()]
    return "; ".join(
        _("FloorPlan's reference articles") if part.lower() in SEED_ARTICLES else part
        for part in parts
    )


def item_form(item: CarePlanItem, data: Mapping[str, Any] | None = None) -> ItemForm:
    form = ItemForm(
        data,
        initial={"phase": item.phase, "rationale": item.rationale},
        dosing=item.dosing,
        prefix=f"i{item.pk}",
    )
    # The why is edited beside the item's other disclosures, outside its <form> element.
    form.fields["rationale"].widget.attrs["form"] = f"{form.prefix}-form"
    return form


def patient_texts(plan: CarePlan, items: Sequence[CarePlanItem]) -> dict[str, str]:
    """Each item's library text as the printed plan words it (the plan's language, the
    patient's anatomy), by code; its placeholders are filled per item."""
    language = documents.document_language(plan)
    base = language.split("-")[0]
    entries = Intervention.objects.filter(
        clinic_id=plan.patient.clinic_id, code__in={item.code for item in items}
    ).prefetch_related("texts")
    anatomy = plan.patient.anatomy
    return {
        entry.code: in_clinic_spelling(entry.in_language(base).text_for(anatomy), language)
        for entry in entries
    }


def item_row(
    item: CarePlanItem,
    *,
    texts: Mapping[str, str],
    form: ItemForm | None = None,
    remove_form: RemoveItemForm | None = None,
) -> ItemRow:
    text = texts.get(item.code, "")
    return ItemRow(
        item=item,
        form=form or item_form(item),
        remove_form=remove_form or RemoveItemForm(),
        safety=item.code in SAFETY_CODES,
        held=bool(item.hold_reason) and item.phase == 2,
        dose=clinician_line(item.dosing),
        source=source_words(item.source),
        patient_text=render_patient_text(text, item.dosing) if text else "",
    )


def add_form(plan: CarePlan, items: Sequence[CarePlanItem]) -> AddItemForm:
    return AddItemForm(
        clinic_id=plan.patient.clinic_id,
        exclude_codes=[item.code for item in items if not item.removed],
    )


def editing_context(
    plan: CarePlan,
    *,
    items: Sequence[CarePlanItem] | None = None,
    forms: Mapping[int, ItemForm] | None = None,
    remove_forms: Mapping[int, RemoveItemForm] | None = None,
    adding: AddItemForm | None = None,
    sign_form: SignForm | None = None,
) -> dict[str, Any]:
    """The items, their forms, the safety check, the add form and the sign form: what an
    edit of one item can change on the page."""
    items = list(plan.items.all()) if items is None else list(items)
    texts = patient_texts(plan, items)
    forms = forms or {}
    remove_forms = remove_forms or {}
    return {
        "plan": plan,
        "items": [
            item_row(
                item,
                texts=texts,
                form=forms.get(item.pk),
                remove_form=remove_forms.get(item.pk),
            )
            for item in items
        ],
        "warnings": [] if plan.is_signed else plan_safety_warnings(plan, items=items),
        "add_form": adding or add_form(plan, items),
        "sign_form": sign_form or SignForm(),
    }
