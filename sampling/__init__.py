"""Mandatory and stratified sampling for post-hoc review: keyed deterministic draws, reviewer
budgets and routing. Pure: the stream shell owns the state (first-seen table, budget ledger)."""

import detectors  # noqa: F401  first: its guard decides how compiled modules load
from sampling.budget import BudgetLedger
from sampling.draw import SamplingKey, draw
from sampling.record import FindingRef, ReviewItem, SamplingRecord
from sampling.sampler import Sampler
from sampling.strata import Stratum, stratum_for
from sampling.verdict import Verdict, VerdictKind

__all__ = ["BudgetLedger", "FindingRef", "ReviewItem", "Sampler", "SamplingKey", "SamplingRecord",
           "Stratum", "Verdict", "VerdictKind", "draw", "stratum_for"]
