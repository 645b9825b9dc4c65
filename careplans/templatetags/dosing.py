"""The dosing vocabulary (careplans.dosing) in templates: ``{% load dosing %}``."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from careplans import dosing

register = template.Library()


@register.filter
def dosing_label(key: str) -> str:
    """``{{ key|dosing_label }}``: the clinician's label of a dosing key."""
    return dosing.clinician_label(key)


@register.filter
def dose_grid(values: Mapping[str, int]) -> dosing.DoseGrid | None:
    """``{% with grid=item.dosing|dose_grid %}``: the printed plan's dose grid, or None."""
    return dosing.dose_grid(values)


@register.filter
def dose_line(values: Mapping[str, int]) -> str:
    """``{{ item.dosing|dose_line }}``: the dose in one short line for the patient."""
    return dosing.patient_line(values)
