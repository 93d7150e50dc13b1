"""W3C Bitstring Status List v1.0 encoding (pure, standard library only).

The list is a bitstring of `LIST_SIZE` bits (the specification's minimum, 131,072 = 16 KiB, for
herd privacy); bit `index` is the `index % 8`-th bit from the left (most significant first) of
byte `index // 8`. The published value is the multibase base64url form (prefix `u`, no padding)
of the GZIP-compressed bitstring. Compression uses a zero modification time, so the same set of
indexes always gives the same string.
"""

import base64
import binascii
import gzip
import zlib
from collections.abc import Iterable

LIST_SIZE = 131_072
MULTIBASE_BASE64URL = "u"


class BitstringError(ValueError):
    """A published list that cannot be read (not multibase base64url, not GZIP, too short)."""


def encode(indexes: Iterable[int], size: int = LIST_SIZE) -> str:
    """The `encodedList` value with the bits of `indexes` set."""
    bits = bytearray(size // 8)
    for index in indexes:
        if not 0 <= index < size:
            raise ValueError(f"index {index} outside a list of {size} bits")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str, *, max_size: int = 16 * LIST_SIZE) -> bytes:
    """The bitstring of an `encodedList` value; at most `max_size` bits are decompressed."""
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise BitstringError("not a multibase base64url value")
    body = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # GZIP framing
        bits = decompressor.decompress(compressed, max_size // 8 + 1)
    except (binascii.Error, ValueError, zlib.error) as error:
        raise BitstringError(str(error)) from error
    if len(bits) * 8 < LIST_SIZE or len(bits) * 8 > max_size:
        raise BitstringError("list shorter than 131,072 bits or too long")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise IndexError(index)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
