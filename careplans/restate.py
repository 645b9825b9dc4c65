"""The dose sentence of a rationale follows the dose.

The builder writes the starting dose into some rationales ("Start at 8 × 5 s ..."). When
the therapist changes the dose, the sentence the builder wrote for the old dose is worded
again for the new one; a rationale the therapist rewrote keeps their words. Pure: no
Django imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from careplans.rules.bladder import BLADDER_TRAINING, bladder_dose_sentence
from careplans.rules.safety import PFMT
from careplans.rules.strengthening import pfmt_dose_sentence

DOSE_SENTENCES: Mapping[str, Callable[[Mapping[str, int]], str]] = {
    PFMT: pfmt_dose_sentence,
    BLADDER_TRAINING: bladder_dose_sentence,
}


def restate_dose(
    code: str, text: str, *, before: Mapping[str, int], after: Mapping[str, int]
) -> str:
    """The rationale with its dose sentence for ``before`` worded for ``after``; as it is
    when the item has no dose sentence or the text no longer holds it."""
    sentence = DOSE_SENTENCES.get(code)
    if sentence is None or dict(before) == dict(after):
        return text
    try:
        old, new = sentence(before), sentence(after)
    except (KeyError, TypeError):  # a dose without one of the sentence's keys
        return text
    return text.replace(old, new)
