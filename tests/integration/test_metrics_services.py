"""Issue 16, metrics and health of every service on a real broker: a worker, the review
service, the autonomy scorer and the audit sink run with their endpoints; records flow from
the worker to the review queue (a verdict), the scorer and the warehouse, and each service's
counters move, and records refused for their signature are counted. Every metric the shipped alert rules and Grafana dashboard name is in the
scrapes, and no scrape or health answer holds a planted secret, PII value or job id. The four
run with JSON logs: every line of each log is one JSON event naming its service, and none
holds a planted value."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.config import Topics, topic_env
from streams.worker.process import WorkerProcess
from tests.conftest import WorkerFactory
from tests.kafka_io import produce
from tests.metrics_scrape import (
    Samples,
    get,
    metrics_url,
    samples,
    scrape,
    value,
    wait_for,
    wait_ready,
)
from tests.review_service import ServiceFactory, write_policy

pytestmark = pytest.mark.integration

DOCS = Path(__file__).resolve().parents[2] / "docs"
SSN = "457-55-5462"
API_KEY = "AKIAZ3MSJV4WWLQ7PXNE"
EMAIL = "jane.doe.canary@example.com"
METRIC = re.compile(r"\bafterguard_[a-z0-9_]+")


def result(job_id: str, output: Any, agent: str = "support-agent-7") -> tuple[bytes, bytes]:
    return job_id.encode(), json.dumps({
        "job_id": job_id, "agent_id": agent, "action": "job.support.lookup-customer",
        "tenant": "acme", "output": output}).encode()


def rule_and_dashboard_metrics() -> set[str]:
    rules = yaml.safe_load((DOCS / "prometheus-alerts.yml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads((DOCS / "grafana-dashboard.json").read_text())
    exprs += [target["expr"] for panel in dashboard["panels"]
              for target in panel.get("targets", [])]
    return {name for expr in exprs for name in METRIC.findall(expr)}


def start(tmp_path: Path, name: str, command: tuple[str, ...], env: dict[str, str]
          ) -> WorkerProcess:
    return WorkerProcess({**env, "AFTERGUARD_METRICS_PORT": "0", "AFTERGUARD_LOG_FORMAT": "json"},
                         tmp_path / f"{name}.log", command)


def test_every_service_counts_what_flows_and_serves_every_metric_the_rules_name(
        kafka_bootstrap: str, topics: Topics, start_worker: WorkerFactory,
        start_review: ServiceFactory, tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    app_id = f"afterguard-test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(topics, AFTERGUARD_METRICS_PORT="0", AFTERGUARD_POLICY=str(policy),
                          AFTERGUARD_LOG_FORMAT="json")
    review = start_review(topics, policy, AFTERGUARD_METRICS_PORT="0",
                          AFTERGUARD_LOG_FORMAT="json")
    base_env = {"KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "AFTERGUARD_APP_ID": app_id,
                "AFTERGUARD_POLICY": str(policy), **topic_env(topics)}
    scorer = start(tmp_path, "scorer", ("autonomy", "serve"), {
        **base_env, "AFTERGUARD_DATA_DIR": str(tmp_path / "scorer"),
        "AFTERGUARD_WORKER_ID": "scorer-1"})
    sink = start(tmp_path, "sink", (
        "audit", "sink", "--topic", topics.audit, "--duckdb", str(tmp_path / "audit.duckdb"),
        "--parquet-dir", str(tmp_path / "parquet"), "--group", f"sink-{app_id}",
        "--no-checkpoints"), base_env)
    try:
        urls = {name: metrics_url(process) for name, process in (
            ("worker", worker), ("review", review.process), ("scorer", scorer),
            ("sink", sink))}
        for url in urls.values():
            wait_ready(url, timeout=120)
            assert get(f"{url}/livez")[0] == 200

        jobs = [f"canary-{n}-{uuid.uuid4().hex[:10]}" for n in range(4)]
        produce(kafka_bootstrap, topics.inputs[0], [
            result(jobs[0], {"log": f"connecting with {API_KEY}"}),  # quarantined: reviewed
            result(jobs[1], {"customer": {"ssn": SSN, "email": EMAIL}}),
            result(jobs[2], {"orders": 42}),
            (jobs[3].encode(), f"{{not json {SSN}".encode()),
        ])
        wait_for(urls["worker"], lambda s: value(s, "afterguard_results_total") >= 3)
        queued = wait_for(urls["review"], lambda s: value(
            s, "afterguard_review_queue_depth", group="security-team") >= 1)
        assert value(queued, "afterguard_review_items_queued_total", group="security-team") >= 1
        reviewer = review.client.as_reviewer("alice")
        claimed = reviewer.pull("security-team")["claimed"]
        assert claimed
        for entry in claimed:
            reviewer.decide(entry["entry_id"], "reject", comment="a leaked key")
        decided = wait_for(urls["review"], lambda s: value(
            s, "afterguard_review_verdicts_total", kind="reject") >= 1)
        assert value(decided, "afterguard_review_verdicts_total", kind="reject",
                     group="security-team", automatic="false") == len(claimed)
        wait_for(urls["scorer"], lambda s: value(
            s, "afterguard_autonomy_inputs_total", topic=topics.audit) >= 3
            and value(s, "afterguard_autonomy_inputs_total", topic=topics.verdicts) >= 1)
        wait_for(urls["sink"], lambda s: value(
            s, "afterguard_audit_records_total", outcome="inserted") >= 3)
        # Unsigned records on the topics the review service and the scorer trust: each is a
        # dead letter, counted by the service that refused it.
        produce(kafka_bootstrap, topics.review, [(b"forged", b'{"item_id": "forged"}')])
        produce(kafka_bootstrap, topics.verdicts, [(b"forged", b'{"verdict": "approve"}')])
        wait_for(urls["review"], lambda s: value(
            s, "afterguard_dead_letters_total", topic=topics.review, error="bad_signature") == 1)
        wait_for(urls["scorer"], lambda s: value(
            s, "afterguard_dead_letters_total", topic=topics.verdicts,
            error="bad_signature") == 1)

        scraped = {name: scrape(url) for name, url in urls.items()}
        exported: Samples = {}
        for text in scraped.values():
            exported.update(samples(text))
        names = {name for name, _ in exported}
        missing = {m for m in rule_and_dashboard_metrics() if m not in names}
        assert not missing, f"named by the alert rules or the dashboard, exported by none: {missing}"
        assert value(exported, "afterguard_audit_chain_problems_total") == 0
        for name, text in scraped.items():
            for planted in (SSN, API_KEY, EMAIL, "support-agent-7", "alice", *jobs):
                assert planted not in text, f"{planted!r} in the {name}'s scrape"
            for path in ("/livez", "/readyz"):
                assert not any(p in get(f"{urls[name]}{path}")[1] for p in (SSN, *jobs))
    finally:
        for process in (scorer, sink):
            process.stop()
    worker.stop()
    review.process.stop()
    for service, process in (("worker", worker), ("review", review.process),
                             ("autonomy", scorer), ("audit-sink", sink)):
        lines = process.log_text().splitlines()
        assert lines
        for line in lines:
            event = json.loads(line)  # fails on any line that is not one JSON event
            assert event["service"] == service, line
        for planted in (SSN, API_KEY, EMAIL, *jobs):
            assert planted not in process.log_text(), f"{planted!r} in the {service}'s log"
