"""Peace processes: PA-X v10 agreements, UCDP Peace Agreements v22.1 and Civil Wars Mediation (CWM).

Each loader returns the upstream rows unchanged in number, with the columns the diplomacy layer's
text rules read (titles, signatories, third parties, comments) and the codes that say which states
are parties to the conflict. No text is interpreted here; :mod:`middlepower.diplomacy.peace` does it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from middlepower.sources._readers import as_int, github_raw_content
from middlepower.sources.registry import LeftOut, Source, SourceFile, register, require_columns

PAX_AGREEMENTS = SourceFile(
    path="pax_peace_agreements_v10/pax_all_agreements_v10.csv",
    url=github_raw_content("peacerep/v7_messy_timeline", "6b5e57e46ee09f52030e1364c06de3ff8e4d8c3c",
                           "data/pax_all_agreements_v10.csv"),
    sha256="3260ad12b35a5b523d4a9d2e698d31ed5e27b1d99400589320ddb629af100a29",
)
PAX_COUNTRIES = SourceFile(
    path="pax_peace_agreements_v10/pax_id_to_con_info.csv",
    url=github_raw_content("peacerep/paxplorer", "3c00bf7c7c7a764f7c9bb06955d7e2b85a379235",
                           "data/pax_id_to_con_info.csv"),
    sha256="157898dc8d720b8c291529c5553c225c65b75f4875dc39d140a43209dc31cb2a",
)
PAX_CITATION = (
    "Bell, Christine and Sanja Badanjak. 2019. \"Introducing PA-X: A new peace agreement database and "
    "dataset.\" Journal of Peace Research 56(3): 452-466. PA-X Peace Agreements Database and Dataset, "
    "Version 10, PeaceRep, University of Edinburgh (www.peaceagreements.org)."
)
PAX_LICENCE = ("Not stated in the repositories; PA-X is distributed free by PeaceRep with a citation request "
               "(the licence of v10 was not verified)")
PAX_HOMEPAGE = "https://www.peaceagreements.org/"
PAX_YEARS = (1990, 2025)
"""First and last year of PA-X v10's agreements (signed January 1990 to 27 December 2025)."""

PAX_COLUMNS = {
    "AgtId": ("agt_id", "PA-X agreement id"),
    "Agt": ("title", "agreement title (the venue is often only here, e.g. '... in Astana')"),
    "Dat": ("date", "date of the agreement"),
    "Con": ("conflict", "conflict name(s), '/'-separated"),
    "Contp": ("conflict_type", "conflict type (Government, Territory, Government/territory, Inter-group, Other)"),
    "PP": ("process_id", "peace process id"),
    "PPName": ("process", "peace process name"),
    "Reg": ("region", "region"),
    "Status": ("status", "signature status"),
    "Agtp": ("agreement_type", "Inter, Intra, InterIntra or IntraLocal"),
    "Stage": ("stage", "stage: Pre, SubPar, SubComp, Imp, Cea, Ren, Oth"),
    "Part": ("parties", "signatories as text"),
    "ThrdPart": ("third_parties", "third-party signatories, witnesses, guarantors and mediators, as text"),
    "Loc1ISO": ("loc1_iso3", "ISO3 of the first conflict country (not the place of signing)"),
    "Loc2ISO": ("loc2_iso3", "ISO3 of the second conflict country"),
    "UcdpCon": ("ucdp_conflict", "UCDP conflict id"),
    "UcdpAgr": ("ucdp_agreement", "UCDP peace agreement id (paid) where the agreement is in both"),
}


