"""Pseudonyms from a keyed hash (HMAC-SHA256) of the council's person id.

The key comes from the environment and is never stored with the list. Without the key a
pseudonym cannot be turned back into a person id; with it, a person id can be matched to its
pseudonym by hashing it again (re-identification)."""

from __future__ import annotations

import hashlib
import hmac

from careassure.core.casetracking.errors import PseudonymKeyError

MIN_KEY_LENGTH = 16
PSEUDONYM_HEX_CHARS = 12


def check_key(key: str) -> str:
    """Refuse a missing or short key (callers check once before hashing a whole file)."""
    if len(key) < MIN_KEY_LENGTH:
        raise PseudonymKeyError(
            f"the pseudonym key must be at least {MIN_KEY_LENGTH} characters long"
        )
    return key


def _key_bytes(key: str) -> bytes:
    if not key:
        raise PseudonymKeyError("the pseudonym key is empty")
    return key.encode("utf-8")


def pseudonym(person_id: str, key: str) -> str:
    """'CT-' and the first 12 hex characters (48 bits) of HMAC-SHA256(key, person id)."""
    digest = hmac.new(_key_bytes(key), person_id.strip().encode("utf-8"), hashlib.sha256)
    return "CT-" + digest.hexdigest()[:PSEUDONYM_HEX_CHARS].upper()


def key_fingerprint(key: str) -> str:
    """A value stored with a list to tell later whether the same key is in use (not the key)."""
    digest = hmac.new(_key_bytes(key), b"careassure:case-tracking:key-check", hashlib.sha256)
    return digest.hexdigest()[:16]


def match_pseudonyms(person_ids: list[str], pseudonyms: set[str], key: str) -> dict[str, str]:
    """Pseudonym -> person id, for the given ids whose pseudonym is in the set."""
    matches: dict[str, str] = {}
    for person_id in person_ids:
        if not person_id.strip():
            continue
        value = pseudonym(person_id, key)
        if value in pseudonyms:
            matches[value] = person_id.strip()
    return matches
