"""Panel verbs: each takes a country-year frame (iso3, year) and returns it with documented columns.

Verbs never drop or duplicate rows; a verb that cannot fill a year leaves NA. Start from
:func:`state_years` and chain, e.g. ``add_resources(add_economy(state_years(1990, 2022)))``.
"""

from middlepower.panel.capabilities import add_capabilities, recompute_cinc  # noqa: F401
from middlepower.panel.diplomacy import (  # noqa: F401
    add_hosting,
    add_peacekeeping,
    add_peacemaking,
    add_security_council,
)
from middlepower.panel.economy import add_economy, add_igos, add_military, add_resources  # noqa: F401
from middlepower.panel.frame import join_columns, parse_years, select, state_years, write  # noqa: F401
from middlepower.panel.status import add_geography, add_majors  # noqa: F401
from middlepower.panel.reach import add_reach, add_ties, add_un_participation  # noqa: F401
from middlepower.panel.transit import add_transit  # noqa: F401
