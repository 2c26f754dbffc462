"""Realistic agent action results for the demo and benchmarks, with planted sensitive values.

Everything is synthetic and seeded: the same seed gives the same stream.
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass, field
from typing import Any

FIRST = ["Maria", "James", "Aisha", "Chen", "Olga", "Diego", "Priya", "Tom", "Fatima", "Lukas"]
LAST = ["Garcia", "Okafor", "Novak", "Lindqvist", "Tanaka", "Moreau", "Patel", "Kowalski"]
CITIES = ["Denver", "Austin", "Portland", "Raleigh", "Madison", "Tucson"]


@dataclass
class DemoRecord:
    """One record to publish and the sensitive values planted in it."""

    key: str
    value: bytes
    planted: list[str] = field(default_factory=list)
    malformed: bool = False


def _card(rng: random.Random) -> str:
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return f"{s[:4]} {s[4:8]} {s[8:12]} {s[12:]}"


def _ssn(rng: random.Random) -> str:
    return f"{rng.randrange(100, 665)}-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}"


def _token(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _person(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}{rng.randrange(100)}@example.com"
    phone = f"({rng.randrange(201, 989)}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
    return f"{first} {last}", email, phone


def _customer_lookup(rng: random.Random, job_id: str) -> tuple[dict[str, Any], list[str]]:
    name, email, phone = _person(rng)
    ssn = _ssn(rng)
    customer = {"customer_id": f"C-{rng.randrange(10**6):06d}", "name": name, "email": email,
                "phone": phone, "ssn": ssn, "city": rng.choice(CITIES),
                "internal_notes": "flagged for churn risk; offered 20% retention discount"}
    return ({"job_id": job_id, "agent_id": "support-agent-7", "action":
             "job.support.lookup-customer", "tenant": "acme", "audience": "customer",
             "risk_tags": ["prod", "read"], "output": {"response": {"customers": [customer]}}},
            [ssn, email, phone])


def _refund(rng: random.Random, job_id: str) -> tuple[dict[str, Any], list[str]]:
    card = _card(rng)
    amount = round(rng.uniform(5, 900), 2)
    return ({"job_id": job_id, "agent_id": "billing-agent-2", "action":
             "job.billing.process-refund", "tenant": "acme", "audience": "internal",
             "risk_tags": ["prod", "write", "financial"], "amount_usd": amount,
             "output": {"refund": {"status": "succeeded", "amount_usd": amount,
                                   "card_number": card, "processor_ref": f"re_{rng.randrange(10**9)}"}}},
            [card])


def _email(rng: random.Random, job_id: str) -> tuple[dict[str, Any], list[str]]:
    name, email, _ = _person(rng)
    return ({"job_id": job_id, "agent_id": "comms-agent-1", "action": "job.comms.send-email",
             "tenant": "acme", "audience": "customer", "risk_tags": ["prod", "write"],
             "output": {"to": email, "subject": "Your refund is on its way",
                        "body": f"Hi {name.split()[0]}, your refund was processed today.",
                        "status": "sent"}}, [email])


def _tool_log(rng: random.Random, job_id: str) -> tuple[dict[str, Any], list[str]]:
    aws = "AKIA" + _token(rng, string.ascii_uppercase + "234567", 16)
    ghp = "ghp_" + _token(rng, string.ascii_letters + string.digits, 36)
    secret = rng.choice([aws, ghp])
    log = (f"2026-11-21T10:0{rng.randrange(10)}:00Z INFO deploy step 3/5 ok\n"
           f"2026-11-21T10:0{rng.randrange(10)}:01Z DEBUG using credential {secret}\n")
    return ({"job_id": job_id, "agent_id": "devops-agent-3", "action": "job.devops.run-diagnostics",
             "tenant": "acme", "audience": "internal", "risk_tags": ["prod"],
             "output": {"exit_code": 0, "log": log, "debug_trace": {"host": "build-7"}}}, [secret])


def _clean(rng: random.Random, job_id: str) -> tuple[dict[str, Any], list[str]]:
    return ({"job_id": job_id, "agent_id": "analytics-agent-5", "action":
             "job.analytics.count-orders", "tenant": "acme", "audience": "internal",
             "risk_tags": ["read"],
             "output": {"orders": rng.randrange(1000), "window": "24h", "region": "us-east"}}, [])


KINDS = [(_customer_lookup, 3), (_refund, 2), (_email, 2), (_tool_log, 1), (_clean, 4)]


def generate(count: int, run_id: str, seed: int = 7, malformed_every: int = 40) -> list[DemoRecord]:
    rng = random.Random(seed)
    makers = [maker for maker, weight in KINDS for _ in range(weight)]
    records: list[DemoRecord] = []
    for i in range(count):
        job_id = f"{run_id}-{i:05d}"
        if malformed_every and i % malformed_every == malformed_every - 1:
            bad = (b"{not json" if i % 2 else
                   json.dumps({"job_id": job_id, "action": "job.x", "output": {}}).encode())
            records.append(DemoRecord(job_id, bad, malformed=True))
            continue
        document, planted = rng.choice(makers)(rng, job_id)
        records.append(DemoRecord(job_id, json.dumps(document).encode(), planted))
    return records
