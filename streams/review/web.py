"""The reviewers' JSON API on faust's web server. Each handler changes the queue state
synchronously (no await between reading and writing it), then publishes what it emitted, so
two reviewers served on the one event loop never claim the same item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from faust.web import Request, Response, View
from pydantic import ValidationError

from sampling.verdict import Severity, VerdictKind
from streams.review.claims import Pulled
from streams.review.entry import QueueEntry
from streams.review.publisher import Publisher
from streams.review.queue import ReviewQueue
from streams.review.state import Refusal

SEVERITIES: dict[str, Severity] = {s: s for s in ("none", "policy_violation", "safety_incident")}


def entry_json(entry: QueueEntry) -> dict[str, Any]:
    return entry.model_dump(mode="json")


def add_views(app: Any, queue: ReviewQueue, publisher: Publisher,
              ready: Callable[[], bool], now: Callable[[], datetime]) -> None:
    class Base(View):
        def refused(self, refusal: Refusal) -> Response:
            return self.error(refusal.status, refusal.message)

        async def body(self, request: Request) -> dict[str, Any] | None:
            try:
                body = await request.json()
            except ValueError:
                return None
            return body if isinstance(body, dict) else None

        def not_ready(self) -> Response | None:
            if ready():
                return None
            return self.error(503, "the review service is still recovering its queue state")

    @app.page("/review/health")
    class Health(Base):
        async def get(self, request: Request, **_: Any) -> Response:
            return self.not_ready() or self.json({"ok": True, "entries": len(queue.state.entries)})

    @app.page("/review/pull")
    class Pull(Base):
        async def post(self, request: Request, **_: Any) -> Response:
            if (busy := self.not_ready()) is not None:
                return busy
            body = await self.body(request)
            if body is None:
                return self.error(400, "the request body is not a JSON object")
            group, reviewer = body.get("group"), body.get("reviewer")
            if not isinstance(group, str) or not isinstance(reviewer, str) or not reviewer:
                return self.error(400, "give a group and a reviewer")
            result = queue.pull(group, reviewer, now())
            if isinstance(result, Refusal):
                return self.refused(result)
            return self.json(_pulled(result))

    @app.page("/review/items/{item_id}")
    class Item(Base):
        async def get(self, request: Request, item_id: str, **_: Any) -> Response:
            if (busy := self.not_ready()) is not None:
                return busy
            result = queue.show(item_id, request.query.get("reviewer"), now())
            if isinstance(result, Refusal):
                return self.refused(result)
            return self.json(entry_json(result))

    @app.page("/review/items/{item_id}/verdict")
    class Decide(Base):
        async def post(self, request: Request, item_id: str, **_: Any) -> Response:
            if (busy := self.not_ready()) is not None:
                return busy
            body = await self.body(request)
            if body is None:
                return self.error(400, "the request body is not a JSON object")
            try:
                kind = VerdictKind(body.get("verdict"))
            except ValueError:
                return self.error(400, "verdict is approve, reject or modify")
            severity = SEVERITIES.get(body.get("severity") or "none")
            reviewer = body.get("reviewer")
            if severity is None or not isinstance(reviewer, str) or not reviewer:
                return self.error(400, "give a reviewer; severity is one of "
                                       + ", ".join(SEVERITIES))
            try:
                result = queue.decide(item_id, reviewer, kind, now(),
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
            return self.not_ready() or self.json(queue.stats(now()))


def _pulled(result: Pulled) -> dict[str, Any]:
    return {"claimed": [entry_json(e) for e in result.claimed],
            "holding": [e.entry_id for e in result.holding], "note": result.note}
