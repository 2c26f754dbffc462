"""Values split by markup that a renderer hides: `219-0<b>9-9998</b>`, a `<span>` a character,
`4111-1111<!-- x -->-1111-1111`, `**AKIAQYLP**MN5H…`, ANSI colour codes (`\\x1b[1m…\\x1b[0m`).
The consumer's browser, Markdown viewer or terminal shows the value whole; the detectors,
reading the characters, see it cut.

A text where such markup sits between two characters that are not blanks (one RE2 search) is
read once more with that markup removed: inline HTML elements (`b`, `i`, `span`, `a`, `em`,
`strong`, `code`, `font`… not `td`, `p`, `div`, `li`, `br`, which render apart), HTML comments,
ANSI escape sequences and the Markdown markers `**`, `~~` and a backquote (not `__`, which
Python names are full of). Which findings of that reading count is the engine's choice: those
that span removed markup (the text as written holds the others), of the entities joining
pieces does not make by chance.
Linear: one RE2 search, then one pass that drops the markup.
"""

from __future__ import annotations

from detectors.linear import LinearRegex, Utf8Text
from detectors.spaced import SpacedView

_INLINE = ("a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|"
           "strike|strong|sub|sup|tt|u|var|wbr")
_MARKUP = (rf"</?(?i:{_INLINE})(?:\s[^<>]{{0,200}})?/?>|<!--[^>]{{0,200}}?-->"
           r"|\x1b\[[0-9;?]{0,20}[A-Za-z]|\*\*|~~|`")
_ANY = LinearRegex(_MARKUP)
_INSIDE = LinearRegex(rf"[^\s](?:{_MARKUP})+[^\s]")
SIGN = _INSIDE  # a text it matches nowhere is shown as it is written (`rendered` gives None)


def rendered(source: str | Utf8Text) -> SpacedView | None:
    """The text as a renderer shows it (its markup removed), or None when no markup sits
    between two characters that are not blanks."""
    text = source.text if isinstance(source, Utf8Text) else source
    if _INSIDE.search(source) is None:
        return None
    chars: list[str] = []
    origins: list[int] = []
    done = 0
    for match in _ANY.finditer(source):
        chars.append(text[done:match.start()])
        origins.extend(range(done, match.start()))
        done = match.end()
    chars.append(text[done:])
    origins.extend(range(done, len(text)))
    view = "".join(chars)
    return SpacedView(view, tuple(origins)) if len(view) < len(text) else None
