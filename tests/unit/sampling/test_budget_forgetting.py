"""The budget ledger forgets a group's counts of past windows each time it counts for the
group (`_forget_before`), once per result with a note of each mandatory item. It skips the
look through its counts when it last looked for the same window start and the counts are the
same dicts of the same sizes: for any sequence of admissions, mandatory notes, first-time
admissions, windows that go back as well as forward, rollbacks (dicts put in place, as
streams/worker/batch.py does), counts given back (streams/worker/decided.py) and counts put
in place by other code, every answer
and every count must be what looking through them every time gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.sections.sampling import Budget, FirstTimeLimit
from sampling.budget import BudgetLedger

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
BUDGETS = {"ops": Budget(max_samples=3, window=timedelta(minutes=1), max_share_per_agent=0.5),
           "fin": Budget(max_samples=1, window=timedelta(seconds=30))}
LIMIT = FirstTimeLimit(max_reviews=2, window=timedelta(minutes=1))


class AlwaysLooking(BudgetLedger):
    """The ledger as it was: looks through its counts every time."""

    def _forget_before(self, group: str, start: datetime) -> None:
        for counts in (self.used, self.mandatory):
            for old in [k for k in counts if k[0] == group and k[1] < start]:
                del counts[old]
        for stale in [k for k in self.by_agent if k[0] == group and k[1] < start]:
            del self.by_agent[stale]


NOWS = st.sampled_from([0, 29, 30, 59, 60, 61, 125]).map(lambda s: T0 + timedelta(seconds=s))
GROUPS = st.sampled_from(["ops", "fin", "unbudgeted"])
STEPS = st.one_of(
    st.tuples(st.just("admit"), GROUPS, NOWS, st.sampled_from(["a", "b"])),
    st.tuples(st.just("mandatory"), GROUPS, NOWS),
    st.tuples(st.just("first_time"), st.sampled_from(["topic:x", "topic:y"]), NOWS),
    st.tuples(st.just("checkpoint")),
    st.tuples(st.just("rollback")),
    st.tuples(st.just("give_back")),
    st.tuples(st.just("put"), GROUPS, NOWS),
)


def _run(ledger: BudgetLedger, steps: list[tuple[Any, ...]]) -> list[Any]:
    seen: list[Any] = []
    saved = ({}, {}, {})  # type: tuple[dict[Any, int], dict[Any, int], dict[Any, int]]
    for step in steps:
        if step[0] == "admit":
            seen.append(ledger.admit(step[1], step[2], step[3]))
        elif step[0] == "mandatory":
            seen.append(ledger.note_mandatory(step[1], step[2]))
        elif step[0] == "first_time":
            seen.append(ledger.admit_first_time(step[1], step[2], LIMIT))
        elif step[0] == "checkpoint":
            saved = (dict(ledger.used), dict(ledger.mandatory), dict(ledger.by_agent))
        elif step[0] == "rollback":
            ledger.used, ledger.mandatory = dict(saved[0]), dict(saved[1])
            ledger.by_agent = dict(saved[2])
        elif step[0] == "put":  # a count put in place by other code: looked through again
            start = ledger.window_start(step[1], step[2]) or step[2]
            ledger.mandatory[(step[1], start)] = 1
        else:  # a batch's counts given back in place: values change, no key is added
            for counts in (ledger.used, ledger.mandatory, ledger.by_agent):
                for window in counts:
                    counts[window] = max(0, counts[window] - 1)
        seen.append((dict(ledger.used), dict(ledger.mandatory), dict(ledger.by_agent)))
    return seen


@settings(max_examples=400, deadline=None)
@given(st.lists(STEPS, max_size=40))
def test_the_counts_are_those_looking_every_time_gives(steps: list[tuple[Any, ...]]) -> None:
    assert _run(BudgetLedger(dict(BUDGETS)), steps) == _run(AlwaysLooking(dict(BUDGETS)), steps)


def test_a_window_gone_back_to_is_forgotten_when_a_later_one_is_counted() -> None:
    ledger = BudgetLedger(dict(BUDGETS))
    later = T0 + timedelta(minutes=5)
    ledger.note_mandatory("ops", later)
    ledger.note_mandatory("ops", T0)  # a clock gone back: counted in its own window
    assert ledger.mandatory == {("ops", later): 1, ("ops", T0): 1}
    ledger.note_mandatory("ops", later)
    assert ledger.mandatory == {("ops", later): 2}
