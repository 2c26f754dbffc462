"""The frozen dataclasses the worker makes several of per result (`Emit`, the audit chain's
`Sealed` and `ChainHead`, the policy's `Outcome`, `RuledFinding` and `SpanEdit`) write their
`__init__` out and set their fields in one step, as the instance's dict: each must be the
instance the dataclass's generated `__init__` makes, field for field and in order, equal,
hashed and printed alike, with its defaults."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from detectors import Finding
from policies.decide import Outcome, RuledFinding
from policies.decision import Decision
from policies.operators import Mask
from policies.redact import SpanEdit
from streams.audit.chain import ChainHead, Sealed
from streams.worker.pipeline import Emit

FINDING = Finding(entity="EMAIL_ADDRESS", path="a.b", start=1, end=4, score=0.9, detector="d")
CASES: list[tuple[type[Any], tuple[Any, ...], dict[str, Any]]] = [
    (Emit, ("afterguard.audit", b"t/j1", b"{}", 2), {}),
    (Emit, ("afterguard.released", None, b"{}"), {}),
    (Emit, ("t",), {"value": b"v", "key": b"k"}),
    (Sealed, (1, b"{}"), {}),
    (ChainHead, (3,), {"hash": "sha256:" + "0" * 64}),
    (RuledFinding, (FINDING, "r1", Decision.REDACT), {}),
    (RuledFinding, (FINDING, "r1", Decision.ALLOW, ("r1", "r2")), {}),
    (SpanEdit, ("a.b", 1, 4, "EMAIL_ADDRESS", Mask()), {}),
    (Outcome, (Decision.QUARANTINE, {"a": 1}, (), ("fail-closed",), ("x",), ()), {}),
    (Outcome, (Decision.REDACT, "o", (), ("r",), (), ()),
     {"allowed": (), "scanned_output": "s", "output_withheld": None}),
]


def _generated(cls: type[Any]) -> type[Any]:
    """`cls` as `@dataclass(frozen=True)` makes it, with the generated `__init__`."""
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    return dataclasses.make_dataclass(
        cls.__name__, [(f.name, f.type, f) if f.default is not dataclasses.MISSING
                       else (f.name, f.type) for f in dataclasses.fields(cls)],
        frozen=params.frozen, eq=params.eq)


@pytest.mark.parametrize(("cls", "args", "kwargs"), CASES)
def test_a_value_set_whole_is_the_generated_init_s(cls: type[Any], args: tuple[Any, ...],
                                                    kwargs: dict[str, Any]) -> None:
    made, generated = cls(*args, **kwargs), _generated(cls)(*args, **kwargs)
    assert list(vars(made).items()) == list(vars(generated).items())  # fields, in order
    assert dataclasses.astuple(made) == dataclasses.astuple(generated)
    assert made == cls(*args, **kwargs)
    assert repr(made) == repr(generated).replace(f"types.{cls.__name__}", cls.__name__)
    try:
        expected = hash(generated)
    except TypeError:  # a field that is not hashable (an output)
        expected = None
    if expected is not None:
        assert hash(made) == hash(cls(*args, **kwargs)) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.extra = 1


def test_a_missing_field_is_refused_as_before() -> None:
    with pytest.raises(TypeError):
        Emit("t", b"k")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ChainHead(1)  # type: ignore[call-arg]
