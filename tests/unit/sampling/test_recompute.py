"""`afterguard sampling recompute` over an export: every draw recomputed from the key, every
mismatch reported, records of other keys counted apart, and nothing verified is never "OK"."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from policies.key_id import derive_key_id
from sampling import SamplingKey, draw
from streams.cli import main

KEY_TEXT = secrets.token_hex(32)
KEY = SamplingKey(f"sampling-key-1@{derive_key_id(KEY_TEXT.encode(), 'sampling-key')}",
                  KEY_TEXT.encode())


def decision(n: int, probability: float = 0.5, key: SamplingKey = KEY) -> dict[str, Any]:
    job_id, job_hash, snapshot = f"job-{n}", "sha256:" + f"{n:02x}" * 32, "2026.11.1:" + "ab" * 8
    value = draw(key, job_id, job_hash, snapshot)
    return {"event_type": "decision", "job_id": job_id, "job_hash": job_hash,
            "policy_snapshot": snapshot,
            "sampling": {"draw": value, "drawn": value < probability, "probability": probability,
                         "key_id": key.key_id}}


def run(tmp_path: Path, rows: list[Any], *extra: str) -> Any:
    export = tmp_path / "audit.jsonl"
    export.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    key_file = tmp_path / "sampling.key"
    key_file.write_text(KEY_TEXT + "\n")
    key_file.chmod(0o600)
    return CliRunner().invoke(main, ["sampling", "recompute", "--file", str(export),
                                     "--key-file", str(key_file), *extra])


def test_every_draw_of_the_key_matches(tmp_path: Path) -> None:
    done = run(tmp_path, [decision(n) for n in range(20)] + [{"event_type": "verdict"}])
    assert done.exit_code == 0, done.output
    assert "20 draws checked under key id " in done.output
    assert "20 match, 0 mismatches" in done.output
    assert "1 record(s) without a draw" in done.output


def test_an_edited_draw_an_edited_input_and_a_wrong_drawn_are_reported(tmp_path: Path) -> None:
    rows = [decision(n) for n in range(6)]
    rows[1]["sampling"]["draw"] = 0.999
    rows[3]["job_hash"] = "sha256:" + "ff" * 32
    rows[5]["sampling"]["drawn"] = not rows[5]["sampling"]["drawn"]
    done = run(tmp_path, rows)
    assert done.exit_code == 1, done.output
    assert "3 match, 3 mismatches" in done.output
    assert "line 2 (job-1): recorded draw 0.999, the key gives" in done.output
    assert "line 4 (job-3): recorded draw" in done.output
    assert "line 6 (job-5): recorded drawn=" in done.output


def test_records_of_another_key_are_counted_apart_and_nothing_checked_fails(
        tmp_path: Path) -> None:
    other_text = secrets.token_hex(32)
    other = SamplingKey(f"sampling-key-1@{derive_key_id(other_text.encode(), 'sampling-key')}",
                        other_text.encode())
    done = run(tmp_path, [decision(n, key=other) for n in range(4)])
    assert done.exit_code == 1, done.output
    assert f"4 record(s) made under other keys: {other.key_id} (4)" in done.output
    assert "no draw was made under this key: nothing verified" in done.output


def test_a_hex_decoded_key_reproduces_no_draw(tmp_path: Path) -> None:
    """The issue's auditor: the key's text is the HMAC key, not the bytes its hex spells."""
    decoded = bytes.fromhex(KEY_TEXT)
    record = decision(1)
    message = b"\x00".join(record[f].encode() for f in ("job_id", "job_hash", "policy_snapshot"))
    import hashlib
    import hmac
    by_text = int.from_bytes(hmac.new(KEY_TEXT.encode(), message, hashlib.sha256).digest()[:8],
                             "big") / 2**64
    by_decoded = int.from_bytes(hmac.new(decoded, message, hashlib.sha256).digest()[:8],
                                "big") / 2**64
    assert by_text == record["sampling"]["draw"] != by_decoded


def test_lines_that_are_not_records_are_named(tmp_path: Path) -> None:
    done = run(tmp_path, [decision(1), "{not json", decision(2)])
    assert done.exit_code == 0, done.output
    assert "2 match, 0 mismatches" in done.output
    assert "1 line(s) not audit records: line 2" in done.output


def test_a_missing_key_file_is_a_usage_error(tmp_path: Path) -> None:
    export = tmp_path / "audit.jsonl"
    export.write_text(json.dumps(decision(1)) + "\n")
    done = CliRunner().invoke(main, ["sampling", "recompute", "--file", str(export),
                                     "--key-file", str(tmp_path / "nope.key")])
    assert done.exit_code == 2
