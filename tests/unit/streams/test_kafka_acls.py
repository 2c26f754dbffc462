"""The ACL set Afterguard ships: agents write their input topics only, every output topic has
one writing component, and no grant reaches another service's topics by prefix."""

from __future__ import annotations

from collections import defaultdict

from click.testing import CliRunner

from streams.cli import main
from streams.config import load_settings
from streams.kafka_acls import COMPONENTS, Grant, Operation, Pattern, Resource, acl_set

PRINCIPALS = {component: f"User:{component}" for component in COMPONENTS}


def grants() -> list[Grant]:
    settings = load_settings({"AFTERGUARD_INPUT_TOPICS": "agents.a,agents.b"})
    return acl_set(settings, PRINCIPALS)


def allowed(principal: str, operation: Operation) -> set[str]:
    """Topic names (prefixes end in *) the principal may perform the operation on."""
    return {g.name + ("*" if g.pattern is Pattern.PREFIXED else "") for g in grants()
            if g.principal == principal and g.resource is Resource.TOPIC
            and (operation in g.operations or Operation.ALL in g.operations)}


def test_agents_write_their_input_topics_and_nothing_else() -> None:
    agent = [g for g in grants() if g.principal == "User:agent"]
    assert {g.name for g in agent} == {"agents.a", "agents.b"}
    assert all(g.resource is Resource.TOPIC and g.pattern is Pattern.LITERAL for g in agent)
    assert all(set(g.operations) == {Operation.WRITE, Operation.DESCRIBE} for g in agent)


def test_every_output_topic_has_the_writers_the_design_names() -> None:
    writers: dict[str, set[str]] = defaultdict(set)
    for principal in PRINCIPALS.values():
        for topic in allowed(principal, Operation.WRITE):
            writers[topic].add(principal.removeprefix("User:"))
    assert writers["afterguard.quarantine"] == {"worker"}
    assert writers["afterguard.review"] == {"worker"}
    assert writers["afterguard.audit"] == {"worker"}
    assert writers["afterguard.review.verdicts"] == {"review"}
    assert writers["afterguard.audit.review"] == {"review"}
    assert writers["afterguard.autonomy"] == {"autonomy"}
    assert writers["afterguard.audit.autonomy"] == {"autonomy"}
    assert writers["afterguard.released"] == {"worker", "review"}  # decisions, and releases
    assert writers["afterguard.deadletter"] == {"worker", "review", "autonomy"}
    assert writers["afterguard.audit.checkpoints"] == {"sink"}  # signed chain checkpoints
    assert allowed("User:sink", Operation.WRITE) == {"afterguard.audit.checkpoints"}


def test_no_prefix_grant_reaches_another_services_topics() -> None:
    """The worker's app id prefixes the review service's and the scorer's: a prefix grant on
    it would let the worker write their changelogs (held outputs) and sign-off topic."""
    prefixes = {(g.principal, g.name) for g in grants()
                if g.pattern is Pattern.PREFIXED and g.resource is Resource.TOPIC}
    assert prefixes == {("User:review", "afterguard-review-"),
                        ("User:autonomy", "afterguard-autonomy-")}
    worker_topics = allowed("User:worker", Operation.WRITE)
    assert not any(t.startswith(("afterguard-review", "afterguard-autonomy"))
                   for t in worker_topics)


def test_print_shows_the_table_and_kafka_acls_commands() -> None:
    printed = CliRunner().invoke(main, ["kafka", "acls", "--print", "--principal",
                                        "worker=User:svc-worker"],
                                 env={"AFTERGUARD_INPUT_TOPICS": "agents.a"})
    assert printed.exit_code == 0, printed.output
    assert "User:svc-worker" in printed.output and "User:worker " not in printed.output
    assert ("kafka-acls.sh --bootstrap-server $KAFKA_BOOTSTRAP_SERVERS --command-config "
            "admin.properties --add --allow-principal User:agent --operation Write "
            "--operation Describe --topic 'agents.a' --resource-pattern-type literal"
            ) in printed.output
    refused = CliRunner().invoke(main, ["kafka", "acls", "--print", "--principal", "x=bob"])
    assert refused.exit_code == 2 and "COMPONENT=User:NAME" in refused.output
