"""Hypothesis strategies shared by the format tests."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st

from .shapes import WIRE_NAMES

# Characters XML 1.0 can carry, and no surrogates: bytes-level codecs write U+FFFD for a lone one.
_NOT_XML = {*map(chr, range(0x20))} - {"\t", "\n", "\r"} | {"\ufffe", "\uffff"}
xml_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=_NOT_XML))
utf8_text = st.text(st.characters(exclude_categories=["Cs"]))


def session_values(text: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, object]]:
    """AISessionInfo values: any subset of the members, each a string drawn from `text`."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(WIRE_NAMES, text))


# Deterministic and quiet: no deadline flakiness, no example database written into the work tree.
fast = settings(max_examples=150, deadline=None, database=None)
