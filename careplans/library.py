"""The intervention library: what each plan item says to the patient, per clinic.

The wording ships in ``fixtures/interventions.json`` (a plain JSON list, not a Django
fixture): one entry per code the builder can emit (``careplans.rules.RULES``). Each clinic
gets its own copy, which its clinic admins may edit; ``library_install`` copies the
fixture into a clinic, ``load_library_entries`` reads and checks it, and
``render_patient_text`` fills the dosing placeholders of a text ({hold_s}, {weeks}...)
from one plan item's dosing for the printed plan.

Each entry has two kinds of wording: the patient texts (generic, and per anatomy), and
``clinician_text``, the clinical wording a letter to another clinician uses (clinical
reference, section 9: never the patient's instructions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from careplans import dosing
from careplans.models import (
    TRANSLATED_LANGUAGES,
    Category,
    Drawing,
    Intervention,
    InterventionText,
    WordingStatus,
)
from clinic.models import Anatomy, Clinic

FIXTURE_PATH = Path(settings.BASE_DIR) / "fixtures" / "interventions.json"

# Dosing keys a patient text may show (careplans.dosing).
PLACEHOLDERS = dosing.PLACEHOLDERS

TEXT_FIELDS: tuple[str, ...] = ("patient_text", "patient_text_vulva", "patient_text_penis")
# Every wording an entry has: the patient texts (with placeholders) and the letter wording
# (without: a letter quotes it as written).
WORDING_FIELDS: tuple[str, ...] = (*TEXT_FIELDS, "clinician_text")
_REQUIRED = (
    "code",
    "category",
    "title",
    "patient_text",
    "clinician_text",
    "default_dosing",
    "source",
)
_OPTIONAL = ("patient_text_vulva", "patient_text_penis")
# An English entry's own keys, which no translation repeats: the picture beside the item.
_ENTRY_OPTIONAL = ("drawing",)
MAX_DOSE = 10_000
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
DOSING_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_SIMPLE_FIELD = re.compile(r"\{\{([a-z][a-z0-9_]*)\}\}")  # a {name} once braces are doubled
_BRACED = re.compile(r"\{([^{}]*)\}")


class LibraryError(ValueError):
    """The fixture is not a valid library; the message names the entry."""


# --- Placeholders ------------------------------------------------------------------------


def placeholders_in(text: str) -> list[str]:
    """What is written between braces in a text, in order: {hold_s} gives "hold_s"."""
    return _BRACED.findall(text)


def placeholder_problems(text: str, *, dosing_keys: Iterable[str] | None) -> list[str]:
    """What is wrong with the placeholders of one text; empty when nothing is.

    ``dosing_keys=None`` when the dosing itself is invalid: only the names are checked.
    """
    problems: list[str] = []
    if "{" in _BRACED.sub("", text) or "}" in _BRACED.sub("", text):
        problems.append(_("A { or } has no partner. Placeholders look like {hold_s}."))
    used = list(dict.fromkeys(placeholders_in(text)))
    unknown = [field for field in used if field not in PLACEHOLDERS]
    if unknown:
        problems.append(
            _("Unknown placeholder %(fields)s. Use only: %(allowed)s.")
            % {"fields": _braced(unknown), "allowed": _braced(PLACEHOLDERS)}
        )
    if dosing_keys is not None:
        keys = set(dosing_keys)
        missing = [field for field in used if field in PLACEHOLDERS and field not in keys]
        if missing:
            problems.append(
                _("%(fields)s: add a value for each to the default dosing.")
                % {"fields": _braced(missing)}
            )
    return problems


def _braced(names: Iterable[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in names)


class _LeaveVisible(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render_patient_text(text: str, dosing: Mapping[str, Any]) -> str:
    """The text with {placeholders} filled from the dosing; unknown ones stay as typed.

    Only plain {name} fields are filled: every other brace is escaped first, so a text
    can never reach attributes or items of a value ({hold_s.__class__} stays literal)
    and a stray brace never raises.
    """
    escaped = text.replace("{", "{{").replace("}", "}}")
    template = _SIMPLE_FIELD.sub(r"{\1}", escaped)
    values = _LeaveVisible({key: _as_text(value) for key, value in dosing.items()})
    return template.format_map(values)


# --- Checking one entry --------------------------------------------------------------------


def dosing_problems(dosing: Any) -> list[str]:
    if not isinstance(dosing, Mapping):
        return [_("The default dosing must be a set of name: number pairs.")]
    problems = []
    for key, value in dosing.items():
        if not isinstance(key, str) or not DOSING_KEY_PATTERN.match(key):
            problems.append(
                _("%(key)s is not a dosing name: use lower-case letters, digits and _.")
                % {"key": key}
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DOSE:
            problems.append(
                _("%(key)s must be a whole number from 0 to %(max)s, not %(value)s.")
                % {"key": key, "value": value, "max": MAX_DOSE}
            )
    return problems


def entry_errors(entry: Mapping[str, Any]) -> dict[str, list[str]]:
    """Problems of one library entry by field name; empty when it is valid."""
    errors: dict[str, list[str]] = {}
    category = entry.get("category")
    code = entry.get("code") or ""
    if category not in Category.values:
        errors["category"] = [
            _("%(category)s is not one of the nine categories: %(allowed)s.")
            % {"category": category, "allowed": ", ".join(Category.values)}
        ]
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        errors["code"] = [_("A code is lower-case words joined by dots, e.g. lifestyle.walking.")]
    elif category in Category.values and not code.startswith(f"{category}."):
        errors["code"] = [
            _("The code must start with its category: %(prefix)s.") % {"prefix": f"{category}."}
        ]
    dosing = entry.get("default_dosing", {})
    if problems := dosing_problems(dosing):
        errors["default_dosing"] = problems
    keys = dosing.keys() if isinstance(dosing, Mapping) and not problems else None
    for name in WORDING_FIELDS:
        text = entry.get(name) or ""
        if not isinstance(text, str):
            errors[name] = [_("Must be text.")]
        elif name == "clinician_text":
            if "{" in text or "}" in text:
                # Letters quote this wording as it stands; nothing fills a placeholder there.
                errors[name] = [
                    _("A letter prints this wording as written: leave out { and } placeholders.")
                ]
        elif problems := placeholder_problems(text, dosing_keys=keys):
            errors[name] = problems
    drawing = entry.get("drawing") or ""
    if drawing and drawing not in Drawing.values:
        errors["drawing"] = [
            _("%(drawing)s is not one of the pictures: %(allowed)s.")
            % {"drawing": drawing, "allowed": ", ".join(Drawing.values)}
        ]
    for name in ("title", "patient_text", "source"):
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.setdefault(name, []).append(_("This field is required."))
    return errors


# --- Authoring helpers ------------------------------------------------------------------------

_CODE_WORDS = 48  # characters of the title kept in a made-up code (a code is at most 80)


def code_from_title(*, category: str, title: str, taken: Iterable[str]) -> str:
    """A new entry's code, made from its category and title ("Walking" in lifestyle gives
    ``lifestyle.walking``), with ``_2``, ``_3``... when the clinic already has it (a code is
    lower-case words joined by dots and ``_``: CODE_PATTERN)."""
    words = slugify(title).replace("-", "_")[:_CODE_WORDS].strip("_") or "entry"
    base = f"{category}.{words}"
    used = set(taken)
    code, number = base, 1
    while code in used:
        number += 1
        code = f"{base}_{number}"
    return code


def readers_of(texts: Mapping[str, str]) -> dict[str, list[str]]:
    """Which patients (by anatomy) each patient text of an entry is printed for, read
    from ``Intervention.text_for`` itself: an anatomy's own wording when it has one, else
    the main text. The main text is always printed for anatomy "unspecified" (neutral cues
    only, clinical reference section 8); an empty variant is printed for no one."""
    # Each non-empty text stands in as its own field name, so text_for says which it took.
    probe = Intervention(**{name: name if texts.get(name) else "" for name in TEXT_FIELDS})
    probe.patient_text = "patient_text"  # a required text: printed whenever no variant is
    readers: dict[str, list[str]] = {name: [] for name in TEXT_FIELDS}
    for anatomy in Anatomy.values:
        readers[probe.text_for(anatomy)].append(anatomy)
    return readers


# --- The fixture ----------------------------------------------------------------------------


def load_library_entries(path: Path | None = None) -> list[dict[str, Any]]:
    """The fixture's entries, checked; ``LibraryError`` names the first bad entry."""
    path = path or FIXTURE_PATH
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LibraryError(f"{path}: cannot read the library ({error})") from error
    if not isinstance(data, list):
        raise LibraryError(f"{path}: the library must be a JSON list of entries")
    seen: set[str] = set()
    entries = []
    for position, entry in enumerate(data, start=1):
        name = entry.get("code") if isinstance(entry, dict) else None
        where = f"{path}: entry {position} ({name or 'no code'})"
        if not isinstance(entry, dict):
            raise LibraryError(f"{where}: not an object")
        missing = [key for key in _REQUIRED if key not in entry]
        unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL) - set(_ENTRY_OPTIONAL))
        if missing or unknown:
            raise LibraryError(f"{where}: missing {missing or 'nothing'}, unknown {unknown or []}")
        if name in seen:
            raise LibraryError(f"{where}: the code appears twice")
        seen.add(str(name))
        errors = entry_errors(entry)
        clinician_text = entry["clinician_text"]
        if isinstance(clinician_text, str) and not clinician_text.strip():
            # A clinic may leave its own entries without one; the standard library may not:
            # every referral letter needs the clinical wording (reference, section 9).
            errors.setdefault("clinician_text", []).append(_("This field is required."))
        if errors:
            details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
            raise LibraryError(f"{where}: {details}")
        entries.append({**{key: "" for key in (*_OPTIONAL, *_ENTRY_OPTIONAL)}, **entry})
    return entries


