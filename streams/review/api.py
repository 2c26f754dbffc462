"""The reviewers' JSON API as plain aiohttp handlers, served by faust's web server (the API
port) and by the console's server (the console port): one set of handlers, one set of checks.

Every request but `health` is checked first (Host, Origin and content type against CSRF; then
the bearer credential; the `signed_in` and `posted` decorators below do it for each handler):
the reviewer is the authenticated principal, never a name in the request, and must belong to the item's group to list, pull, see or decide it. Pull, show and
release then change the queue state synchronously (no await between reading and writing it),
so two reviewers served on the one event loop never claim the same item; a verdict goes
through the committer (one at a time: what it emits is committed to Kafka in one transaction
before the queue state changes)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from sampling.record import ReviewItem
from sampling.verdict import Severity, VerdictKind
from streams.review.auth import Principal, normalise
from streams.review.auth.authenticator import Authenticator
from streams.review.batch import MAX_BATCH, batch_refusal
from streams.review.claim_release import release_claim
from streams.review.claims import Pulled, known_groups
from streams.review.committer import Committer
from streams.review.deciding import Decided
from streams.review.entry import QueueEntry, Status
from streams.review.http_server import CLIENT_TIMEOUT_S
from streams.review.queue import Effects, ReviewQueue
from streams.review.queue_listing import history, listing
from streams.review.queue_timer import Escalation
from streams.review.review_trends import trends
from streams.review.state import Refusal
from streams.review.stats import own_rows

log = logging.getLogger(__name__)
SIGN_OUT_WRITE_S = 10.0  # how long a sign-out may take to reach the broker (503 after)
SEVERITIES: dict[str, Severity] = {s: s for s in ("none", "policy_violation", "safety_incident")}
Handler = Callable[[web.Request], Awaitable[web.Response]]


def entry_json(entry: QueueEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json")


def error(status: int, message: str, retry_after_s: int | None = None) -> web.Response:
    headers = {"WWW-Authenticate": 'Bearer realm="afterguard-review"'} if status == 401 else {}
    if retry_after_s is not None:
        headers["Retry-After"] = str(retry_after_s)
    return web.json_response({"error": message}, status=status, headers=headers or None)


# The preamble of every handler but `health` and `me`, in one place: the request checks and
# the credential (`ReviewApi.principal`), then the queue's readiness; for a POST also its JSON
# object body, which may not name another reviewer than the signed-in one.
SignedInHandler = Callable[["ReviewApi", web.Request, Principal], Awaitable[web.Response]]
PostedHandler = Callable[["ReviewApi", web.Request, Principal, dict[str, Any]],
                         Awaitable[web.Response]]
MethodHandler = Callable[["ReviewApi", web.Request], Awaitable[web.Response]]


def signed_in(handler: SignedInHandler) -> MethodHandler:
    """The handler gets the verified reviewer once the service is ready (else the refusal)."""
    @functools.wraps(handler)
    async def checked(api: ReviewApi, request: web.Request) -> web.Response:
        who = await api.principal(request)
        if not isinstance(who, Principal):
            return who
        if (busy := api.not_ready()) is not None:
            return busy
        return await handler(api, request, who)
    return checked


def posted(handler: PostedHandler) -> MethodHandler:
    """As `signed_in`, and the handler gets the request's JSON object body."""
    @functools.wraps(handler)
    async def checked(api: ReviewApi, request: web.Request, who: Principal) -> web.Response:
        try:
            async with asyncio.timeout(api.body_timeout_s):  # a body that never ends
                body = await request.json()
        except TimeoutError:
            return error(408, f"the request body did not arrive within "
                              f"{api.body_timeout_s:g} s")
        except RecursionError:  # nested deeper than Python's parser goes
            return error(400, "the request body's JSON is nested too deep")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return error(400, "the request body is not a JSON object")
        named = body.get("reviewer")  # an older client may still send it: it must be `who`
        if named is not None and not (isinstance(named, str)
                                      and normalise(named) == who.reviewer_id):
            return error(403, f"signed in as {who.reviewer_id!r}; the request names another "
                              "reviewer")
        return await handler(api, request, who, body)
    return signed_in(checked)


