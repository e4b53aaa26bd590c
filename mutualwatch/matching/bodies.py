"""The tables the linker compares, built in the register store with one set of SQL rules.

Names are cleaned by one DuckDB macro, ``clean_name``, applied alike to suppliers and bodies:
HTML entities decoded (notices carry ``Bristow &amp; Sutor``), a trading name after "T/A" cut,
"&" read as "and", punctuation dropped, a leading "The" and the legal suffix (Limited, Ltd,
PLC, LLP, CIC, ...) removed. Words that tell companies apart ("Holdings", "New", "(UK)") stay.
"""

from mutualwatch.registers.store import Connection

MACROS = r"""
CREATE OR REPLACE TEMP MACRO decoded(s) AS
    replace(replace(replace(replace(replace(replace(replace(coalesce(s, ''),
        '&amp;', '&'), '&#38;', '&'), '&#039;', ''''), '&#39;', ''''), '&apos;', ''''),
        '&quot;', '"'), '&nbsp;', ' ');
CREATE OR REPLACE TEMP MACRO clean_name(s) AS trim(regexp_replace(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(decoded(s)),
        '\s+(t/a|t/as|trading as)\s.*$', ''),
        '&', ' and ', 'g'),
        '''', '', 'g'),
        '[^a-z0-9]+', ' ', 'g'),
        '^\s*the\s+|\s+(limited|ltd|plc|llp|lp|cic|c i c|cio|community interest company)'
        || '(\s+(limited|ltd))?\s*$', '', 'g'),
    '\s+', ' ', 'g'));
CREATE OR REPLACE TEMP MACRO postcode_clean(s) AS
    CASE WHEN regexp_full_match(upper(replace(coalesce(s, ''), ' ', '')),
                                '[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}')
         THEN upper(replace(s, ' ', '')) ELSE NULL END;
CREATE OR REPLACE TEMP MACRO postcode_district(s) AS
    CASE WHEN postcode_clean(s) IS NULL THEN NULL
         ELSE left(postcode_clean(s), length(postcode_clean(s)) - 3) END;
"""

# Every body a supplier could be: companies (a company removed from the live register is
# kept, with its dates), companies known only from control statements, and societies.
BODIES = """
CREATE OR REPLACE TEMP TABLE bodies AS
WITH everything AS (
    SELECT 'companies-house' AS register, number, name, status, incorporated_on,
           coalesce(dissolved_on, removed_on) AS dissolved_on, postcode, post_town AS town,
           concat_ws(', ', nullif(address_line1, ''), nullif(post_town, '')) AS address
    FROM companies
    UNION ALL
    SELECT e.register, e.number, e.name, '', e.founded_on, e.dissolved_on, e.postcode, '',
           e.address
    FROM entities e WHERE e.number NOT IN (SELECT number FROM companies)
    UNION ALL
    SELECT 'societies', number, name, status, registered_on, dissolved_on, postcode, '',
           address
    FROM societies
)
SELECT register || ':' || number AS unique_id, register, number, name, status,
       incorporated_on, dissolved_on, address,
       clean_name(name) AS name_clean,
       split_part(clean_name(name), ' ', 1) AS first_word,
       split_part(clean_name(name), ' ', -1) AS last_word,
       postcode_clean(postcode) AS postcode,
       postcode_district(postcode) AS postcode_district,
       nullif(lower(trim(town)), '') AS town
FROM everything
"""

MENTIONS = """
CREATE OR REPLACE TABLE mentions (
    role VARCHAR, ocid VARCHAR, release_id VARCHAR, party_id VARCHAR, name VARCHAR, scheme VARCHAR,
    identifier VARCHAR, street VARCHAR, locality VARCHAR, postcode VARCHAR,
    notice_date VARCHAR, key VARCHAR
)
"""

# One row per supplier as published (its key), with what the linker compares.
SUPPLIERS = """
CREATE OR REPLACE TEMP TABLE suppliers AS
SELECT key AS unique_id, any_value(name) AS name, any_value(scheme) AS scheme,
       any_value(identifier) AS identifier, any_value(postcode) AS postcode_published,
       count(*) AS mentions,
       min(try_cast(nullif(notice_date, '') AS DATE)) AS first_notice_on,
       clean_name(any_value(name)) AS name_clean,
       split_part(clean_name(any_value(name)), ' ', 1) AS first_word,
       split_part(clean_name(any_value(name)), ' ', -1) AS last_word,
       postcode_clean(any_value(postcode)) AS postcode,
       postcode_district(any_value(postcode)) AS postcode_district,
       nullif(lower(trim(any_value(locality))), '') AS town
FROM mentions GROUP BY key
"""


def prepare(connection: Connection) -> None:
    """The macros and the bodies table, in this connection."""
    connection.execute(MACROS)
    connection.execute(BODIES)


def key_sql() -> str:
    """A supplier as published: its name, identifier and postcode, as written."""
    return (
        "md5(lower(trim(name)) || '|' || upper(scheme) || '|' || upper(identifier) || '|' || "
        "upper(replace(postcode, ' ', '')))"
    )
