"""ADDRESS_UNDER_KEY: a postal address as the whole value of a field named for one, in any
country's format; other kinds of address and values that are not addresses are left alone."""

import pytest

from detectors.engine import DetectorEngine
from detectors.patterns.address_under_key import ADDRESS_UNDER_KEY, names_address
from tests.unit.detectors.conftest import found

CASES = [
    ('Vabaduse 31, Tallinn', 'address', ['Vabaduse 31, Tallinn']),
    ('  Lindargata 12 ', 'street', ['Lindargata 12']),
    ('Vestergade 19, 8000 Aarhus C', 'addr', ['Vestergade 19, 8000 Aarhus C']),
    ('Via delle Rose 26\n02030 Borgo di Vione', 'shipping_address',
     ['Via delle Rose 26\n02030 Borgo di Vione']),
    ('Na Příkopě 1283', 'streetAddress', ['Na Příkopě 1283']),
    ('Rua Augusta 274', 'ADDRESS_LINE_1', ['Rua Augusta 274']),
    ('Λεωφόρος Κηφισίας 12', 'Adresse', ['Λεωφόρος Κηφισίας 12']),
    # other kinds of address, and values that are not one
    ('jane@example.com', 'email_address', []),
    ('jane@example.com', 'address', []),
    ('10.0.0.12', 'ipAddress', []),
    ('fe80::1', 'address', []),
    ('0x52908400098527886E0F7030069857D2E4169EE7', 'wallet_address', []),
    ('billing', 'address_type', []),
    ('n/a', 'address', []),
    ('Oslo', 'address', []),
    ('db-prod-7.corp.internal', 'server_address', []),
    ('Vabaduse 31, Tallinn', 'notes', []),
    ('IPv4Address.__eq__(self, other)', 'address_equal', []),
    ('sock.recvmsg(1, socket.CMSG_SPACE(4))', 'addr', []),
    ('line1', 'address', []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ADDRESS_UNDER_KEY, text, key) == expected


@pytest.mark.parametrize(("key", "named"), [
    ("address", True), ("home_address", True), ("mailingAddress", True), ("addr", True),
    ("street", True), ("address2", True), ("emailAddress", False), ("e_mail_address", False),
    ("ip_addr", False), ("macAddress", False), ("address_id", False), ("addressCount", False),
])
def test_names_address(key: str, named: bool) -> None:
    assert names_address(key) is named


def test_an_objects_keys_under_an_address_are_not_reported() -> None:
    """`line1` is a key under `address`, not an address; its value is one."""
    engine = DetectorEngine(ner_model=None, detectors=[ADDRESS_UNDER_KEY])
    output = {"customer": {"address": {"line1": "Vabaduse 31", "city": "Tallinn",
                                       "address2": "Suite 5"}},
              "shipping_address": "Lindargata 12, Reykjavík"}
    reported = {(f.path, f.on_key) for f in engine.scan(output)}
    assert reported == {("customer.address.line1", False), ("customer.address.address2", False),
                        ("shipping_address", False)}


def test_a_line_key_outside_an_address_object_is_not_an_address() -> None:
    """`line1` names a line of anything: a message's, a form's, a label's. Only inside an object
    named for an address is its value a street line."""
    engine = DetectorEngine(ner_model=None, detectors=[ADDRESS_UNDER_KEY])
    output = {"notification": {"line1": "Order 4471 shipped today", "line2": "Thanks again"},
              "line1": "Build 20 passed"}
    assert engine.scan(output) == []


def test_a_line_key_in_an_address_object_is_reported_after_the_same_value_elsewhere() -> None:
    """The same value under the same key is clean in one object and an address in another: the
    engine must not remember it as clean."""
    engine = DetectorEngine(ner_model=None, detectors=[ADDRESS_UNDER_KEY])
    assert engine.scan({"banner": {"line1": "Kauppakatu 7 B"}}) == []
    output = {"billing_details": {"address": {"line1": "Kauppakatu 7 B", "city": "Kotka"}},
              "shipping": {"address_line1": "Rantatie 3"}}
    assert {f.path for f in engine.scan(output)} == {"billing_details.address.line1",
                                                     "shipping.address_line1"}
