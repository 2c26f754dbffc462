"""The console's HTTP server (aiohttp, on the review service's event loop): the page and its
static assets from the package (no CDN, no build step), and the reviewers' API routes, the very
handlers faust serves on the API port, so every action passes the same checks as the CLI."""

from __future__ import annotations

from importlib import resources

from aiohttp import web

from streams.review.api import ReviewApi
from streams.review.console.oidc_login import OidcLogin, PageRenderer

ASSETS = {"console.js": "text/javascript", "console.css": "text/css"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
}


def _asset(name: str) -> bytes:
    return resources.files("streams.review.console").joinpath("static", name).read_bytes()


def console_app(api: ReviewApi) -> web.Application:
    app = web.Application(client_max_size=2 * 1024 * 1024)
    login = api.auth.settings.console_login
    page = PageRenderer(_asset("index.html").decode(), SECURITY_HEADERS, login is not None)
    assets = {name: (_asset(name), kind) for name, kind in ASSETS.items()}

    async def index(request: web.Request) -> web.Response:
        failure = api.auth.check_request(request.method, request.headers)
        if failure is not None:
            return web.Response(status=failure.status, text=failure.message)
        return page()

    async def asset(request: web.Request) -> web.Response:
        found = assets.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound()
        return web.Response(body=found[0], content_type=found[1], charset="utf-8",
                            headers=SECURITY_HEADERS)

    app.router.add_get("/", index)
    if login is not None:
        oidc = OidcLogin(login, api.auth, page)
        app.router.add_get("/console/login", oidc.start)
        app.router.add_get("/console/callback", oidc.callback)
    app.router.add_get("/console/{name}", asset)
    for method, path, handler in api.routes():
        app.router.add_route(method, path, handler)
    return app
