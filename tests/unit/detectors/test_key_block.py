"""Private keys spread over list items: every item of the block is reported, nothing after it."""

from __future__ import annotations

import pytest

from detectors import DetectorEngine
from detectors.walker import string_leaves

BODY = ["MIIEowIBAAKCAQEAq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0",
        "vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7nB4kW1yPq8Zr2LmX0vT7n",
        "B4kW1yPq8Zr2LmX0vT7nB4kW1yP=="]


@pytest.fixture(scope="module")
def engine() -> DetectorEngine:
    return DetectorEngine(entities={"CREDENTIAL"})


def _flagged(engine: DetectorEngine, value: object) -> set[str]:
    texts = {leaf.path: leaf.text for leaf in string_leaves(value)}
    return {texts[f.path] for f in engine.scan(value)}


@pytest.mark.parametrize("label", ["RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", "PRIVATE KEY",
                                   "ENCRYPTED PRIVATE KEY", "PGP PRIVATE KEY BLOCK"])
def test_every_line_of_a_key_returned_as_a_list_of_lines_is_reported(
        engine: DetectorEngine, label: str) -> None:
    lines = ["# deploy key", f"-----BEGIN {label}-----", *BODY, f"-----END {label}-----",
             "host = db.internal"]
    assert _flagged(engine, {"lines": lines}) == set(lines[1:-1])


def test_a_key_written_as_one_string_literal_per_line_is_reported(engine: DetectorEngine) -> None:
    lines = ["PRIVATE_KEY = (", '    "-----BEGIN RSA PRIVATE KEY-----\\n"',
             *[f'    "{b}\\n"' for b in BODY], '    "-----END RSA PRIVATE KEY-----\\n"', ")"]
    assert _flagged(engine, {"lines": lines}) == set(lines[1:-1])


def test_a_key_cut_after_its_header_reports_the_header_only(engine: DetectorEngine) -> None:
    lines = ["-----BEGIN RSA PRIVATE KEY-----", "... (output truncated)", "exit 0"]
    assert _flagged(engine, {"lines": lines}) == {lines[0]}


def test_public_keys_and_certificates_are_not_reported(engine: DetectorEngine) -> None:
    lines = ["-----BEGIN PUBLIC KEY-----", *BODY, "-----END PUBLIC KEY-----",
             "-----BEGIN CERTIFICATE-----", *BODY, "-----END CERTIFICATE-----"]
    assert _flagged(engine, {"lines": lines}) == set()


def test_a_block_does_not_run_into_another_list(engine: DetectorEngine) -> None:
    value = {"a": ["-----BEGIN RSA PRIVATE KEY-----"], "b": BODY}
    assert _flagged(engine, value) == {"-----BEGIN RSA PRIVATE KEY-----"}
