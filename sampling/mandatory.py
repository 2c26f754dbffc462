"""Reasons a result must be reviewed whatever the sample or the budget."""

from __future__ import annotations

from policies.action_result import ActionResult
from policies.decision import Decision
from policies.match import matches
from policies.sections.autonomy import LEVEL_NAMES, Scope
from policies.sections.sampling import Mandatory

QUARANTINED = "quarantined"
FIRST_TIME = "first_time_agent_action"
SUPERVISED = "autonomy_level_0"  # the agent is supervised for this action class
AUTONOMY_SCOPE = "autonomy_scope"  # outside what the agent's level may do unreviewed
JOB_ID_REUSED = "job_id_reused"  # the job_id was seen before with other content


def mandatory_reasons(result: ActionResult, decision: Decision, entities: frozenset[str],
                      rules: Mandatory, first_time: bool,
                      supervised: bool = False, reused: bool = False) -> tuple[str, ...]:
    """Every mandatory reason that applies, in a fixed order (empty: not mandatory).
    `supervised`: the agent is at autonomy level 0 for the action's class, so every result
    is reviewed. `reused`: the job_id was seen before with other content (always reviewed,
    whatever the policy says)."""
    reasons: list[str] = []
    if decision is Decision.QUARANTINE:
        reasons.append(QUARANTINED)
    if reused:
        reasons.append(JOB_ID_REUSED)
    if (rules.amount_usd_above is not None and result.amount_usd is not None
            and result.amount_usd > rules.amount_usd_above):
        reasons.append(f"amount_usd_above:{rules.amount_usd_above:g}")
    if (rules.affected_users_above is not None and result.affected_users is not None
            and result.affected_users > rules.affected_users_above):
        reasons.append(f"affected_users_above:{rules.affected_users_above}")
    if rules.first_time_agent_action and first_time:
        reasons.append(FIRST_TIME)
    if supervised:
        reasons.append(SUPERVISED)
    for matcher in rules.matchers:
        if matches(matcher.when, result) and (not matcher.entities
                                               or entities & set(matcher.entities)):
            reasons.append(f"matcher:{matcher.id}")
    return tuple(reasons)


def scope_reasons(result: ActionResult, level: int, scope: Scope) -> tuple[str, ...]:
    """Why this result stays reviewed at the agent's autonomy level: one reason per scope rule
    it falls under, naming the level and the rule (`autonomy_scope:assisted:writes`)."""
    return tuple(f"{AUTONOMY_SCOPE}:{LEVEL_NAMES[level]}:{rule.id}" for rule in scope.reviewed
                 if matches(rule.when, result)
                 and (rule.unless is None or not matches(rule.unless, result)))
