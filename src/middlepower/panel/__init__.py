"""Panel verbs: each takes a country-year frame (iso3, year) and returns it with documented columns.

Every verb has the signature ``add_x(frame, *, db=None)``, joins through one helper
(:func:`middlepower.panel.frame.join_columns`), never drops or duplicates rows, and leaves NA
where its source has no value. Its columns are declared in the column catalogue (see
:func:`catalogue`). Start from :func:`state_years` and chain, e.g.
``add_resources(add_economy(state_years(1990, 2022)))``. Exports load on first use.
"""

from middlepower._lazy import exports

VERB_MODULES = {
    "add_capabilities": "capabilities", "add_economy": "economy", "add_military": "economy",
    "add_resources": "economy", "add_igos": "economy", "add_transport": "economy",
    "add_majors": "status", "add_geography": "status",
    "add_reach": "reach", "add_ties": "reach", "add_un_participation": "reach",
    "add_alignment": "alignment", "add_balance": "alignment", "add_transit": "transit",
    "add_use_of_force": "force", "add_long_run_economy": "longrun", "add_neighbour_economy": "neighbours",
    "add_peace_roles": "peace_roles",
    "add_events": "events",
    "add_security_council": "diplomacy", "add_peacemaking": "diplomacy", "add_hosting": "diplomacy",
    "add_peacekeeping": "diplomacy",
}
"""Every panel verb and the module that defines it (the docs test checks each is documented)."""

__all__ = sorted(
    [
        *VERB_MODULES,
        "alignment_series",
        "catalogue",
        "declared",
        "join_columns",
        "parse_years",
        "recompute_cinc",
        "select",
        "state_years",
        "write",
    ]
)
__getattr__, __dir__ = exports(
    __name__,
    {
        **VERB_MODULES,
        "recompute_cinc": "capabilities",
        "alignment_series": "alignment",
        "catalogue": "contract",
        "declared": "contract",
        "join_columns": "frame",
        "parse_years": "frame",
        "select": "frame",
        "state_years": "frame",
        "write": "frame",
    },
)
