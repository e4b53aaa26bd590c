"""Fictional names and addresses, and the ways UK publishers mangle a company's name.

Place names are built from syllables chosen to sound English without being real places;
postcodes use area letters starting with `X`, which no real UK postcode area does.
"""

import random

PLACE_STARTS = (
    "Aldry", "Brem", "Corv", "Dral", "Eskel", "Fenw", "Garr", "Holm", "Ivel", "Jarr",
    "Kest", "Lorn", "Morv", "Nethel", "Ormer", "Pell", "Quar", "Rav", "Strel", "Tarn",
    "Ulv", "Vell", "Wrax", "Yarl", "Zenn", "Brack", "Coll", "Drum", "Emble", "Fard",
    "Glim", "Hask", "Ketter", "Lisk", "Marl", "Nors", "Ost", "Pryn", "Skell", "Thral",
)  # fmt: skip
PLACE_ENDS = (
    "ingham", "ford", "mere", "wick", "by", "thorpe", "stow", "dale", "combe", "bridge",
    "holt", "cester", "mouth", "ley", "field", "haven", "worth", "minster",
)  # fmt: skip
STREET_WORDS = (
    "Mill", "Church", "Station", "Market", "Orchard", "Victoria", "Quarry", "Canal", "Park",
    "Chapel", "Meadow", "Foundry", "Bridge", "Castle", "Harbour", "Kiln", "Tannery", "Ropewalk",
)  # fmt: skip
STREET_KINDS = ("Street", "Road", "Lane", "Way", "Place", "Row", "Close", "Avenue")
BRAND_STARTS = (
    "Amber", "Bright", "Cobalt", "Delta", "Ever", "Fair", "Granite", "Harbour", "Iron", "Juniper",
    "Keystone", "Lumen", "Meridian", "North", "Oak", "Pinnacle", "Quantum", "River", "Summit",
    "True", "Unity", "Vantage", "West", "Zephyr", "Apex", "Beacon", "Crest", "Dawn", "Ember",
)  # fmt: skip
BRAND_ENDS = (
    "line", "field", "gate", "vale", "stone", "bridge", "wood", "point", "way", "star",
    "light", "well", "more", "ridge", "shore", "view", "",
)  # fmt: skip
TRADES = (
    "Support Services", "Facilities", "Care", "Solutions", "Environmental", "Building Services",
    "Consulting", "Logistics", "Property Services", "Technology", "Catering", "Cleaning",
    "Construction", "Training", "Transport", "Security", "Recruitment", "Engineering",
)  # fmt: skip
GROUP_WORDS = ("", "", "", "Group ", "UK ", "Holdings ", "Services ")
FIRST_NAMES = (
    "Alys", "Bram", "Ceri", "Dora", "Ewan", "Fenna", "Gideon", "Hester", "Idris", "Joan",
    "Kit", "Lowri", "Milo", "Nell", "Osric", "Perpetua", "Quill", "Rhian", "Silas", "Tamsin",
)  # fmt: skip
SURNAMES = (
    "Ashcombe", "Brindley", "Corran", "Dunmore", "Elvey", "Fairclough", "Gwillim", "Hartigan",
    "Inchley", "Jessop", "Kettleby", "Lusk", "Marwood", "Nettleship", "Orpen", "Pryce",
)  # fmt: skip


def place_name(rng: random.Random) -> str:
    return rng.choice(PLACE_STARTS) + rng.choice(PLACE_ENDS)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def postcode(rng: random.Random) -> str:
    """A postcode in an `X` area: shaped like a real one, never one."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (
        f"X{rng.choice('ABCDEFGHKLMNPRSTUW')}{rng.randint(1, 29)} "
        f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    )


def street_address(rng: random.Random) -> str:
    return f"{rng.randint(1, 240)} {rng.choice(STREET_WORDS)} {rng.choice(STREET_KINDS)}"


def brand_name(rng: random.Random) -> str:
    return rng.choice(BRAND_STARTS) + rng.choice(BRAND_ENDS)


def private_company_name(rng: random.Random) -> str:
    """A contractor's registered name, e.g. "Cobaltgate Group Support Services Limited"."""
    return f"{brand_name(rng)} {rng.choice(GROUP_WORDS)}{rng.choice(TRADES)} Limited"


def strip_legal_suffix(name: str) -> str:
    for suffix in (" Limited", " Ltd", " CIC", " Community Interest Company"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def name_variant(name: str, rng: random.Random) -> str:
    """A way a publisher writes `name` that a person would still read as the same company."""
    base = strip_legal_suffix(name)
    suffix = name[len(base) :]
    choice = rng.randrange(5)
    if choice == 0 and suffix == " Limited":
        return base + " Ltd"
    if choice == 1 and suffix:
        return base + suffix.replace(" Limited", " Ltd.")
    if choice == 2:
        return base
    if choice == 3 and " and " in base:
        return base.replace(" and ", " & ") + suffix
    return base + suffix.replace(" Limited", " LIMITED")


def trading_as(name: str, rng: random.Random) -> str:
    """ "X Limited T/A Y": the legal name followed by a trading name."""
    return f"{name} T/A {brand_name(rng)}"


def typo(name: str, rng: random.Random) -> str:
    """One keying slip: a swapped, dropped or doubled letter inside a word."""
    positions = [i for i in range(1, len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha()]
    if not positions:
        return name
    i = rng.choice(positions)
    slip = rng.randrange(3)
    if slip == 0:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if slip == 1:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]
