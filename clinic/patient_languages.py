"""The languages a patient's plan prints in (clinical reference, section 10).

A clinic prints patient plans in the languages it has chosen (``Clinic.printed_languages``,
its own language always among them); a patient's language is one of those, or "other" with
the language named. Any other stored code (patients recorded before, an import) still
names its language and prints like "other": in the clinic's language.
(clinic.languages is the interface language of a request.)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

OTHER = "other"
OTHER_LABEL = _("Other")


def available_codes() -> list[str]:
    """The languages the application has (interface, warning signs, library drafts)."""
    return [code for code, _name in settings.LANGUAGES]


class ClinicLanguages(Protocol):
    """What a clinic says about languages (clinic.models imports this module)."""

    language: str
    printed_languages: Any  # a JSON list of codes


def printed_by(clinic: ClinicLanguages) -> list[str]:
    """The languages the clinic prints patient plans in, in settings order; the clinic's
    own language always among them."""
    chosen = {*(clinic.printed_languages or []), clinic.language}
    return [code for code in available_codes() if code in chosen]


def language_name(code: str) -> StrOrPromise:
    """The language's name in the active language ("pt" gives Portuguese); the code itself
    for one Django does not know."""
    try:
        info = get_language_info(code)
    except KeyError:
        return code
    return str(info["name_translated"])


def language_choices(codes: Iterable[str]) -> list[tuple[str, StrOrPromise]]:
    return [(code, language_name(code)) for code in codes]


def print_language(wanted: str, *, printed: Collection[str], fallback: str) -> str:
    """The language a plan prints in: the patient's when it is printed (a regional tag
    such as es-MX prints as es), else the fallback (the clinic's language)."""
    code = (wanted or "").lower().replace("_", "-")
    for candidate in (code, code.split("-")[0]):
        if candidate in printed:
            return candidate
    return fallback
