"""Sampling for review inside the pipeline: the sampling record for the audit trail and, for
selected results, the review item. Pure; the first-seen state and budget ledger are passed in."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from policies import ActionResult, Decision, HashKey, LoadedPolicy, Outcome
from policies.claims import mark_holder, verified_identity
from policies.decision import Located, Redaction
from policies.match import policy_cuts
from policies.omission import Omission
from policies.operators import Replace
from policies.redact import SpanEdit, apply
from policies.sections.sampling import KeyRef
from sampling import BudgetLedger, Sampler, SamplingKey, SamplingRecord
from sampling.autonomy import action_class
from sampling.budget import window_start
from sampling.mandatory import JOB_ID_REUSED, QUARANTINED
from sampling.record import item_id_for
from sampling.routing import route
from streams.worker.list_bounds import DEFAULT_LIMIT, RecordBounds
from streams.worker.result_records import source_fields

log = logging.getLogger(__name__)

_REPLACE = Replace()  # frozen: one for every placeholder a reviewer sees
WITHHELD = "[WITHHELD: decided fail-closed; the raw output is on the quarantine topic]"

# Marks (agent_id, action) as seen and says whether it was the first time.
FirstSeen = Callable[[str, str], bool]
# The autonomy level of (verified identity, action class); None when the scorer has not scored
# it (policies.claims.verified_identity: never a claimed agent id).
AutonomyLevel = Callable[[str, str], int | None]
# Takes back the mark FirstSeen just made for (key, action) (a first time past the limit).
ForgetFirstSeen = Callable[[str, str], None]
# Notes (job_id, job_hash) and says whether the id was seen before with other content.
JobIdReused = Callable[[str, str], bool]


class ReviewStage:
    """Keeps one Sampler per policy snapshot; the budget ledger outlives policy reloads."""

    def __init__(self, key_for: Callable[[KeyRef], SamplingKey] | None, first_seen: FirstSeen,
                 ledger: BudgetLedger | None = None,
                 autonomy_level: AutonomyLevel | None = None,
                 job_id_reused: JobIdReused | None = None,
                 forget_first_seen: ForgetFirstSeen | None = None) -> None:
        self.key_for, self.first_seen = key_for, first_seen
        self.forget_first_seen = forget_first_seen
        self.job_id_reused = job_id_reused
        self.ledger = ledger
        self.autonomy_level = autonomy_level
        self._sampler: tuple[str, Sampler] | None = None
        self._share = 1.0
        self._over_limit_warned: set[tuple[str, datetime]] = set()

    def set_share(self, share: float) -> None:
        """This worker's share of the input partitions; its budgets are scaled to it."""
        self._share = share
        if self.ledger is not None:
            self.ledger.share = share

    def _sampler_for(self, policy: LoadedPolicy) -> Sampler | None:
        sampling = policy.policy.sampling
        if sampling is None or self.key_for is None:
            return None
        if self._sampler is None or self._sampler[0] != policy.snapshot:
            if self.ledger is None:
                self.ledger = BudgetLedger(dict(sampling.budgets), share=self._share)
            else:
                self.ledger.budgets = dict(sampling.budgets)
            key = self.key_for(sampling.key)
            self._sampler = (policy.snapshot, Sampler(sampling, policy.policy.routing, key,
                                                      policy.snapshot, self.ledger,
                                                      policy.policy.autonomy,
                                                      policy_cuts(policy.policy)))
        return self._sampler[1]

    def sample(self, result: ActionResult, outcome: Outcome, policy: LoadedPolicy,
               now: datetime, job_hash: str,
               trusted: ActionResult | None = None,
               topic: str | None = None) -> SamplingRecord | None:
        """The sampling record; None when the policy has no sampling section (and the result
        is neither quarantined nor a reused job_id). `topic`: the input topic: with the
        policy's identities it gives the verified identity (policies.claims.verified_identity)
        the autonomy level, the budget share and the first-time review limit are kept for."""
        entities = frozenset([r.finding.entity for r in outcome.ruled])
        trust = policy.policy.trust
        identity = verified_identity(trust, topic, result.agent_id, result.action)
        mark = mark_holder(identity, topic, result.agent_id)  # first_seen_holder's
        first_time = self.first_seen(mark, result.action)
        reused = (self.job_id_reused is not None
                  and self.job_id_reused(result.job_id, job_hash))
        if reused:
            log.warning("job_id seen again with other content (%s): sent for review",
                        job_hash, extra={"job_hash": job_hash})
        sampler = self._sampler_for(policy)
        if sampler is not None:
            record = sampler.sample(result, outcome.decision, entities, first_time, now,
                                    self.level(result, policy, identity), job_hash=job_hash,
                                    reused=reused, trusted=trusted,
                                    share_holder=result.agent_id if topic is None else identity)
            if record.first_time_over_limit:
                if self.forget_first_seen is not None:
                    self.forget_first_seen(mark, result.action)
                self._first_time_over_limit(identity, policy, now)
            if record.mandatory_over_budget:
                log.warning("ALERT: mandatory review volume of group %s is over its budget for "
                            "this window; mandatory items are never dropped",
                            record.reviewer_group)
            return record
        reasons = tuple(reason for reason, holds in (
            (QUARANTINED, outcome.decision is Decision.QUARANTINE), (JOB_ID_REUSED, reused))
            if holds)
        if not reasons:
            return None
        # No sampling section: quarantined results and reused ids are still reviewed.
        return SamplingRecord(
            selected=True, mandatory_reasons=reasons, stratum="unsampled", weight=0.0,
            probability=0.0, draw=0.0, drawn=False, budget_dropped=False,
            budget_window_start=None, inclusion_probability=1.0,
            reviewer_group=route(result, entities, policy.policy.routing), key_id="none")

    def _first_time_over_limit(self, identity: str, policy: LoadedPolicy, now: datetime) -> None:
        """Warn once per verified identity and window that its first times are over the limit."""
        sampling = policy.policy.sampling
        if sampling is None:
            return
        limit = sampling.mandatory.first_time_limit
        window = window_start(limit.window.total_seconds(), now)
        if (identity, window) in self._over_limit_warned:
            return
        if len(self._over_limit_warned) >= 1024:
            self._over_limit_warned.clear()
        self._over_limit_warned.add((identity, window))
        log.warning("ALERT: %s used up its first-time reviews for the window from %s "
                    "(sampling.mandatory.first_time_limit: %d per %s over all workers); its "
                    "further first times are decided, audited with first_time_over_limit and "
                    "sampled like the rest", identity, window.isoformat(), limit.max_reviews,
                    limit.window)

    def level(self, result: ActionResult, policy: LoadedPolicy, identity: str) -> int | None:
        """The autonomy level of the result's verified identity (`identity`, never its
        claimed agent id) for the action's class: the scorer's level, or the policy's initial
        level for a pair it has not scored. No autonomy section: None."""
        autonomy = policy.policy.autonomy
        if autonomy is None or self.autonomy_level is None:
            return None
        level = self.autonomy_level(identity,
                                    action_class(result.action, autonomy.action_classes))
        return autonomy.initial_level if level is None else level

    def review_item(self, result: ActionResult, job_hash: str, outcome: Outcome,
                    record: SamplingRecord, policy: LoadedPolicy, hash_key: HashKey,
                    now: datetime, source: Located, bounds: RecordBounds | None = None,
                    redactions: tuple[tuple[Redaction, ...] | tuple[dict[str, Any], ...],
                                      Omission | None] | None = None,
                    ) -> dict[str, Any]:
        """The review item's fields (`ReviewItem`'s, in its order, as plain values: written
        by `streams.records.fields_json`, see streams/worker/result_records.py). `source`: the
        input record's place; `redactions`: the outcome's redactions as `bounds` cut them
        (worked out here when not given)."""
        bounds = bounds or RecordBounds.for_limit(DEFAULT_LIMIT)
        listed, listed_omitted = redactions or bounds.redactions(outcome.redactions)
        findings, findings_omitted = bounds.finding_refs(outcome.ruled)
        return {
            "item_id": item_id_for(source, job_hash), "job_id": result.job_id,
            "agent_id": result.agent_id, "action": result.action, "tenant": result.tenant,
            "risk_tags": result.risk_tags, "amount_usd": result.amount_usd,
            "affected_users": result.affected_users, "decision": outcome.decision,
            "output": reviewer_view(result.output, outcome, hash_key), "output_withheld": None,
            "redactions": listed, "findings": findings, "redactions_omitted": listed_omitted,
            "findings_omitted": findings_omitted, "rule_ids": outcome.rule_ids,
            "reasons": outcome.reasons, "sampling": record.__dict__,  # its fields, in order
            "policy_snapshot": policy.snapshot,
            "job_hash": job_hash, "decided_at": now, "source": source_fields(source),
            "trace_id": result.trace_id,
        }


