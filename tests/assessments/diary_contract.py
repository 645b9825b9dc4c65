"""diary-v1 as the contract states it, for the tests to hold the code to."""

# The keys of `analyze_diary`'s JSON, in the contract's order.
OUTPUT_KEYS = [
    "days_recorded",
    "complete_days",
    "daytime_frequency",
    "nocturia",
    "voided_volume_24h_ml",
    "nocturnal_urine_volume_ml",
    "npi",
    "nocturnal_polyuria",
    "max_voided_volume_ml",
    "mean_voided_volume_ml",
    "polyuria_24h",
    "incontinence_episodes_per_day",
    "urgency_episodes_per_day",
    "fluid_intake_ml_per_day",
    "increased_daytime_frequency",
]
