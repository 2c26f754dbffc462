"""A small client of the review service's HTTP API (for the CLI and tests). It signs every
request with the reviewer's bearer token (an API token or an OIDC token): the service takes
the reviewer's identity from it, never from the request body."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any


class ReviewApiError(RuntimeError):
    """The service refused the request (status and its message) or could not be reached."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class ReviewClient:
    def __init__(self, url: str, token: str | None = None, timeout_s: float = 30.0,
                 ca_file: Path | None = None) -> None:
        self.url, self.token, self.timeout_s = url.rstrip("/"), token, timeout_s
        self.context = ssl.create_default_context(cafile=ca_file) if ca_file else None

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s,
                                        context=self.context) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read()).get("error") or exc.reason
            except ValueError:
                message = str(exc.reason)
            raise ReviewApiError(exc.code, str(message)) from None
        except (urllib.error.URLError, OSError) as exc:
            raise ReviewApiError(0, f"cannot reach the review service at {self.url}: "
                                    f"{getattr(exc, 'reason', exc)}") from None

    def health(self) -> Any:
        return self._call("GET", "/review/health")

    def pull(self, group: str) -> Any:
        return self._call("POST", "/review/pull", {"group": group})

    def queue(self) -> Any:
        """The open items of the reviewer's groups and the items the reviewer holds."""
        return self._call("GET", "/review/queue")

    def show(self, item_id: str) -> Any:
        return self._call("GET", f"/review/items/{urllib.parse.quote(item_id)}")

    def decide(self, item_id: str, verdict: str, *, comment: str | None = None,
               modified_output: Any = None, severity: str = "none") -> Any:
        return self._call("POST", f"/review/items/{urllib.parse.quote(item_id)}/verdict",
                          {"verdict": verdict, "comment": comment,
                           "modified_output": modified_output, "severity": severity})

    def batch_approve(self, item_ids: list[str], comment: str | None = None) -> Any:
        """Approve low-risk items of one agent, action and rule set together."""
        return self._call("POST", "/review/batch", {"verdict": "approve", "items": item_ids,
                                                    "comment": comment})

    def escalate(self, item_id: str, comment: str) -> Any:
        """Move a claimed item to the escalation group, saying why."""
        return self._call("POST", f"/review/items/{urllib.parse.quote(item_id)}/escalate",
                          {"comment": comment})

    def release(self, item_id: str) -> Any:
        """Give a claim back: the item is open to the group again."""
        return self._call("POST", f"/review/items/{urllib.parse.quote(item_id)}/release", {})

    def stats(self) -> Any:
        return self._call("GET", "/review/stats")
