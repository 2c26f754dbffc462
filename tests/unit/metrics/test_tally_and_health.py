"""The worker's outcome tally follows its batches' fate (a failed attempt leaves nothing to
count), label values are capped, and health answers from its conditions and beats."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
from prometheus_client import CollectorRegistry

from policies import Decision
from streams.audit.chain import AuditChain
from streams.metrics import server as metrics_server
from streams.metrics.health import Health
from streams.metrics.labels import OTHER, LabelCap
from streams.metrics.server import MetricsServer
from streams.metrics.tally import OutcomeTally
from streams.metrics.worker import WorkerMetrics
from streams.worker.batch import BatchDecider
from streams.worker.output_limits import OutputLimits
from tests.unit.worker.test_batch import NOW, TOPICS, CrashesOnPoison, decider, record

MB = 1024 * 1024


def decider_with_limits(limits: OutputLimits) -> BatchDecider:
    batch_decider, _ = decider()
    batch_decider.limits = limits
    return batch_decider


def test_a_batch_decided_again_after_its_failure_is_tallied_once() -> None:
    batch_decider, _ = decider(CrashesOnPoison)
    tally = batch_decider.pipeline.tally = OutcomeTally()
    chain = AuditChain.fresh(1)
    batch = [record(0, {"ssn": "457-55-5462"}), record(1, "poison"), record(2, {"n": 1})]
    batch_decider.decide(batch, NOW, chain)  # the whole batch raises: decided one at a time
    entries, scans = tally.drain()
    decided = [o.decision for _, o in entries if not isinstance(o, str)]
    letters = [o for _, o in entries if isinstance(o, str)]
    assert sorted(d.value for d in decided) == [Decision.ALLOW.value, Decision.REDACT.value]
    assert letters == ["processing_error"]
    assert scans  # every scan of the attempt that stood


def test_a_rolled_back_transaction_leaves_nothing_to_count() -> None:
    batch_decider, _ = decider()
    tally = batch_decider.pipeline.tally = OutcomeTally()
    chain = AuditChain.fresh(1)
    before = batch_decider.checkpoint(chain)
    batch_decider.decide([record(0, {"n": 1}), record(1, b"x".hex())], NOW, chain)
    assert tally.entries
    batch_decider.rollback(chain, before)  # the transaction failed
    assert tally.drain() == ([], [])


def test_label_values_past_the_cap_count_as_other() -> None:
    cap = LabelCap(2)
    assert [cap(v) for v in ("a", "b", "c", "a", "d")] == ["a", "b", OTHER, "a", OTHER]


def test_health_is_ready_when_every_condition_is_met_and_live_while_loops_beat() -> None:
    now = [100.0]
    health = Health(30.0, ("policy loaded", "partitions assigned"), loops=("loop",),
                    clock=lambda: now[0])
    assert health.ready() == (False, {"policy loaded": False, "partitions assigned": False})
    health.met("policy loaded")
    health.met("partitions assigned")
    assert health.ready()[0]
    now[0] += 29
    assert health.live()[0]
    now[0] += 2
    assert not health.live()[0]
    health.beat("loop")
    assert health.live()[0]


def test_the_server_answers_503_until_ready_and_404_elsewhere() -> None:
    health = Health(30.0, ("state recovered",))
    server = MetricsServer(CollectorRegistry(), health, "127.0.0.1", 0)
    status, _, body = server.respond("/readyz")
    assert status == 503 and json.loads(body)["conditions"] == {"state recovered": False}
    health.met("state recovered")
    assert server.respond("/readyz")[0] == 200
    assert server.respond("/livez")[0] == 200
    assert server.respond("/table/held")[0] == 404


def test_a_client_that_sends_nothing_is_disconnected(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack (slow client): a connection that never sent a request held one of the metrics
    server's threads for good; thousands of them piled threads up inside the service."""
    monkeypatch.setattr(metrics_server, "CLIENT_TIMEOUT_S", 0.5)
    server = MetricsServer(CollectorRegistry(), Health(30.0, ()), "127.0.0.1", 0)
    port = server.start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as idle:
            idle.sendall(b"GET /metr")  # and then nothing
            assert idle.recv(1024) == b"", "the server kept the idle connection open"
        with socket.create_connection(("127.0.0.1", port), timeout=30) as scrape:
            scrape.sendall(b"GET /livez HTTP/1.0\r\n\r\n")
            assert scrape.recv(1024).startswith(b"HTTP/1.0 200")
    finally:
        server.stop()


def test_a_client_that_trickles_its_request_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack (slowloris): a byte every few seconds, each within the read timeout, held one of
    the metrics server's threads for as long as the client kept sending."""
    monkeypatch.setattr(metrics_server, "CLIENT_TIMEOUT_S", 1.0)
    server = MetricsServer(CollectorRegistry(), Health(30.0, ()), "127.0.0.1", 0)
    port = server.start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as slow:
            slow.setblocking(False)
            closed_after = None
            for sent in range(20):  # 6 s of one byte every 0.3 s
                try:
                    slow.send(b"GET /metrics HTTP/1.0\r\n"[sent % 8:sent % 8 + 1])
                    if slow.recv(1024) == b"":
                        closed_after = sent
                        break
                except BlockingIOError:
                    pass  # nothing to read: still open
                except OSError:
                    closed_after = sent
                    break
                time.sleep(0.3)
            assert closed_after is not None, "the server kept the trickling connection open"
    finally:
        server.stop()