# --- Texts in other languages ----------------------------------------------------------------


def texts_path(language: str) -> Path:
    return FIXTURE_PATH.with_name(f"{FIXTURE_PATH.stem}_{language}.json")


def translation_errors(text: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, list[str]]:
    """Problems of one entry's wording in another language, by field; empty when valid.

    Beyond an entry's own checks: each text keeps the English text's placeholders, so the
    numbers a patient reads are the same in every language.
    """
    errors = entry_errors({**entry, **{name: text.get(name) or "" for name in WORDING_FIELDS}})
    errors = {name: msgs for name, msgs in errors.items() if name in WORDING_FIELDS}
    title = text.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.setdefault("title", []).append(_("This field is required."))
    for name in TEXT_FIELDS:
        wording, english = text.get(name) or "", entry.get(name) or ""
        if not wording or name in errors:
            continue
        if set(placeholders_in(wording)) != set(placeholders_in(english)):
            errors[name] = [
                _("Use the same placeholders as the English: %(fields)s.")
                % {"fields": _braced(dict.fromkeys(placeholders_in(english))) or "-"}
            ]
    return errors


def load_library_texts(language: str, path: Path | None = None) -> dict[str, dict[str, str]]:
    """The standard library's wording in ``language`` by code, checked against the English
    entries; empty when no file ships for the language. ``LibraryError`` names a bad one."""
    path = path or texts_path(language)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise LibraryError(f"{path}: cannot read the texts ({error})") from error
    if not isinstance(data, list):
        raise LibraryError(f"{path}: the texts must be a JSON list of entries")
    english = {entry["code"]: entry for entry in load_library_entries()}
    texts: dict[str, dict[str, str]] = {}
    for position, text in enumerate(data, start=1):
        code = text.get("code") if isinstance(text, dict) else None
        where = f"{path}: entry {position} ({code or 'no code'})"
        if not isinstance(text, dict) or not isinstance(code, str) or code not in english:
            raise LibraryError(f"{where}: not an object with a code of the library")
        if code in texts:
            raise LibraryError(f"{where}: the code appears twice")
        required = ("code", "title", "patient_text", "clinician_text")
        missing = [key for key in required if key not in text]
        unknown = sorted(set(text) - set(required) - set(_OPTIONAL))
        if missing or unknown:
            raise LibraryError(f"{where}: missing {missing or 'nothing'}, unknown {unknown or []}")
        entry = english[code]
        # A variant for one anatomy where the English has one, and only there.
        for name in _OPTIONAL:
            if bool(text.get(name)) != bool(entry[name]):
                raise LibraryError(f"{where}: {name} must be given exactly when the English has it")
        if errors := translation_errors(text, entry):
            details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
            raise LibraryError(f"{where}: {details}")
        texts[code] = {**{key: "" for key in _OPTIONAL}, **text}
    return texts


def fixture_library(clinic: Clinic) -> dict[str, Intervention]:
    """The standard library with its texts in every language, nothing saved: for a plan
    built from a file (`build_plan`)."""
    translations = {code: load_library_texts(code) for code, _name in TRANSLATED_LANGUAGES}
    library = {}
    for entry in load_library_entries():
        intervention = Intervention(clinic=clinic, **entry)
        intervention.detached_texts = tuple(
            InterventionText(
                intervention=intervention,
                language=language,
                status=WordingStatus.DRAFTED,
                **{name: text[name] for name in ("title", *WORDING_FIELDS)},
            )
            for language, texts in translations.items()
            if (text := texts.get(entry["code"]))
        )
        library[entry["code"]] = intervention
    return library


def drafted_codes(library: Mapping[str, Intervention], language: str) -> list[str]:
    """The codes of the entries whose wording in ``language`` is a draft translation."""
    return [code for code, entry in library.items() if entry.in_language(language).is_drafted]