def _load_pax(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = PAX_AGREEMENTS.path
    # Missing codes are written "NA", "N/A" or left blank; no ISO3 code or title is the string "NA".
    raw = pd.read_csv(paths[where], dtype=str, keep_default_na=False, na_values=["", "NA", "N/A"])
    require_columns(raw, list(PAX_COLUMNS), where)
    frame = raw[list(PAX_COLUMNS)].rename(columns={key: name for key, (name, _) in PAX_COLUMNS.items()})
    frame = as_int(frame, ["agt_id", "process_id", "ucdp_conflict", "ucdp_agreement"])
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    frame["year"] = frame["date"].dt.year.astype("Int64")
    return frame


def _load_pax_countries(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = PAX_COUNTRIES.path
    raw = pd.read_csv(paths[where], dtype=str, keep_default_na=False, na_values=[""])
    require_columns(raw, ["AgtId", "name", "iso_code", "gwno", "entity"], where)
    frame = pd.DataFrame({
        "agt_id": raw["AgtId"], "name": raw["name"].astype("string"), "iso3": raw["iso_code"].astype("string"),
        "gwno": raw["gwno"], "entity": raw["entity"].str.lower().eq("true"),
    })
    return as_int(frame, ["agt_id", "gwno"])


register(
    Source(
        name="pax_agreements",
        title="PA-X Peace Agreements Database v10 (agreements)",
        producer="Political Settlements Research Programme, University of Edinburgh (PA-X)",
        files=(PAX_AGREEMENTS,),
        licence=PAX_LICENCE,
        citation=PAX_CITATION,
        coverage=f"2,257 agreements signed {PAX_YEARS[0]}-01 to {PAX_YEARS[1]}-12-27; third-party text for 1,236",
        homepage=PAX_HOMEPAGE,
        columns={name: description for name, description in PAX_COLUMNS.values()} | {"year": "year of the agreement"},
        loader=_load_pax,
        key=("agt_id",),
        notes=("PA-X has no field for the place of signing or for mediators: the diplomacy layer reads "
               "them from the title and the third-party text (docs/diplomacy.md). The ~250 provision "
               "columns are not loaded."),
    )
)

register(
    Source(
        name="pax_agreement_countries",
        title="PA-X v10 agreement-to-country links (paxplorer)",
        producer="Political Settlements Research Programme, University of Edinburgh (PA-X)",
        files=(PAX_COUNTRIES,),
        licence=PAX_LICENCE,
        citation=PAX_CITATION,
        coverage="3,474 links of PA-X agreements to the countries and entities of their conflicts",
        homepage="https://github.com/peacerep/paxplorer",
        columns={
            "agt_id": "PA-X agreement id",
            "name": "country or entity name",
            "iso3": "ISO3 as published (NA for entities such as Nagorno-Karabakh)",
            "gwno": "Gleditsch-Ward code as published",
            "entity": "True for a non-state entity",
        },
        loader=_load_pax_countries,
        key=("agt_id", "name"),
    )
)

UCDP_FILE = SourceFile(
    path="ucdp_peace_agreements/ucdp-peace-agreements-221.xlsx",
    url=github_raw_content("tjetdata/tjet-db", "65c328d555c0b31119eef2adacbb4a453a36067d",
                           "conflicts/original_data/ucdp-peace-agreements-221.xlsx"),
    sha256="883113e86e29f1fd798482a8b97525e1c85e70fc1ce02de8f23448e0c2f5cf9d",
)
UCDP_COLUMNS = {
    "paid": ("paid", "UCDP peace agreement id"),
    "pa_name": ("title", "agreement name"),
    "pa_date": ("date", "date of signature"),
    "year": ("year", "year of signature"),
    "gwno": ("gwno", "Gleditsch-Ward codes of the conflict's government side(s), comma-separated text"),
    "conflict_id": ("conflict_id", "UCDP conflict id(s)"),
    "conflict_name": ("conflict", "conflict name"),
    "actor_name": ("actors", "signing actors, comma-separated"),
    "pa_sign": ("signatories", "signatories as text"),
    "c_sign": ("sign_comment", "coder's comment on the signing (often names the place: 'signed in Tehran')"),
    "pa_3rd": ("third_parties", "third-party signatories or guarantors, comma-separated text"),
    "c_3rd": ("third_party_comment", "coder's comment on third parties (mediators, observers)"),
    "pa_type": ("agreement_type", "1 full, 2 partial, 3 peace process agreement"),
}


def _load_ucdp(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = UCDP_FILE.path
    raw = pd.read_excel(paths[where], dtype=str)
    require_columns(raw, list(UCDP_COLUMNS), where)
    frame = raw[list(UCDP_COLUMNS)].rename(columns={key: name for key, (name, _) in UCDP_COLUMNS.items()})
    frame = as_int(frame, ["paid", "year", "agreement_type"])
    frame["date"] = pd.to_datetime(frame["date"].str[:10], format="%Y-%m-%d")
    for column in ("title", "gwno", "conflict_id", "conflict", "actors", "signatories", "sign_comment",
                   "third_parties", "third_party_comment"):
        frame[column] = frame[column].astype("string")
    return frame


register(
    Source(
        name="ucdp_peace_agreements",
        title="UCDP Peace Agreement Dataset v22.1",
        producer="Uppsala Conflict Data Program (UCDP)",
        files=(UCDP_FILE,),
        licence="CC BY 4.0 (UCDP); the re-hosting repository (tjet-db) states no licence",
        citation=("Högbladh, Stina. 2022. UCDP Peace Agreement Dataset Codebook v22.1. Uppsala Conflict Data "
                  "Program. Pettersson, Therése, Stina Högbladh and Magnus Öberg. 2019. \"Organized violence, "
                  "1989-2018 and peace agreements.\" Journal of Peace Research 56(4): 589-603."),
        coverage="374 agreements, 1975-2021",
        homepage="https://ucdp.uu.se/downloads/",
        columns={name: description for name, description in UCDP_COLUMNS.values()},
        loader=_load_ucdp,
        key=("paid",),
        notes=("c_3rd is a free-text comment (mediators, observers), not COW codes; third-party states are "
               "named in pa_3rd and c_3rd as text."),
    )
)

CWM_FILE = SourceFile(
    path="civil_wars_mediation/CWM.csv",
    url=github_raw_content("jayrobwilliams/Peace-Agreement-Strength", "d8eacc2edd9f0da6593196e1d4118fbf0d2c68c0",
                           "Datasets/CWM.csv"),
    sha256="42b068fc1da40009a08feb7f8228761ff0b8754c975f61e78369ebc5137d269e",
)


def _load_cwm(paths: Mapping[str, Path]) -> pd.DataFrame:
    where = CWM_FILE.path
    raw = pd.read_csv(paths[where], encoding="latin-1", dtype=str)
    require_columns(raw, ["country", "sidea", "sideb", "Med_yes.no", "year_term", "med.begins", "med.ends",
                          "name.of.third.party"], where)
    frame = pd.DataFrame({
        "row": range(1, len(raw) + 1),
        "country": raw["country"].astype("string"),
        "side_a": raw["sidea"].astype("string"),
        "side_b": raw["sideb"].astype("string"),
        "mediated": raw["Med_yes.no"].astype("string").str.strip().eq("1").fillna(False).astype(bool),
        "year_term": raw["year_term"],
        "mediation_begins": raw["med.begins"].astype("string"),
        "mediation_ends": raw["med.ends"].astype("string"),
        "third_party": raw["name.of.third.party"].astype("string"),
    })
    return as_int(frame, ["year_term"])


register(
    Source(
        name="cwm_mediation",
        title="Civil Wars Mediation (CWM) dataset, column subset (Williams' replication copy)",
        producer="Karl DeRouen, Jacob Bercovitch and Paulina Pospieszna (CWM)",
        files=(CWM_FILE,),
        licence="Not stated (replication inputs of a published paper); cite the producers",
        citation=("DeRouen, Karl, Jacob Bercovitch and Paulina Pospieszna. 2011. \"Introducing the Civil Wars "
                  "Mediation (CWM) dataset.\" Journal of Peace Research 48(5): 663-672."),
        coverage="762 conflict episodes ending 1946-2011, 484 with mediation; 12 of CWM's columns",
        homepage="https://github.com/jayrobwilliams/Peace-Agreement-Strength",
        columns={
            "row": "row number in the file (the dataset has no id)",
            "country": "conflict country",
            "side_a": "side A (the government and its allies)",
            "side_b": "side B (the rebels and their allies)",
            "mediated": "True where the episode saw mediation",
            "year_term": "year the episode ended",
            "mediation_begins": "start of the mediation as written (m/d/yy, sometimes incomplete)",
            "mediation_ends": "end of the mediation as written",
            "third_party": "name(s) of the mediating third party, as text",
        },
        loader=_load_cwm,
        key=("row",),
        notes="A column subset of CWM: historical only (episodes to 2011). Latin-1 encoded.",
        left_out=(LeftOut("civil_wars_mediation/Third-Party-PKMs-version-3.1.xls",
                          "Mullenbach's Third-Party Peacekeeping Missions v3.1 counts missions, not contributions, "
                          "and nothing reads it", rows=215),),
    )
)
