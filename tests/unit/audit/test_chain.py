"""Sealing records into per-partition hash chains, and resuming a chain from its last record."""

from __future__ import annotations

import json

import pytest

from streams.audit.canonical import canonical_bytes
from streams.audit.chain import GENESIS, AuditChain, ChainNotLoaded, record_hash
from streams.audit.verify import verify
from tests.unit.audit.records import audit, entries


def test_records_link_to_their_predecessor_in_their_partition() -> None:
    chain = AuditChain.fresh(3)
    first, second, other = (chain.seal(audit(0, 4), 4), chain.seal(audit(1, 4), 4),
                            chain.seal(audit(0, 0), 0))
    assert (first.partition, second.partition, other.partition) == (1, 1, 0)
    a, b, c = (json.loads(s.value)["chain"] for s in (first, second, other))
    assert (a["seq"], a["prev_hash"]) == (1, GENESIS)
    assert (b["seq"], b["prev_hash"]) == (2, a["hash"])
    assert (c["seq"], c["prev_hash"]) == (1, GENESIS)


def test_the_hash_covers_the_canonical_record_without_its_own_hash() -> None:
    value = AuditChain.fresh(1).seal(audit(0), 0).value
    record = json.loads(value)
    assert value == canonical_bytes(record), "written in canonical form"
    assert record["chain"]["hash"] == record_hash(record)
    assert record_hash({**record, "tenant": "x"}) != record["chain"]["hash"]


def test_a_new_worker_resumes_the_chain_from_the_last_record() -> None:
    before = AuditChain.fresh(1)
    values = [before.seal(audit(i), 0).value for i in range(3)]
    after = AuditChain(1)
    with pytest.raises(ChainNotLoaded):
        after.seal(audit(3), 0)
    after.resume(0, values[-1])
    values.append(after.seal(audit(3), 0).value)
    report = verify(entries(values))[0]
    assert (report.problems, report.last_seq) == ([], 4)


def test_forgetting_requires_a_resume_before_the_next_seal() -> None:
    chain = AuditChain.fresh(2)
    chain.forget()
    assert chain.loaded() == set()
    chain.resume(1, None)
    assert json.loads(chain.seal(audit(0), 3).value)["chain"]["seq"] == 1


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, b"1"), (1e21, b"1e+21"), (1e-7, b"1e-7"), (0.000001, b"0.000001"), (-0.5, b"-0.5"),
    (123.456, b"123.456"), (100.0, b"100"), (2**53, b"9007199254740992"), (True, b"true"),
    ({"b": [1, "é\n"], "a": None}, b'{"a":null,"b":[1,"\xc3\xa9\\n"]}'),
    ({"\u00e9": 1, "z": 2, "\U0001f600": 3, "\uff61": 4},
     '{"z":2,"é":1,"\U0001f600":3,"\uff61":4}'.encode()),
])
def test_canonical_json_follows_rfc_8785(value: object, expected: bytes) -> None:
    assert canonical_bytes(value) == expected
