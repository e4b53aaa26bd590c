"""The world's councils: fictional names, GSS-shaped codes that can never be real, and kinds in
the proportions of the UK's real councils."""

import datetime
from dataclasses import dataclass

from mutualwatch.demoworld.names import place_name
from mutualwatch.demoworld.parameters import WorldParameters
from mutualwatch.demoworld.randomness import stream

# Current UK councils by kind (2025): the world's kinds are drawn in these proportions.
# Combined authorities are left out: they deliver almost none of the register's services.
KIND_COUNTS = {
    "district": 164,
    "unitary": 63,
    "metropolitan-borough": 36,
    "london-borough": 33,
    "scottish-unitary": 32,
    "welsh-unitary": 22,
    "county": 21,
    "ni-district": 11,
}
# GSS entity codes by kind, with the nation letter X: no real GSS code starts with X.
ENTITY_CODES = {
    "county": "X10",
    "district": "X07",
    "unitary": "X06",
    "metropolitan-borough": "X08",
    "london-borough": "X09",
    "welsh-unitary": "X56",
    "scottish-unitary": "X12",
    "ni-district": "X59",
}
# Fictional regions, by kind: a London borough is always in the capital, a Welsh unitary in the
# western principality, and so on.
ENGLISH_REGIONS = ("Northmarch", "Eastmoor", "Midvale", "Westerland", "Southdowns", "Fenlands")
REGIONS_BY_KIND = {
    "london-borough": ("The Capital",),
    "welsh-unitary": ("Western Principality",),
    "scottish-unitary": ("Northern Kingdom",),
    "ni-district": ("Island Province",),
    "metropolitan-borough": ("Northmarch", "Midvale", "Eastmoor"),
}
NAME_PATTERNS = {
    "county": "{place}shire County Council",
    "district": "{place} District Council",
    "unitary": "{place} Council",
    "metropolitan-borough": "{place} Metropolitan Borough Council",
    "london-borough": "London Borough of {place}",
    "welsh-unitary": "{place} County Borough Council",
    "scottish-unitary": "{place} Council",
    "ni-district": "{place} District Council",
}


@dataclass(frozen=True)
class Authority:
    gss_code: str
    name: str
    place: str
    kind: str
    region: str
    network_joined_on: datetime.date | None

    @property
    def slug(self) -> str:
        return self.place.lower()


def kinds_in_proportion(count: int) -> list[str]:
    """`count` kinds in the real proportions, by largest remainder, so even five councils get
    the commonest kinds rather than whatever a dice roll gives."""
    total = sum(KIND_COUNTS.values())
    quotas = {kind: count * n / total for kind, n in KIND_COUNTS.items()}
    allotted = {kind: int(quota) for kind, quota in quotas.items()}
    by_remainder = sorted(KIND_COUNTS, key=lambda kind: (allotted[kind] - quotas[kind], kind))
    for kind in by_remainder[: count - sum(allotted.values())]:
        allotted[kind] += 1
    return [kind for kind in KIND_COUNTS for _ in range(allotted[kind])]


def generate_authorities(parameters: WorldParameters) -> list[Authority]:
    """The world's councils, in GSS-code order. Place names are unique within a world."""
    rng = stream(parameters.seed, "authorities")
    kinds = kinds_in_proportion(parameters.size.councils)
    rng.shuffle(kinds)
    used_places: set[str] = set()
    serials: dict[str, int] = {}
    authorities = []
    for kind in kinds:
        place = place_name(rng)
        while place in used_places:
            place = place_name(rng) + rng.choice(("", " Vale", " Heath", " Forest"))
        used_places.add(place)
        serials[kind] = serials.get(kind, 0) + 1
        region = rng.choice(REGIONS_BY_KIND.get(kind, ENGLISH_REGIONS))
        joined = None
        if rng.random() < parameters.network_share:
            joined = datetime.date(rng.randint(2012, 2024), rng.randint(1, 12), 1)
        authorities.append(
            Authority(
                gss_code=f"{ENTITY_CODES[kind]}{serials[kind]:06d}",
                name=NAME_PATTERNS[kind].format(place=place),
                place=place,
                kind=kind,
                region=region,
                network_joined_on=joined,
            )
        )
    return sorted(authorities, key=lambda authority: authority.gss_code)
