"""Sealing special-category data at rest: the one home of the cipher.

Answers, evidence descriptions and member receipts are stored as Fernet tokens (AES-128-CBC
with an HMAC-SHA256 tag, from the ``cryptography`` package), under the key in
``MUTUALWATCH_WORKFORCE_KEY``. Older keys in ``MUTUALWATCH_WORKFORCE_OLD_KEYS`` still open what
they sealed, so a key can be rotated (``mutualwatch workforce-rotate-key`` reseals). Production
refuses to start without a key (settings.py); elsewhere a key derived from the secret key is used,
which is fine for fictional data and nothing else.
"""

import base64
import hashlib
from functools import cache
from typing import Any

import orjson
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from mutualwatch.workforce.exceptions import KeyMissing


def new_key() -> str:
    return Fernet.generate_key().decode()


@cache
def _cipher(key: str, old_keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in (key, *old_keys)])
    except ValueError:
        raise KeyMissing(
            "MUTUALWATCH_WORKFORCE_KEY is not a valid key: it must be 32 url-safe base64-encoded "
            "bytes, as `mutualwatch workforce-new-key` prints."
        ) from None


def cipher() -> MultiFernet:
    key = settings.WORKFORCE_KEY
    if not key:
        if settings.IS_PRODUCTION:
            raise KeyMissing("MUTUALWATCH_WORKFORCE_KEY is not set.")
        digest = hashlib.sha256(f"workforce:{settings.SECRET_KEY}".encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return _cipher(key, tuple(settings.WORKFORCE_OLD_KEYS))


def seal(value: Any) -> str:
    """A JSON-able value, sealed."""
    return cipher().encrypt(orjson.dumps(value)).decode()


def unseal(token: str) -> Any:
    try:
        return orjson.loads(cipher().decrypt(token.encode()))
    except InvalidToken:
        raise KeyMissing(
            "A sealed workforce record does not open with MUTUALWATCH_WORKFORCE_KEY or any of "
            "MUTUALWATCH_WORKFORCE_OLD_KEYS: was the key changed without keeping the old one?"
        ) from None


def reseal(token: str) -> str:
    """The same value sealed under the current key (for key rotation)."""
    try:
        return cipher().rotate(token.encode()).decode()
    except InvalidToken:
        raise KeyMissing(
            "A sealed workforce record does not open with MUTUALWATCH_WORKFORCE_KEY or any of "
            "MUTUALWATCH_WORKFORCE_OLD_KEYS: add the key it was sealed with to the old keys."
        ) from None


def fingerprint(secret: str) -> str:
    """What is stored of a single-use link's token or a member's receipt code: a keyed hash, so
    neither a database copy nor a guess at the code finds the record without the key."""
    return hashlib.blake2b(
        secret.encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=32
    ).hexdigest()
