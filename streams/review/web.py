"""The reviewers' JSON API on faust's web server. Every request is checked first (Host,
Origin and content type against CSRF; then the bearer credential): the reviewer is the
authenticated principal, never a name in the request, and must belong to the item's group to
pull, see or decide it. Each handler then changes the queue state synchronously (no await
between reading and writing it) and publishes what it emitted, so two reviewers served on the
one event loop never claim the same item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from faust.web import Request, Response, View
from pydantic import ValidationError

from sampling.verdict import Severity, VerdictKind
from streams.review.auth import AuthFailure, Principal, normalise
from streams.review.auth.authenticator import Authenticator
from streams.review.claims import Pulled, known_groups
from streams.review.entry import QueueEntry
from streams.review.publisher import Publisher
from streams.review.queue import ReviewQueue
from streams.review.state import Refusal

SEVERITIES: dict[str, Severity] = {s: s for s in ("none", "policy_violation", "safety_incident")}


def entry_json(entry: QueueEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json")


def add_views(app: Any, queue: ReviewQueue, publisher: Publisher, auth: Authenticator,
              ready: Callable[[], bool], now: Callable[[], datetime]) -> None:
    class Base(View):
        def refused(self, refusal: Refusal | AuthFailure) -> Response:
            headers = ({"WWW-Authenticate": 'Bearer realm="afterguard-review"'}
                       if refusal.status == 401 else None)
            return self.error(refusal.status, refusal.message, headers=headers)

        async def principal(self, request: Request) -> Principal | Response:
            """The authenticated reviewer, or the refusal to send (request checks first)."""
            headers = request.headers
            failure = auth.check_request(request.method, headers)
            if failure is not None:
                return self.refused(failure)
            who = await auth.authenticate(headers)
            return self.refused(who) if isinstance(who, AuthFailure) else who

        def member(self, who: Principal, group: str) -> Response | None:
            """Refused unless `who` belongs to `group` (credential, and the policy's list)."""
            listed = queue.routing.groups.get(group)
            if who.in_group(group, listed.reviewers if listed else ()):
                return None
            return self.error(403, f"reviewer {who.reviewer_id!r} is not a member of group "
                                   f"{group!r}")

        def entry_for(self, who: Principal, item_id: str) -> QueueEntry | Response:
            entry = queue.state.entries.get(item_id)
            if entry is None:
                return self.error(404, f"no review item {item_id}")
            denied = self.member(who, entry.group)
            return entry if denied is None else denied

        async def body(self, request: Request) -> dict[str, Any] | None:
            try:
                body = await request.json()
            except ValueError:
                return None
            return body if isinstance(body, dict) else None

        def claimed_as(self, body: dict[str, Any], who: Principal) -> Response | None:
            """An older client may still send `reviewer`: it must name the signed-in one."""
            named = body.get("reviewer")
            if named is None or (isinstance(named, str) and normalise(named) == who.reviewer_id):
                return None
            return self.error(403, f"signed in as {who.reviewer_id!r}; the request names "
                                   "another reviewer")

        def not_ready(self) -> Response | None:
            if ready():
                return None
            return self.error(503, "the review service is still recovering its queue state")

    @app.page("/review/health")
    class Health(Base):
        async def get(self, request: Request, **_: Any) -> Response:
            # (a faust Response is an empty mapping, so falsy: never `busy or ...`)
            busy = self.not_ready()
            return busy if busy is not None else self.json(
                {"ok": True, "entries": len(queue.state.entries)})

    @app.page("/review/pull")
    class Pull(Base):
        async def post(self, request: Request, **_: Any) -> Response:
            who = await self.principal(request)
            if not isinstance(who, Principal):
                return who
            if (busy := self.not_ready()) is not None:
                return busy
            body = await self.body(request)
            if body is None:
                return self.error(400, "the request body is not a JSON object")
            group = body.get("group")
            if not isinstance(group, str) or not group:
                return self.error(400, "give a group")
            if (wrong := self.claimed_as(body, who)) is not None:
                return wrong
            group = next((g for g in known_groups(queue.routing)
                          if normalise(g) == normalise(group)), group)
            if group in known_groups(queue.routing) and (
                    denied := self.member(who, group)) is not None:
                return denied
            result = queue.pull(group, who.reviewer_id, now())
            if isinstance(result, Refusal):
                return self.refused(result)
            return self.json(_pulled(result))

    @app.page("/review/items/{item_id}")
    class Item(Base):
        async def get(self, request: Request, item_id: str, **_: Any) -> Response:
            who = await self.principal(request)
            if not isinstance(who, Principal):
                return who
            if (busy := self.not_ready()) is not None:
                return busy
            if not isinstance(entry := self.entry_for(who, item_id), QueueEntry):
                return entry
            result = queue.show(item_id, who.reviewer_id, now())
            if isinstance(result, Refusal):
                return self.refused(result)
            return self.json(entry_json(result))

    @app.page("/review/items/{item_id}/verdict")
    class Decide(Base):
        async def post(self, request: Request, item_id: str, **_: Any) -> Response:
            who = await self.principal(request)
            if not isinstance(who, Principal):
                return who
            if (busy := self.not_ready()) is not None:
                return busy
            body = await self.body(request)
            if body is None:
                return self.error(400, "the request body is not a JSON object")
            if (wrong := self.claimed_as(body, who)) is not None:
                return wrong
            if not isinstance(entry := self.entry_for(who, item_id), QueueEntry):
                return entry
            try:
                kind = VerdictKind(body.get("verdict"))
            except ValueError:
                return self.error(400, "verdict is approve, reject or modify")
            severity = SEVERITIES.get(body.get("severity") or "none")
            if severity is None:
                return self.error(400, "severity is one of " + ", ".join(SEVERITIES))
            try:
                result = queue.decide(item_id, who.reviewer_id, kind, now(),
                                      comment=body.get("comment"),
                                      modified_output=body.get("modified_output"),
                                      severity=severity)
            except ValidationError as exc:
                return self.error(400, f"invalid verdict: {exc.error_count()} problem(s)")
            if isinstance(result, Refusal):
                return self.refused(result)
            decided, effects = result
            await publisher.publish(effects)
            return self.json({"verdict": decided.verdict.model_dump(mode="json"),
                              "released": bool(effects.releases),
                              "second_review": decided.second_review.entry_id
                              if decided.second_review else None})

    @app.page("/review/stats")
    class Stats(Base):
        async def get(self, request: Request, **_: Any) -> Response:
            who = await self.principal(request)
            if not isinstance(who, Principal):
                return who
            busy = self.not_ready()
            return busy if busy is not None else self.json(queue.stats(now()))


def _pulled(result: Pulled) -> dict[str, Any]:
    return {"claimed": [entry_json(e) for e in result.claimed],
            "holding": [e.entry_id for e in result.holding], "note": result.note}
