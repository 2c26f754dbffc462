"""A base64 run is made standard (`-` as `+`, `_` as `/`) by two replaces, not a `translate`
table (which looks each distinct character up, raising and catching a KeyError for each it does
not map): `detectors.decoded._base64_text` reads any run as it reads the run so translated."""

from __future__ import annotations

import base64
import gzip
import zlib

from hypothesis import example, given, settings
from hypothesis import strategies as st

from detectors.decoded import _base64_text

TEXT = st.text(max_size=40)
RAW = st.one_of(
    st.binary(max_size=48),
    TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),
    TEXT.map(lambda text: text.encode("utf-16-le", "surrogatepass")),
    TEXT.map(lambda text: gzip.compress(text.encode("utf-8", "surrogatepass"))),
    TEXT.map(lambda text: zlib.compress(text.encode("utf-8", "surrogatepass"))),
)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_="


URLSAFE = str.maketrans("-_", "+/")  # how `_base64_text` read a URL-safe run before


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=B64, max_size=48) | RAW.map(
    lambda raw: base64.urlsafe_b64encode(raw).decode().rstrip("=")) | RAW.map(
    lambda raw: base64.b64encode(raw).decode()))
@example("MjE5LTA5LTk5OTg")  # `219-09-9998`
@example("PDw_Pz4-")  # `<<??>>`: both URL-safe characters
@example("-_-_")
def test_a_base64_runs_text_is_what_it_was(run: str) -> None:
    assert _base64_text(run) == _base64_text(run.translate(URLSAFE))
