"""The sampling hot path's shortcuts give what the plain computation gives: draws and hash
tokens by HMAC with the key's pads hashed once (policies/keyed_hash.py), and reviewer-budget
windows remembered per batch time."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from policies import HashKey
from policies.sections.sampling import Budget
from sampling import BudgetLedger, SamplingKey
from sampling.draw import draw

secrets_ = st.binary(min_size=16, max_size=100)  # past SHA-256's block: hashed first
texts = st.text(max_size=40)


@settings(max_examples=300, deadline=None)
@given(secret=secrets_, job_id=texts, job_hash=texts, snapshot=texts)
def test_a_draw_is_the_hmac_of_its_parts_read_as_a_fraction(secret: bytes, job_id: str,
                                                              job_hash: str,
                                                              snapshot: str) -> None:
    try:
        message = b"\x00".join(part.encode() for part in (job_id, job_hash, snapshot))
    except UnicodeEncodeError:
        return
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    assert draw(SamplingKey("k", secret), job_id, job_hash, snapshot) == \
        int.from_bytes(digest[:8], "big") / float(1 << 64)


@settings(max_examples=300, deadline=None)
@given(secret=secrets_, value=texts, length=st.integers(8, 64))
def test_a_hash_token_is_the_truncated_hex_hmac(secret: bytes, value: str, length: int) -> None:
    try:
        expected = hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:length]
    except UnicodeEncodeError:
        return
    assert HashKey("k", secret).token(value, length) == expected


zones = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                         timezone(-timedelta(hours=8)), timezone(timedelta(0))])
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                       timezones=zones)


@settings(max_examples=200, deadline=None)
@given(widths=st.lists(st.integers(1, 7 * 86_400), min_size=1, max_size=3),
       calls=st.lists(st.tuples(st.integers(0, 2), moments, zones), min_size=1, max_size=30))
def test_budget_windows_are_those_worked_out_afresh(
        widths: list[int], calls: list[tuple[int, datetime, timezone]]) -> None:
    ledger = BudgetLedger({f"g{i}": Budget(max_samples=5, window=timedelta(seconds=width))
                           for i, width in enumerate(widths)})
    for index, moment, zone in calls:
        for now in (moment, moment.astimezone(zone)):  # the same instant in another zone
            group = f"g{index % len(widths)}"
            width = widths[index % len(widths)]
            start = ledger.window_start(group, now)
            expected = datetime.fromtimestamp(now.timestamp() // width * width, tz=now.tzinfo)
            assert start == expected and start is not None
            assert start.utcoffset() == expected.utcoffset()
            assert start.isoformat() == expected.isoformat()
    assert ledger.window_start("unknown", calls[0][1]) is None
