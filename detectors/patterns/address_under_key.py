"""A postal address as the whole value of a field named for one: `{"address": "Vabaduse 31,
Nicosia"}`, `{"street": "Lindargata 12"}`, `{"shipping_address": {"line1": "…"}}`.

Structured tool outputs hold addresses in fields of their own, in whatever format the country
uses; the field's name is the evidence that the pattern detectors' street words and numbers
stand in for in prose. A key names a postal address when one of its words is an address word
(`address`, `street`, `addr`, `line1`…) and none says it is some other kind of address
(`email_address`, `ip_addr`, `wallet_address`, `address_type`). The value must look like an
address: two words or more, one of them letters; not code (a `key = value` line of a program
is keyed too), a mail address, a URL, a host or a placeholder (`n/a`, `unknown`).

A bare `line1`/`line2` names a line of anything (a message's, a label's): it counts only inside
an object whose key names an address (`{"address": {"line1": …}}`, Stripe's shape), not in
`{"notification": {"line1": …}}`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from detectors.finding import Finding
from detectors.linear import LinearRegex
from detectors.pattern import Decided, PatternDetector
from detectors.walker import Leaf

_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_ADDRESS_WORDS = frozenset({"address", "addr", "adress", "street", "streetaddress", "line1",
                            "line2", "address1", "address2", "addressline", "adresse",
                            "anschrift", "strasse", "straße", "direccion", "dirección",
                            "endereco", "endereço", "indirizzo", "adres"})
_STREET_WORDS = frozenset({"street", "strasse", "straße"})
_OTHER_ADDRESSES = frozenset({
    "email", "mail", "e", "ip", "ipv4", "ipv6", "mac", "url", "uri", "web", "website", "wallet",
    "server", "host", "hostname", "remote", "local", "bind", "listen", "socket", "memory",
    "base", "family", "id", "ids", "type", "kind", "count", "verified", "valid", "validated",
    "book", "bar", "space", "hash", "contract", "bitcoin", "btc", "eth", "crypto", "pubkey",
    "peer", "gateway", "dns", "proxy", "network", "net", "smtp", "sender", "reply", "cc",
    "bcc", "status", "format", "label", "errors", "error", "changed", "updated", "match",
    "matches", "offset", "pointer", "ptr", "register", "port", "node", "broadcast",
})
_PLACEHOLDERS = frozenset({"n/a", "na", "none", "null", "nil", "unknown", "-", "tbd", "same",
                           "redacted", "hidden", "true", "false", "home", "work", "billing",
                           "shipping", "primary", "secondary", "other"})
_NOT_POSTAL = re.compile(r"@|://|^0x[0-9a-f]+$|^[0-9a-f:.]+$|^[\w.-]+\.(?:com|net|org|io|local|internal)$",
                         re.IGNORECASE)


# Keys that name an address's line only inside an address object.
_LINE_KEYS = frozenset({"line1", "line2"})
_PATH_PARTS = re.compile(r"[^.\[\]\"]+")


def _words(key: str) -> list[str]:
    return [part.lower() for part in _PARTS.findall(key)]


def names_address(key: str) -> bool:
    """`shipping_address`, `streetAddress`, `ADDRESS_LINE_1`, `line1`; not `email_address`,
    `ipAddress`, `address_type`."""
    words = _words(key)
    joined = "".join(words)
    named = any(w in _ADDRESS_WORDS for w in words) or joined in _ADDRESS_WORDS
    return named and not any(w in _OTHER_ADDRESSES for w in words)


_CODE = re.compile(r"[\[\]{}=;<>\\|`$]|__|\w\(|\.[^\W\d_]{2}")


def _postal_value(value: str) -> bool:
    """Two words or more, one of letters; not code (`IPv4Address.__eq__(self`), a mail
    address, a URL, a host, a hex number or a placeholder."""
    text = value.strip()
    if text.lower() in _PLACEHOLDERS or _NOT_POSTAL.search(text) or _CODE.search(text):
        return False
    return len(text.split()) >= 2 and re.search(r"[^\W\d_]{2}", text) is not None


@dataclass(frozen=True)
class ValueUnderKeyDetector(PatternDetector):
    """Reports values only: an object's own key names (`line1` under `address`) are not
    what its parent's key describes."""

    def matches(self, leaf: Leaf, lowered: str, keyed: bool,
                decided: Decided | None = None) -> Iterator[Finding]:
        if leaf.kind == "key":
            return
        if leaf.key is not None and leaf.key.lower() in _LINE_KEYS and not in_address_object(leaf.path):
            return
        yield from super().matches(leaf, lowered, keyed, decided)


def in_address_object(path: str) -> bool:
    """An object above the leaf is named for an address: `customer.address.line1`,
    `shipping_address.line2`; not `notification.line1` or a bare `line1`."""
    parents = _PATH_PARTS.findall(path)[:-1]
    return any(names_address(part) and part.lower() not in _LINE_KEYS for part in parents)


ADDRESS_UNDER_KEY = ValueUnderKeyDetector(
    id="address-under-key",
    entity="LOCATION",
    pattern=LinearRegex(r"(?s)\A\s*(\S.{0,198}?)\s*\z"),
    score=0.7,
    context_keys=("addr", "adres", "street", "strasse", "straße", "line1", "line2", "anschrift",
                  "direcci", "endere", "indirizzo"),
    key_filter=names_address,
    requires_context=True,
    validate=_postal_value,
    group=1,
    path_keys=_LINE_KEYS,
)
