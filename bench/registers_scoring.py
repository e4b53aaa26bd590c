"""Scoring for bench/registers.py, run inside a configured Django process."""

import json
from pathlib import Path
from typing import Any

from mutualwatch.matching.evaluation import score
from mutualwatch.matching.services import mention_links, naive_name_links

REGISTERS = {"ch": "companies-house", "fca": "societies"}


def score_world(world: str) -> dict[str, Any]:
    truth = {}
    with (Path(world) / "ground_truth" / "supplier_mentions.jsonl").open() as handle:
        for line in handle:
            mention = json.loads(line)
            register, number = mention["company"].split(":")
            key = (mention["ocid"], mention["release_id"], mention["party_id"])
            truth[key] = (REGISTERS[register], number)
    ours, naive = score(truth, mention_links()), score(truth, naive_name_links())
    return {
        "mentions": len(truth),
        "ours": {"precision": ours.precision, "recall": ours.recall},
        "naive": {"precision": naive.precision, "recall": naive.recall},
    }
