"""'Did you mean ...?' for an unknown id: only the known ids about as close as the best."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# A suggestion must be this close to the word (difflib's ratio, 0-1) ...
CUTOFF = 0.5
# ... and at most this much less close than the best suggestion, so that a clear typo
# ('sudden_onsett') gets one answer, not a list padded with unrelated ids.
SPREAD = 0.1


def did_you_mean(word: str, vocabulary: Iterable[str], limit: int = 3) -> str:
    """' Did you mean 'a' or 'b'?' for `word`, or '' when nothing known is close."""
    matches = difflib.get_close_matches(word, sorted(vocabulary), n=limit, cutoff=CUTOFF)
    if not matches:
        return ""
    closeness = [difflib.SequenceMatcher(None, word, m).ratio() for m in matches]
    kept = [
        m for m, ratio in zip(matches, closeness, strict=True) if ratio >= closeness[0] - SPREAD
    ]
    return " Did you mean " + " or ".join(f"'{m}'" for m in kept) + "?"
