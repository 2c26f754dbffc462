"""The reviewers' JSON API on its own port: each route of `ReviewApi` (the handlers and every
check live in streams/review/api.py, shared with the console), served under the same client
bounds as the console (streams/review/http_server.py). faust's own web server is not started:
it has no such bounds, and its endpoints would serve the tables raw."""

from __future__ import annotations

from aiohttp import web

from streams.review.api import ReviewApi

MAX_BODY = 1024 * 1024  # a request body's size limit (413 past it), as faust's server had


def api_app(api: ReviewApi) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    for method, path, handler in api.routes():
        app.router.add_route(method, path, handler)
    return app
