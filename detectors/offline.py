"""Nothing downloads at run time: tldextract reads its bundled public suffix list snapshot.

presidio's email recognizer calls `tldextract.extract`, whose default extractor fetches the
public suffix list over the network on first use. `bundled_suffix_extractor` never does; and
`use_bundled_suffix_list` points the module-level extractor that presidio uses at it.
"""

from __future__ import annotations

from functools import cache

import tldextract
from tldextract import tldextract as tldextract_module


@cache
def bundled_suffix_extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def use_bundled_suffix_list() -> None:
    """Make `tldextract.extract` (as called by presidio) use the bundled snapshot."""
    tldextract_module.TLD_EXTRACTOR = bundled_suffix_extractor()
