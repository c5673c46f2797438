"""Canonical case tables (see DESIGN.md). Unknown is NULL, never 0 or -99.

``cases`` holds one row per victim record. Rows are never de-duplicated: in
k-anonymised data identical rows are distinct victims. Multi-valued CTDC fields (forms of
exploitation, means of control, labour sectors, types of sexual exploitation, recruiter
relations) are one boolean column each: TRUE observed, FALSE recorded as absent, NULL
unknown.

``country_stats`` holds country-year statistics in long format (UNODC GLOTIP, Walk Free
GSI, mapped CSVs). A suppressed source value ("<5") is ``value`` NULL with
``suppressed`` TRUE. ``iso3`` is NULL for areas that are not countries (GLOTIP's
sub-regional aggregates); ``area`` always keeps the source's own code or name. ``part`` numbers rows that repeat
the same dimensions in the source (GLOTIP lists several unlabelled "Other forms of
exploitation" rows per country-year); it is 1 otherwise.
"""

FORMS = ("sexual", "forced_labour", "other", "forced_marriage", "forced_military", "organ_removal")
# Means of control, grouped as in the CTDC global synthetic data codebook (2024, appendix II).
MEANS = ("debt_earnings", "threats", "abuse", "false_promises", "drugs_alcohol", "deny_needs",
         "excessive_hours", "withhold_docs", "other")
LABOUR = ("agriculture", "aquafarming", "begging", "construction", "domestic_work", "hospitality",
          "illicit_activities", "manufacturing", "mining", "peddling", "transportation", "other")
SEX_TYPES = ("prostitution", "pornography", "remote_interactive", "private_sexual_services")
RECRUITER = ("intimate_partner", "friend", "family", "other")

FLAG_GROUPS: dict[str, tuple[str, ...]] = {
    "form": FORMS, "means": MEANS, "labour": LABOUR, "sex_type": SEX_TYPES, "recruiter": RECRUITER,
}
FLAG_COLUMNS = tuple(f"{group}_{name}" for group, names in FLAG_GROUPS.items() for name in names)

SEXES = ("female", "male", "other")
AGE_BANDS = ("0-8", "9-17", "18-20", "21-23", "24-26", "27-29", "30-38", "39-47", "48+")

CASE_COLUMNS = (
    "case_id", "source", "datasource", "year", "sex", "age_band", "minor", "citizenship",
    "country_of_exploitation", "traffick_months", "abduction", *FLAG_COLUMNS,
    "source_file", "source_line", "import_id",
)

_flags = ",\n        ".join(f"{c} BOOLEAN" for c in FLAG_COLUMNS)

DDL = (
    f"""CREATE TABLE IF NOT EXISTS cases (
        case_id VARCHAR NOT NULL, source VARCHAR NOT NULL, datasource VARCHAR, year INTEGER,
        sex VARCHAR, age_band VARCHAR, minor BOOLEAN, citizenship VARCHAR,
        country_of_exploitation VARCHAR, traffick_months VARCHAR, abduction BOOLEAN,
        {_flags},
        source_file VARCHAR, source_line BIGINT, import_id INTEGER)""",
    """CREATE TABLE IF NOT EXISTS country_stats (
        iso3 VARCHAR, area VARCHAR, year INTEGER, indicator VARCHAR NOT NULL, dimension VARCHAR NOT NULL,
        category VARCHAR NOT NULL, sex VARCHAR NOT NULL, age VARCHAR NOT NULL, part INTEGER NOT NULL, value DOUBLE,
        suppressed BOOLEAN NOT NULL, unit VARCHAR, source VARCHAR NOT NULL,
        source_file VARCHAR, source_line BIGINT, import_id INTEGER)""",
)

STAT_KEY = ("area", "year", "indicator", "dimension", "category", "sex", "age", "part", "source")
STAT_COLUMNS = ("iso3", "area", "year", "indicator", "dimension", "category", "sex", "age", "part", "value",
                "suppressed", "unit", "source", "source_file", "source_line", "import_id")

# Indicator names used for Walk Free GSI rows in country_stats.
GSI_SOURCE = "Walk Free GSI 2023"
GLOTIP_SOURCE = "UNODC GLOTIP"
DETECTED = "Detected trafficking victims"