def sampling_failed(result: ActionResult, policy: LoadedPolicy) -> SamplingRecord:
    """When sampling itself fails the result is reviewed: the error is towards more review."""
    return SamplingRecord(
        selected=True, mandatory_reasons=("sampling_error",), stratum="unsampled", weight=0.0,
        probability=0.0, draw=0.0, drawn=False, budget_dropped=False, budget_window_start=None,
        inclusion_probability=1.0, reviewer_group=_group(result, policy), key_id="none")


def _group(result: ActionResult, policy: LoadedPolicy) -> str:
    routing = policy.policy.routing
    return routing.default_group if routing is not None else "ops-review"


def reviewer_view(output: Any, outcome: Outcome, key: HashKey) -> Any:
    """The decided output with every finding replaced by its typed placeholder: a reviewer sees
    what was found and where, never the value (that stays on the quarantine topic)."""
    if outcome.failed_closed:
        return WITHHELD
    if outcome.decision is not Decision.QUARANTINE:
        return outcome.output
    spans: dict[str, list[SpanEdit]] = {}
    for ruled in outcome.ruled:
        f = ruled.finding
        spans.setdefault(f.path, []).append(SpanEdit(f.path, f.start, f.end, f.entity, _REPLACE))
    return apply(output, spans, {}, key)  # the raw output, every finding replaced

