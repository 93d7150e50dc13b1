"""The W3C Bitstring Status List encoding, decoded here with plain gzip and base64."""

import base64
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.credentials import bitstring


def plain_decode(encoded: str) -> bytes:
    assert encoded.startswith("u")  # multibase base64url, no padding
    body = encoded[1:]
    assert "=" not in body and "+" not in body and "/" not in body
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_empty_list_is_131072_zero_bits():
    bits = plain_decode(bitstring.encode([]))
    assert len(bits) * 8 == 131_072
    assert not any(bits)


def test_bit_order_is_left_to_right():
    bits = plain_decode(bitstring.encode([0, 9, 131_071]))
    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert bits[-1] == 0b0000_0001
    assert sum(bin(byte).count("1") for byte in bits) == 3


def test_same_indexes_same_string():
    assert bitstring.encode([5, 3]) == bitstring.encode([3, 5, 5])


@given(st.sets(st.integers(min_value=0, max_value=131_071), max_size=60))
def test_round_trip(indexes):
    encoded = bitstring.encode(indexes)
    bits = bitstring.decode(encoded)
    assert bits == plain_decode(encoded)
    assert {index for index in range(131_072) if bitstring.is_set(bits, index)} == indexes


def test_index_outside_the_list_is_refused():
    with pytest.raises(ValueError):
        bitstring.encode([131_072])


@pytest.mark.parametrize("garbage", ["", "u", "zabc", "u!!!", "u" + "A" * 40])
def test_unreadable_lists_raise_bitstring_error(garbage):
    with pytest.raises(bitstring.BitstringError):
        bitstring.decode(garbage)


def test_a_gzip_bomb_is_not_inflated():
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(10_000_000))).decode().rstrip("=")
    with pytest.raises(bitstring.BitstringError):
        bitstring.decode(bomb)
