"""`any_glob` matches with one pattern for all its globs: it must say what matching each glob
alone says, for any globs and texts (paths, action names, topics)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policies.glob import any_glob, glob_match, literal_tails

PARTS = st.sampled_from(["*", "?", "[*]", "*.", ".", "a", "b", "ssn", "[", "]", "(", "|", "\\",
                         "job", "-", "0", "\n"])
GLOBS = st.lists(st.lists(PARTS, max_size=5).map("".join), max_size=4).map(tuple)
TEXTS = st.lists(st.sampled_from(["a", "b", ".", "[0]", "[12]", "ssn", "job", "-", "|", "(",
                                  "\n", "x"]), max_size=8).map("".join)


@settings(max_examples=600, deadline=None)
@given(GLOBS, TEXTS)
def test_any_glob_is_any_of_its_globs(globs: tuple[str, ...], text: str) -> None:
    assert any_glob(globs, text) == any(glob_match(glob, text) for glob in globs)


def test_examples() -> None:
    assert any_glob(("*.internal_notes", "*.debug_trace"), "internal_notes")
    assert any_glob(("*.internal_notes", "*.debug_trace"), "a.b[3].debug_trace")
    assert not any_glob(("*.internal_notes",), "internal_notes_x")
    assert not any_glob((), "anything")
    assert any_glob(("job.a", "job.support.*"), "job.support.lookup")


@settings(max_examples=600, deadline=None)
@given(GLOBS, TEXTS)
def test_a_text_a_glob_matches_ends_with_its_literal_tail(globs: tuple[str, ...],
                                                          text: str) -> None:
    """`decide` tries a field rule's globs only on paths that end with one of their tails."""
    if any_glob(globs, text):
        assert text.endswith(literal_tails(globs))


def test_literal_tails() -> None:
    assert literal_tails(("*.internal_notes", "*.debug_trace")) == ("internal_notes",
                                                                    "debug_trace")
    assert literal_tails(("a.*.b?c", "x[*].ssn", "exact", "a*", "*.b*.c")) == (
        "c", ".ssn", "exact", "", ".c")
