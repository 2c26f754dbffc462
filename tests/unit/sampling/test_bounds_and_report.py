"""Confidence bounds and the sampling report's estimates."""

from __future__ import annotations

from typing import Any

import pytest

from sampling.bounds import clean_reviews_needed, lower_bound, upper_bound
from sampling.report import build_report, render


@pytest.mark.parametrize(("errors", "n", "upper"), [
    (0, 50, 0.0582),   # the example: zero errors in 50 reviews
    (0, 150, 0.0198),
    (5, 100, 0.1023),
    (50, 50, 1.0),
])
def test_clopper_pearson_upper_bounds(errors: int, n: int, upper: float) -> None:
    assert upper_bound(errors, n) == pytest.approx(upper, abs=5e-4)


def test_lower_bound_and_ordering() -> None:
    assert lower_bound(0, 10) == 0.0
    assert lower_bound(5, 100) == pytest.approx(0.0199, abs=5e-4)
    assert lower_bound(5, 100) < 0.05 < upper_bound(5, 100)


def test_clean_reviews_needed_to_show_a_two_percent_rate() -> None:
    assert clean_reviews_needed(0, 50, 0.02) == 99
    assert upper_bound(0, 50 + 99) < 0.02 <= upper_bound(0, 50 + 98)
    assert clean_reviews_needed(0, 500, 0.02) == 0


def sampling(stratum: str, p: float, selected: bool, mandatory: bool = False,
             dropped: bool = False, window: str | None = None) -> dict[str, Any]:
    return {"stratum": stratum, "probability": p, "inclusion_probability": 1.0 if mandatory else p,
            "drawn": selected or dropped, "selected": selected, "budget_dropped": dropped,
            "mandatory_reasons": ["quarantined"] if mandatory else [],
            "budget_window_start": window, "reviewer_group": "ops-review"}


def audit(job: str, s: dict[str, Any]) -> dict[str, Any]:
    return {"event_type": "decision", "job_id": job, "sampling": s}


def test_weighted_error_rate_counts_rare_strata_by_their_inverse_probability() -> None:
    # 'prod' sampled at 0.5 with 1 error in 2 reviews, 'read' at 0.1 with 0 errors in 1 review.
    audits = [audit("a", sampling("prod", 0.5, True)), audit("b", sampling("prod", 0.5, True)),
              audit("c", sampling("prod", 0.5, False)), audit("d", sampling("read", 0.1, True))]
    report = build_report(audits, {"a": True, "b": False, "d": False})
    assert report.strata["prod"].results == 3 and report.strata["prod"].errors == 1
    # weights 2, 2, 10: error share 2 / 14
    assert report.error_rate == pytest.approx(2 / 14)
    assert report.error_bounds is not None and report.error_bounds[1] > report.error_rate
    assert "weighted error rate 0.1429" in render(report)


def test_budget_drops_lower_the_realised_inclusion_probability() -> None:
    w = "2026-11-21T12:00:00Z"
    audits = [audit("a", sampling("prod", 0.5, True, window=w)),
              audit("b", sampling("prod", 0.5, False, dropped=True, window=w))]
    report = build_report(audits, {"a": True})
    assert report.strata["prod"].budget_dropped == 1
    assert report.effective_n == pytest.approx(1.0)  # one reviewed item, weight 1/(0.5 × 1/2)


def test_an_agents_realised_probability_counts_only_its_own_drops() -> None:
    """A flooding agent over its share of a budget has its drawn items dropped; another
    agent's items of the same group and window were all admitted and keep their weight."""
    w = "2026-11-21T12:00:00Z"
    flood = [{**audit(f"f{i}", sampling("prod", 0.5, i == 0, dropped=i > 0, window=w)),
              "agent_id": "agent-flood"} for i in range(4)]
    quiet = [{**audit("q", sampling("prod", 0.5, True, window=w)), "agent_id": "agent-quiet"}]
    report = build_report(flood + quiet, {"f0": False, "q": True})
    # weights: the flooder's reviewed item 1/(0.5 x 1/4) = 8, the other's 1/0.5 = 2
    assert report.error_rate == pytest.approx(2 / 10)


def test_report_without_verdicts_says_so() -> None:
    report = build_report([audit("a", sampling("default", 0.05, False))], {})
    assert report.error_rate is None and "no verdicts yet" in render(report)


@pytest.mark.parametrize(("errors", "n", "target"), [(3, 50, 0.10), (1, 20, 0.05), (0, 0, 0.2),
                                                     (10, 100, 0.15)])
def test_clean_reviews_needed_is_the_fewest_that_show_the_target(errors: int, n: int,
                                                                 target: float) -> None:
    needed = clean_reviews_needed(errors, n, target)
    assert needed is not None
    assert upper_bound(errors, n + needed) < target
    assert needed == 0 or upper_bound(errors, n + needed - 1) >= target
