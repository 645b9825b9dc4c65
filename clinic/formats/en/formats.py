"""English dates that no reader can misread: "1 December 2026", never 12/01/2026 (which
is 1 December in the US and 12 January elsewhere). Reference §10.

Django falls back to its own English formats for any name not set here, so every date
name is set, and the input formats keep only ISO (native date pickers send 2026-12-01).
"""

DATE_FORMAT = "j F Y"  # 1 December 2026
SHORT_DATE_FORMAT = "j M Y"  # 1 Dec 2026, where space is short
DATETIME_FORMAT = "j F Y, H:i"  # 1 December 2026, 17:39
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 1 Dec 2026, 17:39
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"  # 1 December
YEAR_MONTH_FORMAT = "F Y"  # December 2026
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
