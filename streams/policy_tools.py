"""Small readers the policy commands share."""

from __future__ import annotations

from pathlib import Path

from policies import ActionResult
from policies.sections.limits import Limits
from streams.worker.codec import DEFAULT_LIMITS, RawRecord, Rejected, decode


def read_result(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, ActionResult]:
    """The raw bytes and the action result in a JSON file, decoded as the worker decodes (the
    policy's size, depth and number limits first); ValueError says what is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror}") from None
    decoded = decode(RawRecord(str(path), 0, 0, None, raw), limits)
    if isinstance(decoded, Rejected):
        if decoded.error == "invalid_record":
            raise ValueError(f"{path}: not an action result: {decoded.reason}")
        raise ValueError(f"{path}: {decoded.reason}")  # noqa: TRY004 - bad content, not type
    return raw, decoded.result
