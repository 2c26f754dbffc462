import re

from detectors.linear import LinearRegex
from detectors.pattern import PatternDetector
from detectors.patterns.credential_words import is_password_value, is_secret_value, names_password
from detectors.patterns.credential_words import names_secret as _names_secret

_NAME = re.compile(r"""(?i)<\s*([\w.:-]+)\s*>|(?:key|name)\s*=\s*["']([^"']+)["']""")


def _accept(matched: str, value: str) -> bool:
    found = _NAME.search(matched)
    if found is None:
        return False
    name = (found.group(1) or found.group(2) or "").split(":")[-1]
    if not _names_secret(name):
        return False
    return is_password_value(value) if names_password(name) else is_secret_value(value)


XML_CREDENTIAL = PatternDetector(
    id="xml-credential",
    entity="CREDENTIAL",
    # Credentials in XML: an element named for one (`<password>…</password>` in Maven's
    # settings.xml, `<ns:ApiSecret>`), `<add key="DbPassword" value="…"/>` (.NET appSettings),
    # `<property name="….password" value="…"/>` (Spring, Hibernate, Ant), and
    # `<entry key="smtp.password">…</entry>` (Java properties as XML); the value may sit on a
    # line of its own between the tags. Attributes named for a
    # credential (`Password="…"`) are key=value pairs, found by `password-assignment`.
    pattern=LinearRegex(
        r"<\s*[\w.:-]{0,60}(?i:pass|pwd|secret|token|key|credential)[\w.:-]{0,40}\s*>"
        r"\s{0,40}([^<\s]{1,300})\s{0,40}<\s*/"
        r"""|(?i:key|name)\s*=\s*["'][^"'\n]{0,80}(?i:pass|pwd|secret|token|key|credential)"""
        r"""[^"'\n]{0,40}["']\s+(?i:value)\s*=\s*(?:"([^"\n]{1,300})"|'([^'\n]{1,300})')"""
        r"""|(?i:key|name)\s*=\s*["'][^"'\n]{0,80}(?i:pass|pwd|secret|token|key|credential)"""
        r"""[^"'\n]{0,40}["']\s*>([^<\s]{1,300})<\s*/"""
    ),
    score=0.85,
    keywords=("pass", "pwd", "secret", "token", "key", "credential"),
    group=-1,
    validate_match=_accept,
)
