"""Third parties and hosts of peace processes, read from PA-X v10, UCDP v22.1 and CWM by text rules.

Neither PA-X nor UCDP has a field for the mediator or the place of signing: both are in free text.
This module turns the text into two long tables, one row per (agreement, state), each row naming
the agreement it rests on and the words that put the state there.

Third-party roles (:func:`third_party_roles`): a state named in a third-party field (PA-X
``third_parties``; UCDP ``third_parties`` and ``third_party_comment``), or in the signatories of an
agreement whose conflict it is not a party to (PA-X ``parties``), or as the mediator of a CWM
episode. A state that is a party to the conflict (PA-X conflict countries, :func:`pax_conflict_countries`;
UCDP government sides; CWM country and sides) is never a third party of it. A mention is not a role when it
is the place of a meeting ("met in Geneva, Switzerland"), follows "in"/"at", or names a *former*
official. The role is the role word in the mention's clause, else in the heading line above it
(e.g. "Witnessed by:"), else the field's default: mediator, guarantor, witness, observer or
signatory (UCDP lists third-party signatories and guarantors; PA-X's third-party field also
witnesses: its default is "third party").

Hosting (:func:`hosting`): the country of a place named as where the agreement was signed or the
talks were held. In a title: "... in <city>", a title that begins with a city followed by an
agreement word ("Tehran Declaration", "Addis Ababa Agreement"), or a venue phrase. In a text: a
venue phrase, i.e. a meeting or signing word followed within the clause by "in"/"at" and a city or
state ("signed in Kenya", "the talks held in Kuala Lumpur", "Done at Arusha"). ``domestic`` is
True when the host is a party to the conflict; the panel counts only the others.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from middlepower.diplomacy.mentions import Gazetteer, Mention, gazetteer
from middlepower.sources.peace import PAX_YEARS
from middlepower.warehouse import open_store

ROLE_WORDS = (
    ("mediator", re.compile(r"mediat|médiat|facilitat|broker|good offices|chaired by|convened by|under the auspices",
                            re.IGNORECASE)),
    ("guarantor", re.compile(r"guarant|garant", re.IGNORECASE)),
    ("witness", re.compile(r"witness|t[ée]moin", re.IGNORECASE)),
    ("observer", re.compile(r"observ", re.IGNORECASE)),
)
"""Role words, in order of precedence when a clause holds more than one."""

VENUE_WORDS = (r"signed|sign|held|hold|met|meet|meeting|meetings|talks|negotiations|negotiated|conference|summit|"
               r"concluded|done|convened|gathered|hosted|round|session|consultations|agreed|adopted|mediated")
VENUE = re.compile(rf"\b(?:{VENUE_WORDS})\b[^.;\n]{{0,80}}?\b(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
IN_AT = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
FORMER = re.compile(r"\bformer\b[^.;\n]{0,60}$", re.IGNORECASE)
AGREEMENT_WORDS = re.compile(
    r"(?:[\w'’-]+\s+){0,4}?(?:agreement|accord|accords|declaration|protocol|communiqu|statement|memorandum|treaty|"
    r"document|act|plan|understanding|commitment|framework|ceasefire|cease-fire|arrangement|conference|summit|"
    r"talks|compromise|principles|roadmap|pact|peace|joint)",
    re.IGNORECASE)
TITLE_OPENING = re.compile(r"(?:^|[(\"'‘“])\s*(?:the\s+)?$", re.IGNORECASE)
"""Where a city-named title begins: the start of the title, or an opening bracket or quote ("(Lome Ceasefire")."""
CLAUSE_BREAK = re.compile(r"[\n;]|\.\s")

YUGOSLAV_SUCCESSORS = ("SRB", "HRV", "SVN", "BIH", "MKD", "MNE", "XKX")
"""The successor states of the Socialist Federal Republic of Yugoslavia (Kosovo included)."""
PAX_UNCODED_COUNTRIES: dict[str, tuple[str, ...]] = {
    "Kosovo": ("XKX",),
    "Yugoslavia (former)": YUGOSLAV_SUCCESSORS,
}
"""PA-X country links published with no ISO3 code that name states, and the states they name
(model revision 2.21): without them a state's delegation in its own war counts as a third party."""

ROLE_COLUMNS = ["source", "agreement", "agt_id", "paid", "cwm_row", "date", "year", "iso3", "role", "field", "evidence"]
HOST_COLUMNS = ["source", "agreement", "agt_id", "paid", "date", "year", "iso3", "place", "rule", "domestic",
                "evidence"]


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    right = CLAUSE_BREAK.search(text, end)
    return left, right.start() if right else len(text)


