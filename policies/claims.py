"""An agent's own claims can only make its treatment stricter.

The policy's bindings (policies/sections/trust.py) give the trusted view of a result: the
audience, risk tags and floors its input topic and agent are bound to, and nothing else the
agent said about them. The claimed view adds the agent's claims: its audience if it names one,
its risk tags on top of the bound ones, its amount and affected users where above the floors.
Every step that depends on these (output, field and result rules; mandatory review, strata)
looks at both views and keeps the stricter outcome, so a claim may tighten treatment (claim
`customer` on an internal topic, add risk tags, report a larger amount) but never relax it
(claim `internal` on a customer topic, drop `prod` on a prod topic, report a smaller amount).
"""

from __future__ import annotations

from dataclasses import dataclass

from policies.action_result import ActionResult
from policies.glob import any_glob
from policies.sections.trust import Binding, Identity, TrustPolicy


@dataclass(frozen=True)
class Views:
    """The trusted view (bindings only) and the claimed view (bindings plus claims)."""

    trusted: ActionResult
    claimed: ActionResult
    bindings: tuple[str, ...]  # ids of the bindings that applied

    def __init__(self, trusted: ActionResult, claimed: ActionResult,
                 bindings: tuple[str, ...]) -> None:
        # the dataclass's own, written out: the generated one is not compiled (one per
        # result); its fields set in one step, as the instance's dict in their order
        _SET(self, "__dict__", {"trusted": trusted, "claimed": claimed, "bindings": bindings})

    def both(self) -> tuple[ActionResult, ActionResult]:
        return self.trusted, self.claimed


def applies(binding: Binding, topic: str | None, agent_id: str) -> bool:
    if binding.topics and (topic is None or not any_glob(binding.topics, topic)):
        return False
    return not binding.agents or any_glob(binding.agents, agent_id)


@dataclass(frozen=True)
class _Bound:
    """What the bindings that apply to one topic and agent id vouch for."""

    bindings: tuple[Binding, ...] = ()
    audience: str | None = None
    risk_tags: tuple[str, ...] = ()
    amount_usd: float | None = None
    affected_users: float | None = None
    ids: tuple[str, ...] = ()  # the bindings' ids

    @staticmethod
    def of(bindings: tuple[Binding, ...]) -> _Bound:
        audiences = {b.audience for b in bindings if b.audience is not None}
        amount: float | None = None
        users: float | None = None
        for b in bindings:
            amount = _max(amount, b.amount_usd_at_least)
            users = _max(users, b.affected_users_at_least)
        return _Bound(bindings,
                      "customer" if "customer" in audiences else
                      "internal" if audiences else None,
                      tuple(dict.fromkeys(tag for b in bindings for tag in b.risk_tags)),
                      amount, users, tuple(b.id for b in bindings))


_UNBOUND = _Bound()
# The bindings that apply depend on the topic and agent id alone, which repeat: remembered per
# trust section, a bounded number of each (agent ids come from the records).
_BOUND: dict[int, tuple[TrustPolicy, dict[tuple[str | None, str], _Bound]]] = {}


def _bound(trust: TrustPolicy | None, topic: str | None, agent_id: str) -> tuple[Binding, ...]:
    return _vouched(trust, topic, agent_id).bindings


def _vouched(trust: TrustPolicy | None, topic: str | None, agent_id: str) -> _Bound:
    if trust is None or not trust.bindings:
        return _UNBOUND
    entry = _BOUND.get(id(trust))
    if entry is None or entry[0] is not trust:
        if len(_BOUND) >= 8:
            _BOUND.clear()
        entry = _BOUND[id(trust)] = (trust, {})
    known = entry[1]
    bound = known.get((topic, agent_id))
    if bound is None:
        if len(known) >= 4096:
            known.clear()
        bound = known[(topic, agent_id)] = _Bound.of(tuple(
            b for b in trust.bindings if applies(b, topic, agent_id)))
    return bound


