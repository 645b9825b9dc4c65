"""Spanish dates: "1 de diciembre de 2026", never 01/12/2026 (reference §10).

Django's own Spanish formats supply the month names and the separators of numbers; here
only the short forms (numeric in Django) and the input formats (ISO only) change.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"  # 1 de diciembre de 2026
SHORT_DATE_FORMAT = "j b Y"  # 1 dic 2026 (b: lower case, as Spanish writes months)
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"  # 1 de diciembre de 2026, 17:39
SHORT_DATETIME_FORMAT = "j b Y, H:i"  # 1 dic 2026, 17:39
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = r"j \d\e F"  # 1 de diciembre
YEAR_MONTH_FORMAT = r"F \d\e Y"  # diciembre de 2026
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
