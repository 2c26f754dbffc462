"""Decide whether a result goes to human review, and to which group. Pure: the caller owns the
first-seen state and the budget ledger and passes them in."""

from __future__ import annotations

from datetime import datetime

from policies.action_result import ActionResult
from policies.decision import Decision
from policies.match import Cuts, match_facts, signal_cuts
from policies.sections.autonomy import AutonomyPolicy, Scope
from policies.sections.routing import RoutingPolicy
from policies.sections.sampling import SamplingPolicy
from sampling.budget import BudgetLedger
from sampling.draw import SamplingKey, draw
from sampling.mandatory import FIRST_TIME, mandatory_reasons, scope_reasons
from sampling.record import SamplingRecord
from sampling.routing import route
from sampling.strata import Stratum, stratum_for


class Sampler:
    def __init__(self, policy: SamplingPolicy, routing: RoutingPolicy | None, key: SamplingKey,
                 policy_snapshot: str, ledger: BudgetLedger | None = None,
                 autonomy: AutonomyPolicy | None = None, cuts: Cuts | None = None) -> None:
        """`cuts`: the thresholds of the policy's signals (`policies.match.policy_cuts` of the
        whole policy, so the decide stage's facts of a result serve here too); at least those
        of these sections, which are worked out when not given."""
        self.policy, self.routing, self.key = policy, routing, key
        self.cuts = cuts if cuts is not None else signal_cuts(policy, routing, autonomy)
        self.snapshot = policy_snapshot
        self.ledger = ledger if ledger is not None else BudgetLedger(dict(policy.budgets))
        self.autonomy = autonomy
        self._strata: dict[tuple[tuple[str, ...], float], Stratum] = {}
        self._reasons: dict[tuple[object, ...], tuple[str, ...]] = {}
        self._groups: dict[tuple[object, ...], str] = {}
        self._judged: dict[tuple[object, ...], tuple[tuple[str, ...], Stratum, str]] = {}

    def _stratum(self, risk_tags: tuple[str, ...], factor: float) -> Stratum:
        """`stratum_for` under this sampler's policy, remembered per tags and factor (results
        repeat them; a bounded number: tags come from the agents)."""
        known = self._strata.get((risk_tags, factor))
        if known is None:
            if len(self._strata) >= 4096:
                self._strata.clear()
            known = self._strata[(risk_tags, factor)] = stratum_for(risk_tags, self.policy,
                                                                     factor)
        return known

    def _reasons_of(self, view: ActionResult, decision: Decision, entities: frozenset[str],
                    first_time: bool, level: int | None, scope: Scope | None,
                    reused: bool) -> tuple[str, ...]:
        """The mandatory and scope reasons of one view: they depend on its facts
        (`match_facts`) and the arguments alone, which repeat from result to result, so they
        are remembered per those (a bounded number: facts come from the agents)."""
        key = (match_facts(view, self.cuts), decision, entities, first_time, level, reused)
        known = self._reasons.get(key)
        if known is None:
            if len(self._reasons) >= 4096:
                self._reasons.clear()
            known = mandatory_reasons(view, decision, entities, self.policy.mandatory,
                                      first_time, supervised=level == 0 and scope is not None,
                                      reused=reused)
            if scope is not None:
                known += scope_reasons(view, level or 0, scope)
            self._reasons[key] = known
        return known

    def _group(self, result: ActionResult, entities: frozenset[str]) -> str:
        """`route` under this sampler's routing, remembered per facts and entities."""
        key = (match_facts(result, self.cuts), entities)
        known = self._groups.get(key)
        if known is None:
            if len(self._groups) >= 4096:
                self._groups.clear()
            known = self._groups[key] = route(result, entities, self.routing)
        return known

    def _judge(self, views: tuple[ActionResult, ...], decision: Decision,
               entities: frozenset[str], first_time: bool, level: int | None,
               reused: bool) -> tuple[tuple[str, ...], Stratum, str]:
        """A result's mandatory and scope reasons (of all its views, each once, in order; before
        the first-time limit), its stratum and its reviewer group: they depend on its views'
        facts (`match_facts`) and the arguments alone, so they are remembered per those in one
        entry (a bounded number), not looked up piece by piece per view."""
        key = (tuple([match_facts(view, self.cuts) for view in views]), decision, entities,
               first_time, level, reused)
        known = self._judged.get(key)
        if known is None:
            if len(self._judged) >= 4096:
                self._judged.clear()
            scope = None
            if self.autonomy is not None and level is not None:
                scope = self.autonomy.levels[level].scope
            scoped = level if scope is not None else None  # without a scope the level adds none
            found: list[str] = []
            for view in views:
                found += self._reasons_of(view, decision, entities, first_time, scoped, scope,
                                          reused)
            factor = scope.sampling_factor if scope is not None else 1.0
            stratum = self._stratum(views[0].risk_tags, factor)
            for view in views[1:]:  # the more likely stratum; the trusted view's on a tie
                other = self._stratum(view.risk_tags, factor)
                if other.probability > stratum.probability:
                    stratum = other
            known = self._judged[key] = (tuple(dict.fromkeys(found)), stratum,
                                         self._group(views[-1], entities))  # the claimed view
        return known

    def sample(self, result: ActionResult, decision: Decision, entities: frozenset[str],
               first_time: bool, now: datetime, level: int | None = None, *, job_hash: str,
               reused: bool = False, trusted: ActionResult | None = None,
               share_holder: str | None = None) -> SamplingRecord:
        """`level`: the agent's autonomy level for this action's class (None: no autonomy
        section). Level 0 reviews every result; a higher level reviews what its scope keeps
        reviewed and samples the rest at the stratified rate times its sampling factor.
        `job_hash`: the content's hash, part of the draw. `reused`: the job_id was seen before
        with other content (a mandatory reason). `result` is the claimed view and `trusted`
        what the policy's bindings vouch for (policies/claims.py): mandatory reasons of either
        apply and the more likely stratum is used, so a claim can add review, never remove it.
        `share_holder`: whom the budget's per-agent share and the first-time review limit are
        counted for (the verified identity, policies.claims.verified_identity; None: the agent
        id). A result whose only mandatory reason is its first time is reviewed within the
        identity's `first_time_limit`; past it, it is sampled like the rest and its record says
        `first_time_over_limit`."""
        views = (result,) if trusted is None or trusted is result else (trusted, result)
        reasons, stratum, group = self._judge(views, decision, entities, first_time, level,
                                              reused)
        over_limit = False
        if reasons == (FIRST_TIME,):  # reviewed only because it is a first time: limited
            holder = share_holder or result.agent_id
            limit = self.policy.mandatory.first_time_limit
            if not self.ledger.admit_first_time(holder, now, limit):
                reasons, over_limit = (), True
        value = draw(self.key, result.job_id, job_hash, self.snapshot)
        drawn = value < stratum.probability
        dropped, window, alert, because = False, None, False, None
        if reasons:
            alert = self.ledger.note_mandatory(group, now)
        elif drawn:
            admission = self.ledger.admit(group, now, share_holder or result.agent_id)
            dropped, window = not admission.admitted, admission.window_start
            because = admission.dropped_because
        return _record({
            "selected": bool(reasons) or (drawn and not dropped),
            "mandatory_reasons": reasons,
            "stratum": stratum.name,
            "weight": stratum.weight,
            "probability": stratum.probability,
            "draw": value,
            "drawn": drawn,
            "budget_dropped": dropped,
            "budget_window_start": window,
            "budget_drop_reason": because,
            "mandatory_over_budget": alert,
            "first_time_over_limit": over_limit,
            "inclusion_probability": 1.0 if reasons else stratum.probability,
            "reviewer_group": group,
            "key_id": self.key.key_id,
        })


def _record(fields: dict[str, object]) -> SamplingRecord:
    """`SamplingRecord(**fields)` for `fields` this sampler made, all of them in the model's
    order, each already of its field's type (bools, floats, strings, a tuple of strings, a
    datetime or None): validating them would give them back as they are, so the record is
    made as pydantic's own copy makes one (the validation was a tenth of the sample stage).
    tests/unit/sampling/test_sampling_record_built.py validates every record it makes and
    compares."""
    record = _NEW(SamplingRecord)
    _SET(record, "__dict__", fields)
    _SET(record, "__pydantic_extra__", None)
    _SET(record, "__pydantic_fields_set__", set(fields))
    _SET(record, "__pydantic_private__", None)
    return record


_NEW, _SET = object.__new__, object.__setattr__
