import re

from detectors.linear import WORD, LinearRegex
from detectors.pattern import PatternDetector

EMAIL = PatternDetector(
    id="email",
    entity="EMAIL_ADDRESS",
    pattern=LinearRegex(
        rf"(?:^|[^{WORD}.+-])(?P<m>[A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}@(?:[A-Za-z0-9-]{{1,63}}\.)+"
        r"[A-Za-z]{2,24})\b",
        context_before=True,
    ),
    score=0.95,
    keywords=("@",),
    context_keys=("email", "mail"),
)

# Top-level domains an address must end in where its shape alone says little (written backwards,
# `@` and dots spelled out): every country's (ISO 3166 alpha-2, and `uk`, `eu`, `ac`, `su`) and
# the common generic ones. A dotted name before an `@` that is no reversed address
# (`lodash.merge@4.6.2`, `java.lang.Object@1b6d3586`) reads backwards as one ending in `hsadol`
# or `avaj`.
_COUNTRY_DOMAINS = (
    "ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq "
    "br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm "
    "do dz ec ee eg eh er es et fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs "
    "gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn "
    "kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq "
    "mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm "
    "pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st sv "
    "sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug um us uy uz va vc ve vg vi "
    "vn vu wf ws ye yt za zm zw uk eu ac su")
_GENERIC_DOMAINS = (
    "com net org edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs "
    "cat app dev ai xyz online site website tech store shop blog cloud email live news agency "
    "digital solutions company services group media design studio world today life support "
    "systems network tools page mail inc llc ltd club top space global health law")
TOP_LEVEL_DOMAINS = frozenset((_COUNTRY_DOMAINS + " " + _GENERIC_DOMAINS).split())

# An address with its `@` and dots written so that a person reads them and a pattern does not:
# `jane [at] example [dot] com`, `jane(at)example(dot)com`, `jane AT example DOT com`,
# `jane @ example . com`, `jane@example。com` (an ideographic full stop).
_AT = r"(?:\s*[\[({<]\s*(?:at|@)\s*[\])}>]\s*|\s+(?:at|@)\s+|@)"
_DOT = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+(?:dot|\.)\s+|[.。｡])"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_AT_WRITTEN = re.compile(_AT, re.IGNORECASE)
_DOT_WRITTEN = re.compile(_DOT, re.IGNORECASE)
# Words of prose that `X at Y dot com` makes no address of (`look at the dot com era`).
_NOT_DOMAINS = frozenset({"a", "an", "the", "this", "that", "my", "your", "our", "their", "his",
                          "her", "its", "some", "any", "one"})


def _spelled_address(match: str, value: str) -> bool:
    """An address whose `@` or a dot is spelled out (the plain form is `email`'s), ending in a
    known top-level domain; the bare word `at` counts only with a dot spelled out too
    (`available at example.com` is prose), and not before a word of prose."""
    at = _AT_WRITTEN.search(value)
    if at is None:
        return False
    domain = value[at.end():]
    labels = _DOT_WRITTEN.split(domain)
    if labels[-1].lower() not in TOP_LEVEL_DOMAINS:
        return False
    dot_spelled = any(dot != "." for dot in _DOT_WRITTEN.findall(domain))
    if at.group().strip().lower() == "at":  # the bare word
        return dot_spelled and labels[0].lower() not in _NOT_DOMAINS
    return dot_spelled or at.group() != "@"


EMAIL_SPELLED = PatternDetector(
    id="email-spelled",
    entity="EMAIL_ADDRESS",
    pattern=LinearRegex(
        rf"(?i)(?:^|[^{WORD}.+-])(?P<m>[a-z0-9][a-z0-9._%+-]{{0,63}}{_AT}{_LABEL}"
        rf"(?:{_DOT}{_LABEL}){{1,4}})\b",
        context_before=True,
    ),
    score=0.85,
    keywords=("[at]", "(at)", "{at}", "<at>", "[@]", "(@)", " @ ", " dot ", "[dot]", "(dot)",
              "{dot}", "<dot>", "[.]", "(.)", " . ", "。", "｡"),
    context_keys=("email", "mail"),
    validate_match=_spelled_address,
    group=1,
)