def test_a_flood_of_connections_takes_no_threads_or_another_clients_scrape(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack (connection flood): every connection took a thread of the service, without
    bound; 200 idle ones from one address made 200 threads inside the worker."""
    monkeypatch.setattr(metrics_server, "CLIENT_TIMEOUT_S", 30.0)
    server = MetricsServer(CollectorRegistry(), Health(30.0, ()), "127.0.0.1", 0)
    port = server.start()
    threads_before = {thread.ident for thread in threading.enumerate()}
    flood = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(200)]
    try:
        time.sleep(1.0)  # the server has accepted them all
        added = [thread.name for thread in threading.enumerate()
                 if thread.ident not in threads_before]
        assert len(added) <= metrics_server.MAX_CONNECTIONS_PER_CLIENT, added
        # Another address (127.0.0.2 is loopback too) is still served.
        with socket.create_connection(("127.0.0.1", port), timeout=5,
                                      source_address=("127.0.0.2", 0)) as scrape:
            scrape.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
            reply = scrape.recv(1024)
            assert reply.startswith(b"HTTP/1.0 200"), reply
    finally:
        for conn in flood:
            conn.close()
        server.stop()


def _scrape(port: int, source: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10,
                                  source_address=(source, 0)) as scrape:
        scrape.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
        return scrape.recv(1024)


def test_attackers_on_many_addresses_do_not_starve_the_scraper(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Attack (connection flood from many addresses): eight addresses holding eight idle
    connections each filled the 64 places, and every scrape was closed unanswered until the
    attackers' connections timed out, which they reopened at once."""
    monkeypatch.setattr(metrics_server, "CLIENT_TIMEOUT_S", 60.0)
    server = MetricsServer(CollectorRegistry(), Health(30.0, ()), "127.0.0.1", 0)
    port = server.start()
    addresses = [f"127.0.0.{n}" for n in range(10, 18)]  # loopback, eight addresses
    held: dict[socket.socket, str] = {}
    stop = threading.Event()

    def connect(address: str) -> None:
        conn = socket.create_connection(("127.0.0.1", port), timeout=10,
                                        source_address=(address, 0))
        conn.setblocking(False)
        held[conn] = address

    def reopen_what_was_closed() -> None:  # the attacker keeps its places filled
        while not stop.is_set():
            for conn, address in list(held.items()):
                try:
                    if conn.recv(1) == b"":
                        raise ConnectionResetError
                except BlockingIOError:
                    continue  # still open
                except OSError:
                    pass
                conn.close()
                del held[conn]
                connect(address)
            stop.wait(0.01)

    for address in addresses:
        for _ in range(metrics_server.MAX_CONNECTIONS_PER_CLIENT):
            connect(address)
    attacker = threading.Thread(target=reopen_what_was_closed)
    attacker.start()
    try:
        for _ in range(5):
            reply = _scrape(port, "127.0.0.2")
            assert reply.startswith(b"HTTP/1.0 200"), reply
    finally:
        stop.set()
        attacker.join()
        for conn in held:
            conn.close()
        server.stop()


def test_a_flood_from_many_addresses_takes_no_more_threads_than_the_places(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The places given to newcomers are taken from the addresses holding the most: the
    threads stay bounded however many addresses connect."""
    monkeypatch.setattr(metrics_server, "CLIENT_TIMEOUT_S", 60.0)
    server = MetricsServer(CollectorRegistry(), Health(30.0, ()), "127.0.0.1", 0)
    port = server.start()
    threads_before = {thread.ident for thread in threading.enumerate()}
    flood = [socket.create_connection(("127.0.0.1", port), timeout=10,
                                      source_address=(f"127.0.1.{n % 100 + 1}", 0))
             for n in range(300)]
    try:
        time.sleep(1.0)  # accepted, and the connections taken over have ended
        added = [thread for thread in threading.enumerate()
                 if thread.ident not in threads_before]
        assert len(added) <= metrics_server.MAX_CONNECTIONS, len(added)
        assert _scrape(port, "127.0.0.2").startswith(b"HTTP/1.0 200")
    finally:
        for conn in flood:
            conn.close()
        server.stop()


@pytest.mark.parametrize(("host", "key"), [
    ("192.0.2.7", "192.0.2.7"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),  # the same host's /64: one client
    ("fe80::1%eth0", "fe80::/64"),
])
def test_connections_count_per_address_and_per_ipv6_network(host: str, key: str) -> None:
    assert metrics_server.client_key(host) == key


def test_a_decision_held_because_it_does_not_fit_its_topic_counts_as_failed_closed() -> None:
    many = decider_with_limits(OutputLimits(16 * MB, {TOPICS.released: 65_536}))
    tally = many.pipeline.tally = OutcomeTally()
    many.decide([record(0, "y" * 100_000), record(1, {"n": 1})], NOW, AuditChain.fresh(1))
    registry = CollectorRegistry()
    metrics = WorkerMetrics(registry, Health(30.0, ()), tally, ["in"])
    metrics.committed({})
    assert registry.get_sample_value("afterguard_fail_closed_total",
                                     {"reason": "output_too_large"}) == 1
    assert registry.get_sample_value("afterguard_results_total",
                                     {"topic": "in", "decision": "QUARANTINE"}) == 1
