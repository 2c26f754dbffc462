"""Prometheus metrics and the liveness/readiness endpoints of the long-running services.

Each service (worker, review service, autonomy scorer, audit sink) has its own registry and
serves `/metrics`, `/livez` and `/readyz` from a small HTTP server in a thread of its own
(streams.metrics.server), on 127.0.0.1 unless AFTERGUARD_METRICS_HOST says otherwise. No label
carries a value taken from a record: labels are topics, decisions, entity types, detector ids,
reasons and error kinds named by configuration or code, each capped in how many values it may
take (streams.metrics.labels). See docs/operations.md.
"""
