"""The worker's transactional producers retry a transaction's first request soon after the
coordinator answers that it is still writing the previous transaction's markers (aiokafka's
fixed 20 ms cost every such transaction that much: docs/benchmarks.md, step 26)."""

from __future__ import annotations

from types import SimpleNamespace

from aiokafka.errors import ConcurrentTransactions
from aiokafka.producer.sender import AddPartitionsToTxnHandler
from aiokafka.structs import TopicPartition

from streams.worker import transactions


def test_a_transactions_first_partitions_are_added_again_after_5_ms_not_20() -> None:
    # the producer's handler of the coordinator's answer, as the worker's producers run it:
    # no partition in the transaction yet, the coordinator busy with the previous one's markers
    producer_side = SimpleNamespace(_txn_manager=SimpleNamespace(txn_partitions=set()),
                                    _retry_backoff=transactions.RETRY_BACKOFF_MS / 1000)
    handler = AddPartitionsToTxnHandler(producer_side, [TopicPartition("released", 0)])
    answer = SimpleNamespace(errors=[("released", [(0, ConcurrentTransactions.errno)])])
    assert handler.handle_response(answer) == 0.005
