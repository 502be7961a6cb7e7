from __future__ import annotations

import pytest

from careassure.core.casetracking import (
    PseudonymKeyError,
    check_key,
    key_fingerprint,
    match_pseudonyms,
    pseudonym,
)

KEY = "a-test-pseudonym-key-0123456789"


def test_pseudonym_is_the_published_hmac_sha256_test_value() -> None:
    # HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog") is the well-known
    # value f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8 (Wikipedia, HMAC).
    # The pseudonym is "CT-" and its first 12 hex characters in capitals.
    assert pseudonym("The quick brown fox jumps over the lazy dog", "key") == "CT-F7BC83F43053"


def test_pseudonym_depends_on_the_key() -> None:
    assert pseudonym("SYN00001", KEY) != pseudonym("SYN00001", KEY + "x")
    assert pseudonym("SYN00001", KEY) == pseudonym(" SYN00001 ", KEY)


def test_short_keys_are_refused() -> None:
    with pytest.raises(PseudonymKeyError, match="at least 16 characters"):
        check_key("short")
    with pytest.raises(PseudonymKeyError, match="empty"):
        pseudonym("SYN00001", "")


def test_fingerprint_identifies_the_key_without_being_a_pseudonym() -> None:
    assert key_fingerprint(KEY) == key_fingerprint(KEY)
    assert key_fingerprint(KEY) != key_fingerprint(KEY + "x")
    assert len(key_fingerprint(KEY)) == 16


def test_match_finds_only_the_ids_in_the_list() -> None:
    listed = {pseudonym("SYN00001", KEY), pseudonym("SYN00002", KEY)}
    assert match_pseudonyms(["SYN00002", "SYN00003", ""], listed, KEY) == {
        pseudonym("SYN00002", KEY): "SYN00002"
    }