def _max(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def views(result: ActionResult, topic: str | None, trust: TrustPolicy | None) -> Views:
    """Both views of `result` read from `topic` (None: no topic, e.g. a file scanned offline,
    so only bindings without topics apply)."""
    bound = _vouched(trust, topic, result.agent_id)
    audience, tags, users = bound.audience, bound.risk_tags, bound.affected_users
    trusted = _with(result, audience, tags, bound.amount_usd,
                    None if users is None else int(users))
    claimed_users = _max(result.affected_users, users)
    claimed = _with(result, result.audience or audience,
                    tuple(dict.fromkeys((*tags, *result.risk_tags))),
                    _max(result.amount_usd, bound.amount_usd),
                    None if claimed_users is None else int(claimed_users))
    return Views(trusted, claimed, bound.ids)


def _with(result: ActionResult, audience: str | None, risk_tags: tuple[str, ...],
          amount_usd: float | None, affected_users: int | None) -> ActionResult:
    """`result` with these claims: itself where it holds them already (most results on topics
    no binding names), else a copy."""
    if (_same(result.audience, audience) and result.risk_tags == risk_tags
            and _same(result.amount_usd, amount_usd)
            and _same(result.affected_users, affected_users)):
        return result
    return _copied(result, {"audience": audience, "risk_tags": risk_tags,
                            "amount_usd": amount_usd, "affected_users": affected_users})


def _copied(result: ActionResult, update: dict[str, object]) -> ActionResult:
    """`result.model_copy(update=update)` for fields of `ActionResult`, made in one step:
    pydantic's own copy reads its configuration and copies the fields one by one in Python
    (most of the decide stage's views). The copy's state is what `model_copy` gives (set as
    pydantic's `__copy__` sets it): the fields in their order with `update` in place, its own
    copy of the extra fields, the fields set plus `update`'s, no private attributes
    (tests/unit/policies/test_copies_kept_short.py)."""
    if type(result) is not ActionResult or result.__pydantic_private__ is not None:
        return result.model_copy(update=update)
    extra = result.__pydantic_extra__
    copy = _NEW(ActionResult)
    _SET(copy, "__dict__", {**result.__dict__, **update})
    _SET(copy, "__pydantic_extra__", None if extra is None else dict(extra))
    _SET(copy, "__pydantic_fields_set__", result.__pydantic_fields_set__.union(update))
    _SET(copy, "__pydantic_private__", None)
    return copy


_NEW, _SET = object.__new__, object.__setattr__


def _same(held: object, claimed: object) -> bool:
    """Equal, of one type and written alike (1 and 1.0, True and 1, -0.0 and 0.0 are not the
    same claim)."""
    if held is claimed:
        return True
    if type(held) is not type(claimed) or held != claimed:
        return False
    return not isinstance(held, float) or repr(held) == repr(claimed)



@dataclass(frozen=True)
class IdentityCheck:
    """What `trust.identities` say of a result: `refused` names the identities of its topic when
    none allows its agent, action and tenant; else `tenant` is the tenant to decide it under
    (its own, or the identity's when it named none)."""

    refused: tuple[Identity, ...] = ()
    tenant: str | None = None


def identity_check(trust: TrustPolicy | None, topic: str | None,
                   result: ActionResult) -> IdentityCheck:
    """Whether `result` read from `topic` may be decided as its claims say (no identity names
    the topic: yes, as before)."""
    if trust is None or not trust.identities or topic is None:
        return IdentityCheck(tenant=result.tenant)
    naming = tuple(i for i in trust.identities if any_glob(i.topics, topic))
    if not naming:
        return IdentityCheck(tenant=result.tenant)
    for identity in naming:
        if not any_glob(identity.agents, result.agent_id):
            continue
        if identity.actions and not any_glob(identity.actions, result.action):
            continue
        if identity.tenant is None or result.tenant == identity.tenant:
            return IdentityCheck(tenant=result.tenant)
        if result.tenant is None:
            return IdentityCheck(tenant=identity.tenant)
    return IdentityCheck(refused=naming)


def vouched_for(trust: TrustPolicy | None, topic: str | None) -> bool:
    """Whether `trust.identities` name `topic`: then a result's agent id is one they allow
    there (a result whose agent they do not allow is refused before it is decided)."""
    return (topic is not None and trust is not None
            and any(any_glob(i.topics, topic) for i in trust.identities))


IDENTITY_PREFIX, TOPIC_PREFIX, UNVERIFIED_PREFIX = "identity:", "topic:", "claimed:"


def verified_identity(trust: TrustPolicy | None, topic: str | None, agent_id: str,
                      action: str) -> str:
    """Who wrote a result, as far as a credential says: what autonomy levels, their evidence,
    budget shares and the first-time review limit are kept for, never the claimed agent id.

    - `identity:<id>`: the first `trust.identities` entry that names the topic and allows the
      agent id and action (a result none allows is refused before it is decided). Its agent
      globs are one identity: `agents: ["bot-*"]` is one writer however many ids it claims.
    - `topic:<topic>`: where no identity names the topic. Kafka's ACLs say which principal
      may write it; the agent id on it is a claim (a label, never the key).
    - `claimed:<agent_id>`: no topic (a file scanned offline): nothing verified it, and no
      worker reading a topic ever looks a level up under it."""
    if topic is None:
        return f"{UNVERIFIED_PREFIX}{agent_id}"
    if trust is not None:
        for identity in trust.identities:
            if (any_glob(identity.topics, topic) and any_glob(identity.agents, agent_id)
                    and (not identity.actions or any_glob(identity.actions, action))):
                return f"{IDENTITY_PREFIX}{identity.id}"
    return f"{TOPIC_PREFIX}{topic}"


def first_seen_holder(trust: TrustPolicy | None, topic: str | None, agent_id: str,
                      action: str) -> str:
    """Whom a first-time mark (agent, action) is kept for: `<topic>/<agent_id>` where no
    identity names the topic, `identity:<id>/<agent_id>` where one does (two identities whose
    agent globs overlap do not share marks), so a writer that claims another agent's id marks
    only its own pairs and never uses up the other agent's first-time review. The agent id
    stays in the key: on a topic several agents share, each one's first action is reviewed
    (bounded per verified identity: `sampling.mandatory.first_time_limit`)."""
    return mark_holder(verified_identity(trust, topic, agent_id, action), topic, agent_id)


def mark_holder(identity: str, topic: str | None, agent_id: str) -> str:
    """`first_seen_holder` from the verified identity of the same result (`identity`): for a
    caller that needs both, worked out once."""
    if topic is None:
        return agent_id
    if identity.startswith(TOPIC_PREFIX):
        return f"{topic}/{agent_id}"  # the marks' form before identities had their own
    return f"{identity}/{agent_id}"

