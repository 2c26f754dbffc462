"""Small readers the policy commands share."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from policies import ActionResult
from streams.worker.codec import describe


def read_result(path: Path) -> tuple[bytes, ActionResult]:
    """The raw bytes and the action result in a JSON file; ValueError says what is wrong."""
    try:
        raw = path.read_bytes()
        return raw, ActionResult.model_validate(json.loads(raw))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    except ValidationError as exc:
        raise ValueError(f"{path}: not an action result: {describe(exc)}") from None
