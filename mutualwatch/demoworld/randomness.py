"""Named, independent random streams, so that the demo world is reproducible piece by piece.

Every part of the world draws from its own `random.Random`, seeded from the world's seed and the
stream's name. Adding a council or a new kind of output therefore never shifts the draws of
another part, and two runs with the same seed and size write byte-identical files.
"""

import hashlib
import random
import uuid


def stream_seed(seed: int, *names: object) -> int:
    """A 64-bit seed for the stream called `names` in the world with `seed`.

    BLAKE2b of the text, not `hash()`: Python salts `hash()` of strings per process.
    """
    text = ":".join(str(part) for part in (seed, *names))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def stream(seed: int, *names: object) -> random.Random:
    """The random stream called `names` in the world with `seed`."""
    return random.Random(stream_seed(seed, *names))  # noqa: S311 - fiction, not secrets


def indexed_stream(base: int, index: int) -> random.Random:
    """The stream of the `index`-th member of a numbered family (a company in the register).

    Seeding from `base + index` gives random access: any member can be regenerated alone,
    which is how five million companies are written without holding any of them.
    """
    return random.Random(base + index)  # noqa: S311 - fiction, not secrets


def draw_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from `rng`, so record uids repeat exactly with the seed."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
