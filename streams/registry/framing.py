"""The wire format of a registry-framed record: magic byte 0, the schema id (4 bytes, big
endian, unsigned), then the payload. A JSON text never starts with a 0 byte, so a framed value
is told from a JSON one by its first byte alone."""

from __future__ import annotations

from dataclasses import dataclass

MAGIC = b"\x00"
HEADER_BYTES = 5


@dataclass(frozen=True)
class Frame:
    schema_id: int
    payload: bytes


class BadFrame(ValueError):
    """A value that starts with the magic byte but cannot hold a schema id."""


def is_framed(value: bytes) -> bool:
    return value[:1] == MAGIC


def frame_of(value: bytes) -> Frame:
    """The schema id and payload of a framed value (is_framed(value) must hold)."""
    if len(value) < HEADER_BYTES:
        raise BadFrame(f"the value starts with a schema registry's magic byte 0 but holds "
                       f"{len(value)} bytes, fewer than the 5-byte header (magic byte, "
                       "4-byte schema id)")
    return Frame(schema_id_of(value), value[HEADER_BYTES:])


def schema_id_of(value: bytes) -> int:
    """The schema id of a framed value of at least HEADER_BYTES bytes."""
    return int.from_bytes(value[1:HEADER_BYTES], "big")
