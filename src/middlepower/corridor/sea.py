"""Sea legs on searoute's maritime network (searoute 1.6.0, shipped with the package, offline).

Each route variant is a deliberate set of closed passages. searoute's ``restrictions`` argument
*replaces* its default ``['northwest']``, so every variant here closes the Northwest Passage again
unless it means to open the Arctic. Closing only Suez sends Shanghai–Rotterdam through Panama
(24,939 km), not round the Cape; the Cape variant therefore closes Panama as well and the result is
checked to pass ``south_africa``.

Marnet joins the Caspian to the ocean through the Volga–Don waterway, which carries river-sea
vessels only. A leg with exactly one end in the Caspian is refused rather than routed that way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import searoute

from middlepower.errors import DataError

ARCTIC_CLOSED = "northwest"

VARIANTS: dict[str, tuple[list[str], str | None]] = {
    # name: (closed passages, passage the route must traverse)
    "suez": ([ARCTIC_CLOSED], "suez"),
    "cape": (["suez", "panama", ARCTIC_CLOSED], "south_africa"),
    "panama": (["suez", ARCTIC_CLOSED], "panama"),
    "arctic": ([], None),
    "any": ([ARCTIC_CLOSED], None),
}

# Caspian basin as a box (lon 46.5-55.5 E, lat 36.5-47.5 N): no open-sea port lies inside it.
_CASPIAN_BOX = (46.5, 55.5, 36.5, 47.5)


@dataclass(frozen=True)
class SeaLeg:
    """One sea leg: length in km, sailing hours at the given speed, passages traversed."""

    length_km: float
    sailing_hours: float
    passages: tuple[str, ...]
    variant: str


def in_caspian(lat: float, lon: float) -> bool:
    """Return True if (lat, lon) lies in the Caspian basin box."""
    west, east, south, north = _CASPIAN_BOX
    return west <= lon <= east and south <= lat <= north


def sea_leg(origin: tuple[float, float], destination: tuple[float, float], via: str = "any",
            speed_knots: float = 16.0) -> SeaLeg:
    """Return the sea leg between two (lat, lon) points through searoute's marnet.

    ``via`` is one of :data:`VARIANTS`. Raises DataError for an unknown variant, a leg that would
    leave the Caspian through the Volga–Don, or a route that misses the variant's passage (searoute
    silently ignores restrictions when nothing else connects, genthalili/searoute-py#53).
    """
    if via not in VARIANTS:
        raise DataError(f"sea route: unknown variant {via!r} (expected one of {', '.join(VARIANTS)})")
    if in_caspian(*origin) != in_caspian(*destination):
        raise DataError(
            f"sea route {origin} -> {destination}: one end is in the Caspian, which sea-going ships "
            "cannot leave (marnet's Volga-Don link is for river-sea vessels)"
        )
    closed, required = VARIANTS[via]
    feature = searoute.searoute(
        [origin[1], origin[0]], [destination[1], destination[0]], units="km",
        speed_knot=speed_knots, restrictions=list(closed), return_passages=True,
    )
    props = feature["properties"]
    passages = tuple(props.get("traversed_passages") or ())
    if required is not None and required not in passages:
        raise DataError(
            f"sea route {origin} -> {destination} via {via}: searoute found no path through "
            f"{required!r} (passages used: {', '.join(passages) or 'none'})"
        )
    return SeaLeg(float(props["length"]), float(props["duration_hours"]), passages, via)


@lru_cache(maxsize=256)
def sea_geometry(
    origin: tuple[float, float], destination: tuple[float, float], via: str = "any"
) -> tuple[tuple[float, float], ...]:
    """Return the (lon, lat) vertices of the sea leg, for drawing on a map (cached per process)."""
    closed, _ = VARIANTS[via]
    feature = searoute.searoute(
        [origin[1], origin[0]], [destination[1], destination[0]], units="km", restrictions=list(closed)
    )
    return tuple(tuple(point) for point in feature["geometry"]["coordinates"])
