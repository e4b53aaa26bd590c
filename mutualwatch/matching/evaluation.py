"""How well links recover a known truth: precision and recall, as pure functions."""

from collections.abc import Mapping
from dataclasses import dataclass

Body = tuple[str, str]  # (register, number)


@dataclass(frozen=True)
class Score:
    true_links: int
    wrong_links: int
    missed: int

    @property
    def precision(self) -> float:
        made = self.true_links + self.wrong_links
        return self.true_links / made if made else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_links + self.missed
        return self.true_links / wanted if wanted else 0.0


def score(truth: Mapping[object, Body], linked: Mapping[object, Body | None]) -> Score:
    """Each truth key linked to its true body, to another, or not at all (a key missing from
    ``linked`` counts as not linked)."""
    true_links = wrong_links = missed = 0
    for key, body in truth.items():
        found = linked.get(key)
        if found is None:
            missed += 1
        elif found == body:
            true_links += 1
        else:
            wrong_links += 1
    return Score(true_links, wrong_links, missed)
