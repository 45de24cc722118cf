"""The CAMEO diplomatic code families the events layer counts, and the roles a state can play.

A family is a CAMEO root code (two digits, matched on ``EventRootCode``) or a three-digit base
code (matched on ``EventBaseCode``); a base family is a subset of its root family. Labels follow
CAMEO's own (GDELT's CAMEO.eventcodes.txt; checked in the tests).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """One CAMEO code family: its code, the slug used in column names, CAMEO's label."""

    code: str
    slug: str
    label: str

    @property
    def level(self) -> str:
        """``root`` for a two-digit CAMEO root code, ``base`` for a three-digit base code."""
        return "root" if len(self.code) == 2 else "base"


FAMILIES: tuple[Family, ...] = (
    Family("04", "consult", "Consult"),
    Family("043", "host_visit", "Host a visit"),
    Family("044", "meet_third", "Meet at a third location"),
    Family("045", "mediate", "Mediate"),
    Family("046", "negotiate", "Engage in negotiation"),
    Family("05", "diplomatic_cooperation", "Engage in diplomatic cooperation"),
    Family("057", "sign_agreement", "Sign formal agreement"),
)
"""The diplomatic families: 04 Consult (with 043-046) and 05 Diplomatic cooperation (with 057)."""

ALL = "all"
"""Pseudo-family of every event whatever its code (the volume that measures are normalised by)."""

ROOT_CODES = frozenset(f.code for f in FAMILIES if f.level == "root")
BASE_CODES = frozenset(f.code for f in FAMILIES if f.level == "base")
BY_CODE = {f.code: f for f in FAMILIES}

INVOLVED = "involved"
"""Role: the state is Actor1's or Actor2's country (an event with both counts once)."""
HOSTED = "hosted"
"""Role: the event took place in the state (``ActionGeo_CountryCode``): hosting."""
DIRECTED = "directed"
"""Role of a dyad row: Actor1's state acts towards Actor2's (different) state."""
