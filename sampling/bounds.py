"""Exact binomial confidence bounds (Clopper–Pearson), without scipy.

Used wherever a rate is claimed from reviews: "zero errors in 50 reviews" only shows an error
rate below about 5.8% at 95% confidence, not below 2%.
"""

from __future__ import annotations

import math
from functools import lru_cache


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n or p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    log_odds = math.log(p) - math.log1p(-p)
    log_term = n * math.log1p(-p)  # log P(X = 0); each next term by the ratio of neighbours
    total = math.exp(log_term)
    for i in range(k):
        log_term += math.log((n - i) / (i + 1)) + log_odds
        total += math.exp(log_term)
    return min(1.0, total)


def upper_bound(errors: int, n: int, confidence: float = 0.95) -> float:
    """One-sided Clopper–Pearson upper bound on the rate: the largest p with
    P(X <= errors | n, p) >= 1 - confidence."""
    _check(errors, n, confidence)
    if n == 0 or errors >= n:
        return 1.0
    alpha = 1.0 - confidence
    low, high = errors / n, 1.0
    for _ in range(100):
        mid = (low + high) / 2
        if not low < mid < high:
            break  # adjacent floats: nothing left to halve
        if binomial_cdf(errors, n, mid) > alpha:
            low = mid
        else:
            high = mid
    return high


def lower_bound(errors: int, n: int, confidence: float = 0.95) -> float:
    """One-sided Clopper–Pearson lower bound: the smallest p with P(X >= errors | n, p) >= 1 - c."""
    _check(errors, n, confidence)
    if errors == 0:
        return 0.0
    alpha = 1.0 - confidence
    low, high = 0.0, errors / n
    for _ in range(100):
        mid = (low + high) / 2
        if not low < mid < high:
            break  # adjacent floats: nothing left to halve
        if 1.0 - binomial_cdf(errors - 1, n, mid) < alpha:
            low = mid
        else:
            high = mid
    return low


def clean_reviews_needed(errors: int, n: int, target: float, confidence: float = 0.95,
                         limit: int = 1_000_000) -> int | None:
    """The fewest more error-free reviews m with upper_bound(errors, n + m) < target (None:
    beyond `limit`). The search starts where it can first succeed — the bound is never below
    the observed rate, so errors / (n + m) < target — and bounds are cached, because the
    autonomy scorer asks after every verdict."""
    if cached_upper_bound(errors, n, confidence) < target:
        return 0
    low = max(0, math.floor(errors / target) - n)  # m <= low cannot succeed
    step = max(1, low // 4)
    high = low + step
    while cached_upper_bound(errors, n + high, confidence) >= target:
        low, step = high, step * 2
        high = low + step
        if high > limit:
            return None
    while high - low > 1:
        mid = (low + high) // 2
        if cached_upper_bound(errors, n + mid, confidence) < target:
            high = mid
        else:
            low = mid
    return high


@lru_cache(maxsize=65_536)
def cached_upper_bound(errors: int, n: int, confidence: float) -> float:
    return upper_bound(errors, n, confidence)


@lru_cache(maxsize=65_536)
def cached_lower_bound(errors: int, n: int, confidence: float) -> float:
    return lower_bound(errors, n, confidence)


def _check(errors: int, n: int, confidence: float) -> None:
    if not 0 <= errors <= n:
        raise ValueError(f"need 0 <= errors <= n, got errors={errors}, n={n}")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence}")
