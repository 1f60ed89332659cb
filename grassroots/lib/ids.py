"""Public identifiers made in bulk: time-ordered UUIDs (version 7, RFC 9562).

A random UUID (version 4) lands anywhere in its unique index, so a bulk load of millions
of rows rewrites pages all over the index with every batch. A version 7 UUID starts with
the time in milliseconds: the rows of one load go in at the end of the index, as serial
keys do, and the rest of it (74 random bits) keeps them as hard to guess as before.

Not for areas: an area's path is made of the first digits of its UUID (places.models.
path_segment), which must differ between siblings, and those are the time in a version 7.
"""

from __future__ import annotations

import os
import struct
import time
import uuid

_VERSION_AND_VARIANT = (0x7 << 76) | (0b10 << 62)
_RANDOM_MASK = (1 << 42) - 1


def ordered_uuid_hexes(n: int) -> list[str]:
    """``n`` new version 7 UUIDs as 32 hex digits (the form SQLite stores, and PostgreSQL
    reads), in increasing order."""
    base = (time.time_ns() // 1_000_000) << 80 | _VERSION_AND_VARIANT
    # 74 bits after the time: the place in this batch on top (12 bits, then 20), random bits below.
    return [
        f"{base | (i >> 20) << 64 | (i & 0xFFFFF) << 42 | noise & _RANDOM_MASK:032x}"
        for i, (noise,) in enumerate(struct.iter_unpack(">Q", os.urandom(8 * n)))
    ]


def ordered_uuids(n: int) -> list[uuid.UUID]:
    """``n`` new version 7 UUIDs, in increasing order."""
    return [uuid.UUID(value) for value in ordered_uuid_hexes(n)]