class ReviewApi:
    def __init__(self, queue: ReviewQueue, committer: Committer, auth: Authenticator,
                 ready: Callable[[], bool], now: Callable[[], datetime],
                 autonomy_of: Callable[[ReviewItem], dict[str, Any]] | None = None,
                 on_escalated: Callable[[Escalation], None] | None = None,
                 body_timeout_s: float = CLIENT_TIMEOUT_S) -> None:
        """`autonomy_of(item)`: the level of the item's verified identity (its source topic,
        never its claimed agent id) for its action's class;
        `on_escalated`: told of each escalation a reviewer makes (notifications);
        `body_timeout_s`: how long a POST's body may take to arrive (408 after)."""
        self.queue, self.committer, self.auth = queue, committer, auth
        self.ready, self.now, self.autonomy_of = ready, now, autonomy_of
        self.on_escalated, self.body_timeout_s = on_escalated, body_timeout_s

    def routes(self) -> list[tuple[str, str, Handler]]:
        return [("GET", "/review/health", self.health), ("GET", "/review/me", self.me),
                ("GET", "/review/queue", self.listing), ("POST", "/review/pull", self.pull),
                ("GET", "/review/items/{item_id}", self.item),
                ("GET", "/review/items/{item_id}/history", self.item_history),
                ("POST", "/review/items/{item_id}/verdict", self.decide),
                ("POST", "/review/items/{item_id}/release", self.release),
                ("POST", "/review/items/{item_id}/escalate", self.escalate),
                ("POST", "/review/batch", self.batch),
                ("POST", "/review/sign-out", self.sign_out),
                ("GET", "/review/stats", self.stats),
                ("GET", "/review/stats/trends", self.trends)]

    # -- checks -----------------------------------------------------------------------------
    async def principal(self, request: web.Request) -> Principal | web.Response:
        """The authenticated reviewer, or the refusal to send (request checks first)."""
        failure = self.auth.check_request(request.method, request.headers)
        if failure is None:
            who = await self.auth.authenticate(request.headers, request.remote)
            if isinstance(who, Principal):
                return who
            failure = who
        return error(failure.status, failure.message, failure.retry_after_s)

    def member(self, who: Principal, group: str) -> web.Response | None:
        """Refused unless `who` belongs to `group` (credential, and the policy's list)."""
        if self.is_member(who, group):
            return None
        return error(403, f"reviewer {who.reviewer_id!r} is not a member of group {group!r}")

    def is_member(self, who: Principal, group: str) -> bool:
        listed = self.queue.routing.groups.get(group)
        return who.in_group(group, listed.reviewers if listed else ())

    def entry_for(self, who: Principal, item_id: str) -> QueueEntry | web.Response:
        entry = self.queue.state.entries.get(item_id)
        if entry is None:
            return error(404, f"no review item {item_id}")
        denied = self.member(who, entry.group)
        return entry if denied is None else denied

    def not_ready(self) -> web.Response | None:
        if self.ready():
            return None
        return error(503, "the review service is still recovering its queue state")

    async def give_verdict(self, item_id: str, who: Principal, kind: VerdictKind, *,
                           comment: str | None = None, modified_output: Any = None,
                           severity: Severity = "none") -> tuple[Decided, Effects] | Refusal:
        """The one way a verdict is given (single or in a batch): checked, committed with its
        audit record and release in one transaction, then applied to the queue."""
        return await self.committer.decide(item_id, who.reviewer_id, kind, self.now(),
                                           comment=comment, modified_output=modified_output,
                                           severity=severity)

    # -- handlers ---------------------------------------------------------------------------
    async def health(self, request: web.Request) -> web.Response:
        busy = self.not_ready()
        return busy if busy is not None else web.json_response(
            {"ok": True, "entries": len(self.queue.state.entries)})

    async def me(self, request: web.Request) -> web.Response:
        """Who the credential names (answered while the queue state is still recovering)."""
        who = await self.principal(request)
        if not isinstance(who, Principal):
            return who
        groups = sorted(g for g in known_groups(self.queue.routing) if self.is_member(who, g))
        return web.json_response({"reviewer_id": who.reviewer_id, "groups": groups,
                                  "via": who.via})

    async def sign_out(self, request: web.Request) -> web.Response:
        """End this sign-in: an OIDC token is refused from now on (until it expires); an API
        token stays valid (`afterguard review token revoke` ends it). Answered while the
        queue state is still recovering, as `me` is."""
        who = await self.principal(request)
        if not isinstance(who, Principal):
            return who
        try:
            async with asyncio.timeout(SIGN_OUT_WRITE_S):
                ended = await self.auth.end_sign_in(request.headers, who)
        except Exception as exc:  # noqa: BLE001 - the broker did not take it: say so
            log.error("a sign-out was not written (%s); this service refuses the token until "
                      "it restarts", type(exc).__name__)
            return error(503, "the sign-out was not recorded (this service refuses the token "
                              "until it restarts): sign out again")
        return web.json_response({"reviewer_id": who.reviewer_id, "token_ended": ended})

    @signed_in
    async def listing(self, request: web.Request, who: Principal) -> web.Response:
        entries = [e for e in self.queue.state.undecided() if self.is_member(who, e.group)
                   and (e.status is Status.OPEN or e.claimed_by == who.reviewer_id)]
        return web.json_response(listing(entries, who.reviewer_id, self.queue, self.now()))

    @posted
    async def pull(self, request: web.Request, who: Principal,
                   body: dict[str, Any]) -> web.Response:
        group = body.get("group")
        if not isinstance(group, str) or not group:
            return error(400, "give a group")
        groups = known_groups(self.queue.routing)
        group = next((g for g in groups if normalise(g) == normalise(group)), group)
        if group in groups and (denied := self.member(who, group)) is not None:
            return denied
        result = self.queue.pull(group, who.reviewer_id, self.now())
        if isinstance(result, Refusal):
            return error(result.status, result.message)
        return web.json_response(_pulled(result))

    @signed_in
    async def item(self, request: web.Request, who: Principal) -> web.Response:
        item_id = request.match_info["item_id"]
        if not isinstance(entry := self.entry_for(who, item_id), QueueEntry):
            return entry
        result = self.queue.show(item_id, who.reviewer_id, self.now())
        if isinstance(result, Refusal):
            return error(result.status, result.message)
        to_group = self.queue.routing.escalation_group
        return web.json_response({
            **entry_json(result), "may_release_raw": self.queue.may_release_raw(result),
            "escalate_to": to_group if to_group not in (None, result.group) else None})

    @signed_in
    async def item_history(self, request: web.Request, who: Principal) -> web.Response:
        if not isinstance(entry := self.entry_for(who, request.match_info["item_id"]),
                          QueueEntry):
            return entry
        past = history(entry, self.queue, lambda group: self.is_member(who, group))
        if self.autonomy_of is not None:
            past["autonomy"] = self.autonomy_of(entry.item)
        return web.json_response(past)

    @posted
    async def decide(self, request: web.Request, who: Principal,
                     body: dict[str, Any]) -> web.Response:
        item_id = request.match_info["item_id"]
        if not isinstance(entry := self.entry_for(who, item_id), QueueEntry):
            return entry
        given = body.get("verdict")
        try:
            kind = VerdictKind(given if isinstance(given, str) else None)
        except ValueError:
            return error(400, "verdict is approve, reject, modify or release_raw")
        named = body.get("severity") or "none"
        severity = SEVERITIES.get(named) if isinstance(named, str) else None
        if severity is None:
            return error(400, "severity is one of " + ", ".join(SEVERITIES))
        comment = body.get("comment")
        if comment is not None and not isinstance(comment, str):
            return error(400, "comment is text")
        try:
            result = await self.give_verdict(item_id, who, kind, comment=comment,
                                             modified_output=body.get("modified_output"),
                                             severity=severity)
        except ValidationError as exc:
            return error(400, f"invalid verdict: {exc.error_count()} problem(s)")
        if isinstance(result, Refusal):
            return error(result.status, result.message)
        decided, effects = result
        return web.json_response({
            "verdict": decided.verdict.model_dump(mode="json"),
            "released": bool(effects.releases),
            "second_review": decided.second_review.entry_id if decided.second_review else None})

    @posted
    async def batch(self, request: web.Request, who: Principal,
                    body: dict[str, Any]) -> web.Response:
        """Approve several claimed items at once: only low-risk first reviews with the same
        agent, action and rules, all refused unless every one of them may be approved."""
        ids = body.get("items")
        if (body.get("verdict") != "approve" or not isinstance(ids, list)
                or not 2 <= len(ids) <= MAX_BATCH or len(set(map(str, ids))) != len(ids)):
            return error(400, f'give {{"verdict": "approve", "items": [2 to {MAX_BATCH} '
                              'item ids]}: batches only approve')
        entries = []
        for item_id in map(str, ids):
            if not isinstance(entry := self.entry_for(who, item_id), QueueEntry):
                return entry
            entries.append(entry)
        refused = batch_refusal(entries, who.reviewer_id, self.queue.review)
        if refused is not None:
            return error(refused.status, refused.message)
        comment = body.get("comment") if isinstance(body.get("comment"), str) else None
        approved, released, second, refused_at = [], 0, [], None
        for entry in entries:  # each verdict is given like a single one
            result = await self.give_verdict(entry.entry_id, who, VerdictKind.APPROVE,
                                             comment=comment)
            if isinstance(result, Refusal):  # only a race with a timeout or another verdict
                refused_at = f"{entry.entry_id}: {result.message}"
                break
            done, effects = result
            approved.append(done.entry.entry_id)
            released += len(effects.releases)
            if done.second_review:
                second.append(done.second_review.entry_id)
        outcome: dict[str, Any] = {"approved": approved, "released": released,
                                   "second_review": second}
        if refused_at is not None:
            outcome["error"] = (f"stopped at {refused_at}; approved before it: "
                                f"{', '.join(approved) or 'none'}")
        return web.json_response(outcome, status=200 if refused_at is None else 409)

    @posted
    async def release(self, request: web.Request, who: Principal,
                      body: dict[str, Any]) -> web.Response:
        """Give my claim back (the item is open to my group again)."""
        item_id = request.match_info["item_id"]
        if not isinstance(entry := self.entry_for(who, item_id), QueueEntry):
            return entry
        result = release_claim(self.queue.state, item_id, who.reviewer_id, self.now())
        if isinstance(result, Refusal):
            return error(result.status, result.message)
        return web.json_response(entry_json(result))

    @posted
    async def escalate(self, request: web.Request, who: Principal,
                       body: dict[str, Any]) -> web.Response:
        """Move a claimed item to the escalation group, saying why (`comment`): its new group
        sees where it came from, who moved it and why."""
        item_id = request.match_info["item_id"]
        if not isinstance(entry := self.entry_for(who, item_id), QueueEntry):
            return entry
        comment = body.get("comment")
        if comment is not None and not isinstance(comment, str):
            return error(400, "comment is text")
        result = await self.committer.escalate(item_id, who.reviewer_id, comment, self.now())
        if isinstance(result, Refusal):
            return error(result.status, result.message)
        if self.on_escalated is not None:
            self.on_escalated(result)
        return web.json_response(entry_json(result.entry))

    def is_lead(self, who: Principal) -> bool:
        """A member of the escalation group: sees every group's and reviewer's figures."""
        leads = self.queue.routing.escalation_group
        return leads is not None and self.is_member(who, leads)

    @signed_in
    async def stats(self, request: web.Request, who: Principal) -> web.Response:
        if self.is_lead(who):
            return web.json_response({**self.queue.stats(self.now()), "reviewers": "all"})
        figures = self.queue.stats(self.now(), lambda group: self.is_member(who, group))
        figures["open_per_reviewer"] = own_rows(figures["open_per_reviewer"], who.reviewer_id)
        return web.json_response({**figures, "reviewers": "own"})

    @signed_in
    async def trends(self, request: web.Request, who: Principal) -> web.Response:
        entries = list(self.queue.state.entries.values())
        if self.is_lead(who):
            return web.json_response({**trends(entries, self.now()), "reviewers": "all"})
        figures = trends([e for e in entries if self.is_member(who, e.group)], self.now())
        figures["verdicts_per_reviewer"] = own_rows(figures["verdicts_per_reviewer"],
                                                    who.reviewer_id)
        second = figures["second_review"]
        second["by_first_reviewer"] = own_rows(second["by_first_reviewer"], who.reviewer_id)
        return web.json_response({**figures, "reviewers": "own"})


def _pulled(result: Pulled) -> dict[str, Any]:
    return {"claimed": [entry_json(e) for e in result.claimed],
            "holding": [e.entry_id for e in result.holding], "note": result.note}
