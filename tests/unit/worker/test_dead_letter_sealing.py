"""Dead letters keep nothing readable: the original key and value are sealed with AES-256-GCM
under the dead-letter key (its id in the record), or not kept at all without a key."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest

from detectors import DetectorEngine
from policies import HashKey, load_policy, shipped_policy_path
from streams.config import ConfigError, Topics, load_settings
from streams.deadletter.sealing import DeadLetterKey, SealError, context
from streams.deadletter.store import NotReplayable, open_letter
from streams.records import DeadLetter
from streams.worker.codec import RawRecord
from streams.worker.pipeline import Pipeline

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SSN = "457-55-5462"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
POISON = ('{"job_id": "j", "agent_id": "a", "action": "x", "output": {"ssn": "'
          + SSN + '", "k": "' + AWS_SECRET + '"}, "n": ' + "9" * 5000 + "}").encode()
KEY = DeadLetterKey(b"d" * 32)


def letter_for(key: DeadLetterKey | None, raw_key: bytes | None = b"ssn " + SSN.encode()
               ) -> tuple[bytes, bytes, DeadLetter]:
    pipeline = Pipeline(DetectorEngine(), load_policy(shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), Topics(inputs=("in",)), "w-1",
                        deadletter_key=key)
    [emit] = pipeline.process([RawRecord("in", 2, 40, raw_key, POISON)], NOW)
    assert emit.topic == "afterguard.deadletter" and emit.key is not None
    return emit.key, emit.value, DeadLetter.model_validate_json(emit.value)


def test_a_dead_letter_holds_no_readable_byte_of_its_record() -> None:
    kafka_key, value, letter = letter_for(KEY)
    text = value.decode() + kafka_key.decode()
    for secret in (SSN, AWS_SECRET, base64.b64encode(POISON).decode()[:40]):
        assert secret not in text
    assert letter.value_sealed is not None and letter.value_sealed.key_id == KEY.key_id
    assert letter.value_b64 is None and letter.key_b64 is None
    assert letter.value_bytes == len(POISON)
    assert kafka_key == b"in/2/40", "keyed by its source, not by the agent's free key bytes"
    identifier_key, _, _ = letter_for(KEY, raw_key=b"job-42")
    assert identifier_key == b"job-42", "a key in the metadata format is kept, as job ids are"


def test_the_dead_letter_key_opens_the_original_bytes() -> None:
    _, _, letter = letter_for(KEY)
    opened = open_letter(letter, KEY)
    assert (opened.key, opened.value) == (b"ssn " + SSN.encode(), POISON)


def test_without_a_key_nothing_readable_is_kept() -> None:
    _, value, letter = letter_for(None)
    assert SSN.encode() not in value and letter.value_sealed is None and letter.key_sealed is None
    assert letter.value_bytes == len(POISON) and letter.reason
    with pytest.raises(NotReplayable, match="no bytes were kept"):
        open_letter(letter, KEY)


def test_another_key_or_a_moved_ciphertext_does_not_open() -> None:
    _, _, letter = letter_for(KEY)
    with pytest.raises(NotReplayable, match="sealed with key"):
        open_letter(letter, DeadLetterKey(b"e" * 32))
    with pytest.raises(NotReplayable, match="configure the dead-letter key"):
        open_letter(letter, None)
    assert letter.source is not None
    moved = letter.model_copy(update={"source": letter.source.model_copy(update={"offset": 41})})
    with pytest.raises(NotReplayable, match="altered or moved"):
        open_letter(moved, KEY)
    sealed = KEY.seal(b"x", context("value", "in", 0, 1))
    with pytest.raises(SealError):
        KEY.open(sealed.model_copy(update={"ciphertext_b64": base64.b64encode(
            b"y" * 17).decode()}), context("value", "in", 0, 1))


def test_the_key_comes_from_a_file_or_the_variable_named_in_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AFTERGUARD_DEADLETTER_KEY", raising=False)
    assert load_settings({}).deadletter_key() is None
    key_file = tmp_path / "dl.key"
    key_file.write_text("ab" * 32 + "\n")
    from_file = load_settings({"AFTERGUARD_DEADLETTER_KEY_FILE": str(key_file)}).deadletter_key()
    assert from_file == DeadLetterKey(bytes.fromhex("ab" * 32))
    monkeypatch.setenv("MY_DL_KEY", "cd" * 32)
    named = load_settings({"AFTERGUARD_DEADLETTER_KEY_ENV": "MY_DL_KEY"}).deadletter_key()
    assert named == DeadLetterKey(bytes.fromhex("cd" * 32))
    key_file.write_text("too short")
    with pytest.raises(ConfigError, match="AFTERGUARD_DEADLETTER_KEY_FILE: a dead-letter key"):
        load_settings({"AFTERGUARD_DEADLETTER_KEY_FILE": str(key_file)}).deadletter_key()
    assert "abab" not in repr(from_file) and "abab" not in str(from_file)


def test_a_record_that_fails_on_its_own_is_sealed_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch decider's last resort (a record whose processing raised) seals as well."""
    from streams.audit.chain import AuditChain
    from streams.worker.batch import BatchDecider
    from streams.worker.first_seen import FirstSeen
    from streams.worker.output_limits import OutputLimits

    pipeline = Pipeline(DetectorEngine(), load_policy(shipped_policy_path("default")),
                        HashKey.from_secret(b"k" * 32), Topics(inputs=("in",)), "w-1",
                        deadletter_key=KEY)

    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(pipeline, "process", explode)
    decider = BatchDecider(pipeline, FirstSeen(), OutputLimits(16 << 20, {}))
    [emit] = decider.decide([RawRecord("in", 0, 3, b"k", POISON)], NOW, AuditChain.fresh(1))
    letter = DeadLetter.model_validate_json(emit.value)
    assert letter.error == "processing_error" and SSN.encode() not in emit.value
    assert letter.value_b64 is None and letter.key_b64 is None
    assert base64.b64encode(POISON)[:40] not in emit.value
    assert letter.value_sealed is not None and open_letter(letter, KEY).value == POISON
