"""`afterguard autonomy show`: one pair's level and the evidence behind it, as text."""

from __future__ import annotations

from policies.conditions import Match
from policies.sections.autonomy import AutonomyPolicy, Level
from sampling.autonomy import AutonomyRecord


def describe_match(match: Match) -> str:
    """A `when` condition in words (`risk_tags delete`); an empty one is `every result`."""
    fields = match.model_dump(exclude_defaults=True, mode="json")
    return "; ".join(f"{name} {', '.join(map(str, value)) if isinstance(value, list) else value}"
                     for name, value in fields.items()) or "every result"


def describe_scope(level: Level) -> str:
    """What stays reviewed at this level and how the rest is sampled."""
    if level.level == 0:
        return "every result is reviewed"
    rules = [f"{rule.id} ({describe_match(rule.when)}"
             + (f" unless {describe_match(rule.unless)})" if rule.unless else ")")
             for rule in level.scope.reviewed]
    reviewed = "; ".join(rules) if rules else "nothing beyond the mandatory reasons"
    return (f"reviewed: {reviewed}; everything else sampled at "
            f"{level.scope.sampling_factor:g} x the stratified rate")


def render(record: AutonomyRecord, autonomy: AutonomyPolicy | None = None) -> list[str]:
    r = record
    t = r.totals
    lines = [(f"{r.identity}  {r.action_class}  level {r.level} {r.level_name} "
             f"(since {r.level_since:%Y-%m-%d %H:%M} UTC)"),
             (f"  agent ids its results claimed (labels, newest last): "
              f"{', '.join(r.agent_ids) or 'none yet'}"),
             (f"  seen: {t.decisions} decided, {t.quarantined} quarantined, "
             f"{t.selected_for_review} sent for review; {t.reviews} reviewed, {t.errors} "
             f"errors ({t.confirmed_quarantines} confirmed quarantines), {t.incidents} "
             f"incidents; {t.automatic_verdicts} automatic verdicts and {t.second_reviews} "
             f"second reviews not counted")]
    if autonomy is not None:
        lines.append(f"  scope: {describe_scope(autonomy.levels[r.level])}")
    if r.evidence_since is not None:
        lines.append(f"  evidence counts from {r.evidence_since:%Y-%m-%d %H:%M} UTC "
                     f"(the last demotion or incident)")
    p = r.promotion
    if p is not None:
        needed = ("out of reach for now" if p.clean_reviews_needed is None else
                  "criteria met" if p.eligible else
                  f"needs {p.clean_reviews_needed} more clean reviews")
        lines.append(f"  to level {p.to_level}: {p.successful}/{p.min_successful_actions} "
                     f"successful, {p.errors} errors in {p.reviews} reviews since "
                     f"{p.window_start:%Y-%m-%d %H:%M}; error-rate upper bound "
                     f"{p.error_rate_upper:.4f} (must be < {p.max_error_rate:g} at "
                     f"{p.confidence:g}): {needed}")
    d = r.demotion
    if d is not None:
        lines.append(f"  demotion watch: error-rate lower bound {d.error_rate_lower:.4f} over "
                     f"{d.reviews} reviews (demoted above {d.error_rate_above:g} at "
                     f"{d.confidence:g})")
    if r.pending is not None:
        lines.append(f"  PENDING: promotion to level {r.pending.to_level} proposed "
                     f"{r.pending.proposed_at:%Y-%m-%d %H:%M} UTC; sign off with: afterguard "
                     f"autonomy approve {r.identity} --action-class {r.action_class} --level "
                     f"{r.pending.to_level} (as the holder of an operator signing key)")
    c = r.last_change
    if c is not None:
        by = f" by {c.approver_id}" if c.approver_id else ""
        lines.append(f"  last change: {c.from_level} -> {c.to_level} ({c.trigger}{by}) "
                     f"{c.at:%Y-%m-%d %H:%M} UTC: {c.reason}")
    lines.append(f"  policy {r.policy_snapshot}, updated {r.updated_at:%Y-%m-%d %H:%M:%S} UTC")
    return lines
