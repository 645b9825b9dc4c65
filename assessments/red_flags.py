"""Red-flag tiers: how urgently each red flag must be seen (clinical reference, section 3
rule 1). Pure Python, no Django imports: the plan builder, the banner on the patient's
screens and the letters all read the tier from here, so they cannot disagree.

- ``emergency``: an emergency department now (suspected cauda equina syndrome, or an
  acute pelvic emergency). Source: cauda equina guidance (GIRFT / NICE CKS: suspected
  cauda equina -> immediate emergency referral).
- ``urgent``: the GP within days, asking for a suspected-cancer pathway (NICE NG12
  "2-week wait") where the flag is a cancer criterion, or an urgent specialist opinion.
  Sources: NICE NG12 (visible haematuria at 45 or over; ovarian: persistent bloating);
  NICE NG123 (urgent referral: visible haematuria; non-visible haematuria at 50 or over;
  recurrent or persisting UTI with haematuria at 40 or over; suspected malignant mass;
  refer: palpable bladder after voiding, suspected fistula).
- ``soon``: the GP within two weeks, for every other red flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EMERGENCY = "emergency"
URGENT = "urgent"
SOON = "soon"
TIERS: tuple[str, ...] = (EMERGENCY, URGENT, SOON)  # most urgent first

# Cauda equina guidance: these three may be cauda equina compression.
CAUDA_EQUINA_FLAGS: tuple[str, ...] = (
    "saddle_anaesthesia",
    "new_bowel_or_bladder_loss_with_back_pain",
    "new_leg_weakness_or_numbness",
)
EMERGENCY_FLAGS: tuple[str, ...] = (*CAUDA_EQUINA_FLAGS, "sudden_severe_pelvic_pain")
# Urgent whatever the age (NICE NG12 / NG123).
URGENT_FLAGS: tuple[str, ...] = (
    "pelvic_mass",
    "unexplained_weight_loss",
    "persistent_bloating",
    "suspected_fistula",
    "palpable_bladder_after_voiding",
)
HAEMATURIA_FLAGS: tuple[str, ...] = ("visible_haematuria", "non_visible_haematuria")
VISIBLE_HAEMATURIA_URGENT_AGE = 45  # NICE NG12
NON_VISIBLE_HAEMATURIA_URGENT_AGE = 50  # NICE NG123
UTI_WITH_HAEMATURIA_URGENT_AGE = 40  # NICE NG123
# Urgent flags that are a suspected-cancer criterion (NICE NG12 / NG123); the other urgent
# flags (fistula, retention) ask for an urgent specialist opinion instead.
SPECIALIST_OPINION_FLAGS: tuple[str, ...] = ("suspected_fistula", "palpable_bladder_after_voiding")


@dataclass(frozen=True)
class FlagTier:
    flag: str
    tier: str
    cancer_pathway: bool  # urgent, and a suspected-cancer criterion


def flag_tier(flag: str, flags: Iterable[str], age: int | None) -> FlagTier:
    """The tier of one red flag among the patient's flags, at the patient's age.

    An age that is not known never lowers a tier below what the flag alone demands: the
    haematuria flags are then read as urgent (the safer reading).
    """
    present = set(flags)
    if flag in EMERGENCY_FLAGS:
        return FlagTier(flag, EMERGENCY, False)
    if flag in URGENT_FLAGS:
        return FlagTier(flag, URGENT, flag not in SPECIALIST_OPINION_FLAGS)

    def at_least(threshold: int) -> bool:
        return age is None or age >= threshold

    if flag == "visible_haematuria" and at_least(VISIBLE_HAEMATURIA_URGENT_AGE):
        return FlagTier(flag, URGENT, True)
    if flag == "non_visible_haematuria" and at_least(NON_VISIBLE_HAEMATURIA_URGENT_AGE):
        return FlagTier(flag, URGENT, True)
    if (
        flag == "recurrent_uti"
        and present.intersection(HAEMATURIA_FLAGS)
        and at_least(UTI_WITH_HAEMATURIA_URGENT_AGE)
    ):
        return FlagTier(flag, URGENT, True)
    return FlagTier(flag, SOON, False)


def flag_tiers(flags: Sequence[str], age: int | None) -> tuple[FlagTier, ...]:
    """Each flag with its tier, in the order given."""
    return tuple(flag_tier(flag, flags, age) for flag in flags)


def referral_urgency(flags: Sequence[str], age: int | None) -> str | None:
    """The highest tier among the flags (careplan-v1 ``referral_urgency``); None without."""
    tiers = {tier.tier for tier in flag_tiers(flags, age)}
    return next((tier for tier in TIERS if tier in tiers), None)


def flags_at(flags: Sequence[str], age: int | None, tier: str) -> tuple[str, ...]:
    return tuple(t.flag for t in flag_tiers(flags, age) if t.tier == tier)


def suspected_cauda_equina(flags: Iterable[str]) -> bool:
    return any(flag in CAUDA_EQUINA_FLAGS for flag in flags)
