"""Register numbers as the registers write them, from however a notice or a file wrote them.

Pure functions: `company_number("8209948")` is "08209948"; `society_number("GB-MPR-00525r")` is
"525R". Each returns "" for what cannot be a number of its register.
"""

import re

COMPANY_PREFIXES = ("SC", "NI", "OC", "SO", "NC", "R", "FC", "SE", "SF", "NF", "IP", "SP", "CE",
                    "RC", "NL", "SL", "GE", "GS", "GN", "LP", "SG", "NP", "SR", "NR", "SA", "NA",
                    "SZ", "NZ", "ZC", "AC", "SI", "RS", "X")  # fmt: skip
COMPANY = re.compile(r"(?P<prefix>[A-Z]{1,2})?(?P<digits>\d{1,8})")
# The suffix says which act and nation: R, RS (Scotland), C (credit union), CUS, CBS, SA, ...
SOCIETY = re.compile(r"(?P<digits>\d{1,6})(?P<suffix>[A-Z]{1,4})?")
CHARITY = re.compile(r"(?:SC|NI)?\d{5,8}")
SCHEME_PREFIX = re.compile(r"^(?:GB[-_ ]?(?:COH|MPR|CHC|SC|NIC)[-_ ]?)", re.IGNORECASE)


def bare(value: str) -> str:
    """The number without its org-id scheme, spaces or punctuation, in upper case."""
    return re.sub(r"[\s./-]", "", SCHEME_PREFIX.sub("", value.strip())).upper()


def company_number(value: str) -> str:
    """A Companies House number, eight characters, with the zeros spreadsheets eat restored
    (SC/NI/OC/... prefixes kept: SC 12345 is SC012345)."""
    match = COMPANY.fullmatch(bare(value))
    if match is None:
        return ""
    prefix, digits = match.group("prefix") or "", match.group("digits")
    if prefix and prefix not in COMPANY_PREFIXES:
        return ""
    width = 8 - len(prefix)
    if len(digits) > width or int(digits) == 0:
        return ""
    return prefix + digits.zfill(width)


def society_number(value: str) -> str:
    """An FCA Mutuals Public Register number: digits (no leading zeros) and their suffix, as
    the register writes them: 525R, 2059RS. A number without a suffix is taken as R."""
    match = SOCIETY.fullmatch(bare(value))
    if match is None or int(match.group("digits")) == 0:
        return ""
    return f"{int(match.group('digits'))}{match.group('suffix') or 'R'}"


def charity_number(value: str) -> str:
    number = bare(value)
    return number if CHARITY.fullmatch(number) else ""


# How OCDS notices name each register (org-id.guide schemes), and which register each means.
SCHEMES = {
    "GB-COH": ("companies-house", company_number),
    "GB-MPR": ("societies", society_number),
    "GB-CHC": ("charities", charity_number),
    "GB-SC": ("charities", charity_number),
    "GB-NIC": ("charities", charity_number),
}


def register_identifier(scheme: str, identifier: str) -> tuple[str, str]:
    """(register, number) for a published identifier, or ("", "") when it names none we
    hold. A bare identifier that starts with its scheme (GB-COH-01234567) is read the same."""
    scheme = scheme.strip().upper()
    if scheme not in SCHEMES:
        for known in SCHEMES:
            if identifier.strip().upper().startswith(known):
                scheme = known
                break
        else:
            return "", ""
    register, normalise = SCHEMES[scheme]
    number = normalise(identifier)
    return (register, number) if number else ("", "")
