"""What every faust app of Afterguard shares: topics of raw bytes.

(A faust app's broker and credentials come from `KafkaConnection.faust_options()`.)
"""

from __future__ import annotations

from typing import Any

import faust


def raw_topic(app: faust.App, *names: str) -> Any:
    """A faust topic whose keys and values are bytes as on the wire (we encode ourselves)."""
    return app.topic(*names, key_type=bytes, value_type=bytes, key_serializer="raw",
                     value_serializer="raw")
