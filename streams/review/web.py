"""The reviewers' JSON API on faust's web server: each route of `ReviewApi` as a faust page
(the handlers and every check live in streams/review/api.py, shared with the console)."""

from __future__ import annotations

from typing import Any

from faust.web import Request, Response, View

from streams.review.api import Handler, ReviewApi


def add_views(app: Any, api: ReviewApi) -> None:
    for method, path, handler in api.routes():
        app.page(path)(_view(method, handler))


def _view(method: str, handler: Handler) -> type[View]:
    async def call(self: View, request: Request, **_: Any) -> Response:
        return await handler(request)  # type: ignore[arg-type, return-value]  # aiohttp's

    return type(f"Review{handler.__name__.title()}View", (View,), {method.lower(): call})
