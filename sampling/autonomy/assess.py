"""The evidence of one pair measured against the policy, with exact binomial bounds.

Promotion to level L+1 needs, over L+1's review period (and since the last demotion), at least
`min_successful_actions` approved reviews AND the Clopper–Pearson upper bound of the error rate
below L+1's `max_error_rate`. Demotion needs the lower bound above `demotion.error_rate_above`
over the current level's review period. The policy requires every promotion threshold to lie
below the demotion threshold, and lower bound ≤ observed rate ≤ upper bound, so no evidence can
both promote and demote: the band between the two bounds is the hysteresis that stops flapping.
"""

from __future__ import annotations

from datetime import datetime

from policies.sections.autonomy import AutonomyPolicy
from sampling.autonomy.evidence import Bucket, window
from sampling.autonomy.state import DemotionWatch, PromotionOutlook
from sampling.bounds import cached_lower_bound, cached_upper_bound, clean_reviews_needed

LIMIT = 1_000_000  # more clean reviews than this: reported as out of reach (None)


def promotion_outlook(buckets: tuple[Bucket, ...], level: int, since: datetime | None,
                      policy: AutonomyPolicy, now: datetime) -> PromotionOutlook | None:
    """Where the pair stands for level + 1 (None at the top level)."""
    if level >= len(policy.levels) - 1:
        return None
    criteria = policy.levels[level + 1].promotion
    assert criteria is not None  # validated: every level above 0 has promotion criteria
    seen = window(buckets, now, criteria.review_period, since)
    upper = cached_upper_bound(seen.errors, seen.reviews, criteria.confidence)
    short = max(0, criteria.min_successful_actions - seen.successful)
    by_bound = clean_reviews_needed(seen.errors, seen.reviews, criteria.max_error_rate,
                                    criteria.confidence, LIMIT)
    needed = None if by_bound is None else max(short, by_bound)
    return PromotionOutlook(
        to_level=level + 1, window_start=seen.start, reviews=seen.reviews, errors=seen.errors,
        successful=seen.successful, min_successful_actions=criteria.min_successful_actions,
        error_rate_upper=upper, max_error_rate=criteria.max_error_rate,
        confidence=criteria.confidence, eligible=needed == 0, clean_reviews_needed=needed)


def demotion_watch(buckets: tuple[Bucket, ...], level: int, since: datetime | None,
                   policy: AutonomyPolicy, now: datetime) -> DemotionWatch | None:
    """The current level's evidence against the demotion threshold (None at level 0)."""
    if level == 0:
        return None
    criteria = policy.levels[level].promotion
    assert criteria is not None
    seen = window(buckets, now, criteria.review_period, since)
    rule = policy.demotion
    return DemotionWatch(
        window_start=seen.start, reviews=seen.reviews, errors=seen.errors,
        error_rate_lower=cached_lower_bound(seen.errors, seen.reviews, rule.confidence),
        error_rate_above=rule.error_rate_above, confidence=rule.confidence)


def credibly_too_many_errors(watch: DemotionWatch | None) -> bool:
    return watch is not None and watch.error_rate_lower > watch.error_rate_above
