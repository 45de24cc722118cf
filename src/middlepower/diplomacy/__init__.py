"""Diplomacy: UN Security Council votes, third parties and hosts of peace processes, peacekeeping.

The behavioural record of middle-power conduct, each table read from the store and traceable to
the resolutions, agreements or monthly reports it rests on:

* :mod:`.council` — Security Council votes per state-year, 2000 to date, and Council membership
  derived from the votes;
* :mod:`.peace` — third-party roles and hosting in peace processes (PA-X, UCDP, CWM), by text rules
  whose error rate is measured on a hand-checked sample (docs/diplomacy.md);
* :mod:`.peacekeeping` — uniformed contributions to UN peacekeeping per state-year, 1990-2014.
"""
