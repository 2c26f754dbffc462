"""What every faust app of Afterguard shares: broker URLs and topics of raw bytes."""

from __future__ import annotations

from typing import Any

import faust


def broker_urls(bootstrap_servers: str) -> list[str]:
    return [f"kafka://{server.strip()}" for server in bootstrap_servers.split(",") if server.strip()]


def raw_topic(app: faust.App, *names: str) -> Any:
    """A faust topic whose keys and values are bytes as on the wire (we encode ourselves)."""
    return app.topic(*names, key_type=bytes, value_type=bytes, key_serializer="raw",
                     value_serializer="raw")
