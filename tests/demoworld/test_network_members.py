"""The world's network: members with tiers, two opposition groups, each citing a published
fictional web page, the same from the same seed."""

from collections import Counter
from pathlib import Path

from mutualwatch.demoworld.memberships import OPPOSITION_GROUPS
from tests.demoworld.conftest import read_register


def test_every_membership_has_a_tier_and_cites_a_published_web_page(tiny_world: Path):
    records = read_register(tiny_world)
    sources = {r["uid"]: r for r in records if r["record_type"] == "source"}
    memberships = [r for r in records if r["record_type"] == "network_membership"]
    authorities = {r["gss_code"] for r in records if r["record_type"] == "authority"}

    types = Counter(m["member_type"] for m in memberships)
    tiers = Counter(m["tier"] for m in memberships if m["member_type"] == "council")
    non_members = len(authorities) - types["council"]
    assert types["opposition-group"] == min(OPPOSITION_GROUPS, non_members)
    assert set(tiers) <= {"full", "associate"}
    assert tiers["full"] > tiers["associate"]
    for membership in memberships:
        assert membership["authority"] in authorities
        source = sources[membership["source"]]
        assert (source["kind"], source["state"]) == ("web-page", "published")
        assert source["url"].startswith("https://network.example.org/")
    members = {m["authority"] for m in memberships if m["member_type"] == "council"}
    groups = {m["authority"] for m in memberships if m["member_type"] == "opposition-group"}
    assert not members & groups  # a group's council is not itself a member