def _role_in(text: str) -> str | None:
    for role, pattern in ROLE_WORDS:
        if pattern.search(text):
            return role
    return None


def _heading_role(text: str, start: int) -> str | None:
    """Return the role word of the nearest heading line above ``start`` ("Witnessed by:", "OBSERVERS")."""
    lines = text[:start].split("\n")[:-1]
    for line in reversed(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.endswith(":") or len(stripped) <= 40:
            role = _role_in(stripped)
            if role:
                return role
    return None


def _is_venue(text: str, mention: Mention, places: list[Mention]) -> bool:
    before = text[: mention.start]
    if IN_AT.search(before):
        return True
    # "Geneva, Switzerland": a state right after a place named just before it.
    return any(0 <= mention.start - place.end <= 3 and text[place.end:mention.start].strip() in (",", "")
               for place in places)


def roles_in_text(gaz: Gazetteer, text: str | None, default: str) -> list[tuple[str, str, str]]:
    """Return (iso3, role, evidence) for every state named in a third-party role in ``text``."""
    if not isinstance(text, str) or not text:
        return []
    places = gaz.find_places(text)
    out = []
    for mention in gaz.find_states(text):
        left, right = _clause(text, mention.start, mention.end)
        if _is_venue(text, mention, places) or FORMER.search(text[left:mention.start]):
            continue
        role = _role_in(text[left:right]) or _heading_role(text, mention.start) or default
        out.append((mention.iso3, role, " ".join(text[left:right].split())[:200]))
    return out


def venues_in_text(gaz: Gazetteer, text: str | None, *, title: bool) -> list[tuple[str, str, str, str]]:
    """Return (iso3, place, rule, evidence) for every venue named in ``text`` (a title if ``title``)."""
    if not isinstance(text, str) or not text:
        return []
    found = []
    places = gaz.find_places(text)
    for place in places:
        before = text[: place.start]
        if VENUE.search(before):
            found.append((place, "venue phrase"))
        elif title and IN_AT.search(before):
            found.append((place, "in/at city"))
        elif title and TITLE_OPENING.search(before) and AGREEMENT_WORDS.match(text[place.end:].lstrip()):
            found.append((place, "city-named agreement"))
    for state in gaz.find_states(text):
        if VENUE.search(text[: state.start]) and not any(p.end <= state.start <= p.end + 3 for p, _ in found):
            found.append((state, "venue phrase"))
    out = []
    for mention, rule in found:
        left, right = _clause(text, mention.start, mention.end)
        out.append((mention.iso3, mention.name, rule, " ".join(text[left:right].split())[:200]))
    return out


def pax_conflict_countries(db: Path | str | None = None) -> pd.DataFrame:
    """Return one row per (PA-X agreement, conflict country): columns ``agt_id`` and ``iso3``.

    A conflict country is PA-X's first or second conflict location (``Loc1ISO``/``Loc2ISO``) or a
    state its country links name (coded, or read by ``PAX_UNCODED_COUNTRIES``); entities such as
    Nagorno-Karabakh are not states. The third-party, domestic-hosting and belligerent rules read this.
    """
    with open_store(db) as store:
        return _pax_conflict_countries(store)


def _pax_conflict_countries(store) -> pd.DataFrame:
    locations = store.query(
        "SELECT agt_id, loc1_iso3 AS iso3 FROM pax_agreements UNION ALL SELECT agt_id, loc2_iso3 FROM pax_agreements")
    links = store.query("SELECT agt_id, name, iso3 FROM pax_agreement_countries WHERE NOT entity")
    uncoded = links[links["iso3"].isna()]
    named = [(agt, iso3) for agt, name in zip(uncoded["agt_id"], uncoded["name"], strict=True)
             for iso3 in PAX_UNCODED_COUNTRIES.get(str(name), ())]
    out = pd.concat([locations, links[["agt_id", "iso3"]],
                     pd.DataFrame(named, columns=["agt_id", "iso3"])], ignore_index=True)
    out = out.dropna(subset=["iso3"]).drop_duplicates()
    return out.astype({"agt_id": "int64", "iso3": str}).sort_values(["agt_id", "iso3"]).reset_index(drop=True)


def _parties(store, gaz: Gazetteer) -> dict[str, dict[int, set[str]]]:
    agreements = store.query("SELECT agt_id FROM pax_agreements")["agt_id"]
    pax_parties: dict[int, set[str]] = {int(a): set() for a in agreements}
    for agt_id, iso3 in _pax_conflict_countries(store).itertuples(index=False):
        pax_parties.setdefault(int(agt_id), set()).add(iso3)
    gw = store.query("SELECT DISTINCT gwcode, iso3 FROM crosswalk WHERE gwcode IS NOT NULL AND iso3 IS NOT NULL")
    gw_iso3 = dict(zip(gw["gwcode"].astype(int), gw["iso3"], strict=True))
    # UCDP's gwno names the government side(s) of the conflict; its actor list also names the
    # third-party governments that signed, so it cannot say who the parties are.
    ucdp = store.query("SELECT paid, gwno FROM ucdp_peace_agreements")
    ucdp_parties = {}
    for paid, gwno in ucdp.itertuples(index=False):
        codes = {gw_iso3.get(int(code)) for code in re.findall(r"\d+", str(gwno or ""))}
        ucdp_parties[int(paid)] = {c for c in codes if c}
    cwm = store.query("SELECT row, iso3, side_a, side_b FROM cwm_mediation")
    cwm_parties = {int(row): ({iso3} if isinstance(iso3, str) else set())
                   | {m.iso3 for m in gaz.find_states(a)} | {m.iso3 for m in gaz.find_states(b)}
                   for row, iso3, a, b in cwm.itertuples(index=False)}
    return {"pax": pax_parties, "ucdp": ucdp_parties, "cwm": cwm_parties}


def mediation_year(text: str | None, fallback) -> int | None:
    """Return the year of a CWM date written m/d/yy or m/d/yyyy (two-digit years: 46-99 are 19xx)."""
    match = re.search(r"(\d{2,4})\s*$", str(text or ""))
    if not match:
        return None if pd.isna(fallback) else int(fallback)
    year = int(match.group(1))
    if year < 100:
        year += 1900 if year >= 46 else 2000
    return year


def tables(db: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (third-party roles, hosting) for the store at ``db``; cached per store build."""
    with open_store(db) as store:
        key = (str(store.path.resolve()), str(store.build_info()["fingerprint"]))
    return _tables(*key)


def third_party_roles(db: Path | str | None = None) -> pd.DataFrame:
    """Return one row per (agreement or CWM episode, state, role) of a state acting as a third party.

    Columns: ``source`` (pax, ucdp, cwm), ``agreement`` (the key counted once across sources:
    ``pax:<AgtId>``, ``ucdp:<paid>`` for UCDP agreements not linked to a PA-X one, ``cwm:<row>``),
    ``agt_id``, ``paid``, ``cwm_row``, ``date``, ``year``, ``iso3``, ``role`` (mediator, guarantor,
    witness, observer, signatory, third party), ``field`` (the text field) and ``evidence`` (the
    clause that names the state).
    """
    return tables(db)[0].copy()


def hosting(db: Path | str | None = None) -> pd.DataFrame:
    """Return one row per (agreement, host state): where it was signed or negotiated.

    Columns: ``source``, ``agreement``, ``agt_id``, ``paid``, ``date``, ``year``, ``iso3`` (host),
    ``place`` (the words naming it), ``rule`` (which text rule), ``domestic`` (the host is a party
    to the conflict), ``evidence``.
    """
    return tables(db)[1].copy()


@lru_cache(maxsize=2)
def _tables(path: str, fingerprint: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    gaz = gazetteer(path)
    with open_store(path) as store:
        parties = _parties(store, gaz)
        pax = store.query("SELECT agt_id, date, year, title, parties, third_parties, ucdp_agreement "
                          "FROM pax_agreements")
        ucdp = store.query("SELECT paid, date, year, title, sign_comment, third_parties, third_party_comment "
                           "FROM ucdp_peace_agreements")
        cwm = store.query("SELECT row, mediated, year_term, mediation_begins, third_party FROM cwm_mediation")
    linked = {int(p): int(a) for a, p in zip(pax["agt_id"], pax["ucdp_agreement"], strict=True) if pd.notna(p)}
    roles, hosts = [], []

    for row in pax.itertuples(index=False):
        agt, key, conflict = int(row.agt_id), f"pax:{int(row.agt_id)}", parties["pax"].get(int(row.agt_id), set())
        base = {"source": "pax", "agreement": key, "agt_id": agt, "paid": None, "cwm_row": None,
                "date": row.date, "year": row.year}
        _read_agreement(gaz, base, conflict, roles, hosts,
                        role_fields=(("third_parties", row.third_parties, "third party"),
                                     ("parties", row.parties, "signatory")),
                        venue_fields=(("title", row.title, True), ("third_parties", row.third_parties, False),
                                      ("parties", row.parties, False)))

    for row in ucdp.itertuples(index=False):
        paid = int(row.paid)
        key = f"pax:{linked[paid]}" if paid in linked else f"ucdp:{paid}"
        conflict = parties["ucdp"].get(paid, set())
        base = {"source": "ucdp", "agreement": key, "agt_id": linked.get(paid), "paid": paid, "cwm_row": None,
                "date": row.date, "year": row.year}
        _read_agreement(gaz, base, conflict, roles, hosts,
                        role_fields=(("third_parties", row.third_parties, "signatory"),
                                     ("third_party_comment", row.third_party_comment, "third party")),
                        venue_fields=(("title", row.title, True), ("sign_comment", row.sign_comment, False),
                                      ("third_party_comment", row.third_party_comment, False)))

    for row in cwm.itertuples(index=False):
        if not row.mediated:
            continue
        conflict = parties["cwm"].get(int(row.row), set())
        year = mediation_year(row.mediation_begins, row.year_term)
        base = {"source": "cwm", "agreement": f"cwm:{int(row.row)}", "agt_id": None, "paid": None,
                "cwm_row": int(row.row), "date": pd.NaT, "year": year}
        for iso3, _, evidence in roles_in_text(gaz, row.third_party, "mediator"):
            if iso3 not in conflict:
                roles.append({**base, "iso3": iso3, "role": "mediator", "field": "third_party", "evidence": evidence})

    role_frame = _frame(roles, ROLE_COLUMNS).drop_duplicates(["agreement", "source", "iso3", "role", "field"])
    host_frame = _frame(hosts, HOST_COLUMNS).drop_duplicates(["agreement", "source", "iso3", "rule"])
    return role_frame.reset_index(drop=True), host_frame.reset_index(drop=True)


def _read_agreement(gaz: Gazetteer, base: dict, conflict: set[str], roles: list, hosts: list, *,
                    role_fields, venue_fields) -> None:
    """Append the third-party roles and venues one agreement's text fields name to ``roles``/``hosts``.

    ``role_fields``: (field, text, default role); ``venue_fields``: (field, text, is the title).
    """
    for field, text, default in role_fields:
        for iso3, role, evidence in roles_in_text(gaz, text, default):
            if iso3 not in conflict:
                roles.append({**base, "iso3": iso3, "role": role, "field": field, "evidence": evidence})
    for field, text, is_title in venue_fields:
        for iso3, place, rule, evidence in venues_in_text(gaz, text, title=is_title):
            hosts.append({**base, "iso3": iso3, "place": place, "rule": f"{field}: {rule}",
                          "domestic": iso3 in conflict, "evidence": evidence})


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("agt_id", "paid", "cwm_row", "year"):
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return frame


AGREEMENT_YEARS = PAX_YEARS
"""Years the state-year counts cover: those of PA-X v10; UCDP (1975-2021) adds agreements
PA-X lacks within them. UCDP's agreements before 1990 stay in the long tables, not in the counts."""
CWM_YEARS = (1946, 2011)
"""Years of the CWM mediation episodes (by the year the mediation began)."""


def state_years(db: Path | str | None = None) -> pd.DataFrame:
    """Return one row per state-year with any third-party role or hosting.

    Columns: ``iso3``, ``year``, ``third_party_agreements`` (distinct agreements, PA-X and UCDP counted
    once, in which the state had a third-party role), ``mediator_agreements`` (of which as mediator or
    facilitator), ``hosted_agreements`` (agreements signed or negotiated on its territory for a
    conflict it is not a party to), ``cwm_mediations`` (CWM episodes it mediated, by start year).
    Agreement counts cover ``AGREEMENT_YEARS``; ``cwm_mediations`` covers ``CWM_YEARS``.
    """
    roles, hosts = tables(db)
    first, last = AGREEMENT_YEARS
    agreements = roles[(roles["source"] != "cwm") & roles["year"].between(first, last)]
    pieces = {
        "third_party_agreements": agreements,
        "mediator_agreements": agreements[agreements["role"] == "mediator"],
        "hosted_agreements": hosts[~hosts["domestic"].astype(bool) & hosts["year"].between(first, last)],
        "cwm_mediations": roles[(roles["source"] == "cwm") & roles["year"].between(*CWM_YEARS)],
    }
    counts = [frame.groupby(["iso3", "year"])["agreement"].nunique().rename(name) for name, frame in pieces.items()]
    out = pd.concat(counts, axis=1).fillna(0).astype("int64").reset_index()
    return out.astype({"year": "int64"}).sort_values(["iso3", "year"]).reset_index(drop=True)
