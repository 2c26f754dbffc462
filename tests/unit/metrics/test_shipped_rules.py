"""The alert rules and the Grafana dashboard shipped in docs/ load, and say what they watch.
(That every metric they name is exported: tests/integration/test_metrics_services.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_the_alert_rules_parse_and_each_rule_is_complete() -> None:
    rules = yaml.safe_load((DOCS / "prometheus-alerts.yml").read_text())
    [group] = rules["groups"]
    names = [rule["alert"] for rule in group["rules"]]
    assert len(names) == len(set(names))
    for rule in group["rules"]:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert "afterguard_" in rule["expr"]
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"]
    # the five the issue asks for
    assert {"AfterguardFailClosedSpike", "AfterguardConsumerLagGrowing",
            "AfterguardReviewWaitOverTarget", "AfterguardDeadLettersArriving",
            "AfterguardAuditChainProblem"} <= set(names)


def test_the_dashboard_parses_and_every_panel_queries_something() -> None:
    dashboard = json.loads((DOCS / "grafana-dashboard.json").read_text())
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    graphs = [panel for panel in dashboard["panels"] if panel["type"] != "row"]
    assert graphs
    for panel in graphs:
        assert panel["targets"] and all("afterguard_" in t["expr"] for t in panel["targets"])
