"""A local single-node Kafka broker for development, tests, benchmarks and the demo."""

from streams.broker.local import (
    KAFKA_VERSION,
    BrokerError,
    BrokerInfo,
    default_state_dir,
    ensure_jars,
    start,
    status,
    stop,
)
from streams.broker.secure import PRINCIPALS

__all__ = ["KAFKA_VERSION", "PRINCIPALS", "BrokerError", "BrokerInfo", "default_state_dir",
           "ensure_jars", "start", "status", "stop"]
