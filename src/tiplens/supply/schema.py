"""Canonical supply tables (see DESIGN.md). Unknown values are NULL, never 0.

``suppliers`` holds the user's supplier list, one row per line kept: ``supplier_key`` is
the row's identity (a hash of supplier or supplier id, country, product and sector, so
re-importing the same line is a duplicate); ``supplier_id`` is the user's own id, if any. The ``ref_*`` tables hold reference data
read from the publishers' own files; every row carries the ``source_id`` of the file it
came from, and ``ref_sources`` records that file's publisher, edition, hash and what it
lacks, so every risk reason can cite its source and edition.
"""

DDL = (
    """CREATE TABLE IF NOT EXISTS suppliers (
        supplier_key VARCHAR NOT NULL, supplier_id VARCHAR, supplier VARCHAR NOT NULL,
        country VARCHAR, iso3 VARCHAR, country_name VARCHAR, product VARCHAR, sector VARCHAR,
        tier INTEGER, spend DOUBLE, currency VARCHAR,
        source_file VARCHAR, source_line BIGINT, import_id INTEGER)""",
    """CREATE TABLE IF NOT EXISTS ref_sources (
        source_id INTEGER, kind VARCHAR, publisher VARCHAR, title VARCHAR, edition VARCHAR,
        edition_year INTEGER, file VARCHAR, sha256 VARCHAR, format VARCHAR, rows BIGINT,
        synthetic BOOLEAN, notes VARCHAR, loaded_at TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS ref_dol_goods (
        source_id INTEGER, good VARCHAR, good_sector VARCHAR, country VARCHAR, iso3 VARCHAR,
        child_labor BOOLEAN, forced_labor BOOLEAN, forced_child_labor BOOLEAN, inputs BOOLEAN,
        inputs_child_labor BOOLEAN, inputs_forced_labor BOOLEAN, derived_country VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS ref_gsi_countries (
        source_id INTEGER, country VARCHAR, iso3 VARCHAR, region VARCHAR, population BIGINT,
        prevalence DOUBLE, people DOUBLE, vulnerability DOUBLE, government_response DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS ref_g20_imports (
        source_id INTEGER, importer VARCHAR, importer_iso3 VARCHAR, product VARCHAR,
        origin_country VARCHAR, origin_iso3 VARCHAR, value_kusd DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS ref_sector_estimates (
        source_id INTEGER, region_code VARCHAR, iso3 VARCHAR, region VARCHAR, sector_code VARCHAR,
        sector VARCHAR, broad_sector VARCHAR, value DOUBLE)""",
)

SUPPLIER_FIELDS = ("supplier_id", "supplier", "country", "product", "sector", "tier", "spend", "currency")

# reference kinds, the table each fills, and what the risk score loses without it
KINDS: dict[str, tuple[str, str]] = {
    "dol_goods": ("ref_dol_goods", "no good x country listing for child or forced labour (DOL List of Goods)"),
    "gsi_countries": ("ref_gsi_countries", "no country prevalence, vulnerability or government response (GSI)"),
    "g20_imports": ("ref_g20_imports", "no G20 at-risk import check (GSI G20 Importing Risk)"),
    "sector_country": ("ref_sector_estimates", "no sector x country forced-labour estimates (e.g. Shilling et al. 2021)"),
    "sector_global": ("ref_sector_estimates", "no global forced labour by sector (context only, no points)"),
}

BROAD_SECTORS = ("Agriculture", "Mining", "Manufacturing", "Construction", "Trade", "Services")
