"""Numbers and units as papers write them: "87.8%", "1,024", "2.4x", "3.1 points", "295M"."""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "MAGNITUDES",
    "UNIT_ALIASES",
    "UNIT_SCALES",
    "Quantity",
    "is_year",
    "normalise_quantity",
    "normalise_unit",
    "number_first_characters",
    "parse_number",
    "split_quantity",
]

# A number with thousands separators or decimals, then what is glued to it ("87.8%", "2.4x").
_QUANTITY = re.compile(
    r"^(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)(?P<suffix>[^\d\s,.]*)$"
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")

# Unit as written (lower case) -> unit as kg stores it.
UNIT_ALIASES: dict[str, str] = {
    "%": "%", "percent": "%", "x": "x", "×": "x", "times": "x", "point": "points",
    "points": "points", "pp": "points", "pts": "points", "db": "dB", "ms": "ms", "fps": "fps",
    "s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
    "gflops": "GFLOPs", "mflops": "M FLOPs", "tflops": "T FLOPs", "gmacs": "GMACs",
}
# Units kg rescales so that one metric has one scale: unit -> (stored unit, factor).
UNIT_SCALES: dict[str, tuple[str, float]] = {
    "s": ("ms", 1000.0),
    "K params": ("M params", 1e-3), "G params": ("M params", 1e3),
    "K FLOPs": ("GFLOPs", 1e-6), "M FLOPs": ("GFLOPs", 1e-3), "G FLOPs": ("GFLOPs", 1.0),
    "T FLOPs": ("GFLOPs", 1e3),
    "K MACs": ("GMACs", 1e-6), "M MACs": ("GMACs", 1e-3), "G MACs": ("GMACs", 1.0),
}
# Magnitude letters glued to a count ("295M FLOPs", "7B").
MAGNITUDES: frozenset[str] = frozenset({"K", "k", "M", "B", "G", "T"})


class Quantity(NamedTuple):
    """A number token split into its value and the letters glued to it (``suffix``)."""

    value: float
    suffix: str


def parse_number(text: str) -> float | None:
    """The value of a number as written, None when ``text`` is not one number.

    >>> parse_number("1,024"), parse_number("87.8%"), parse_number("-0.5"), parse_number("v2")
    (1024.0, 87.8, -0.5, None)
    """
    quantity = split_quantity(text)
    return quantity.value if quantity else None


def split_quantity(text: str) -> Quantity | None:
    """Split "87.8%" into (87.8, "%"), "2.4x" into (2.4, "x"), "1,024" into (1024.0, "").

    >>> split_quantity("295M"), split_quantity("256x256")
    (Quantity(value=295.0, suffix='M'), None)
    """
    match = _QUANTITY.match(text)
    if match is None:
        return None
    return Quantity(float(match["number"].replace(",", "")), match["suffix"])


@lru_cache(maxsize=1)
def number_first_characters() -> frozenset[str]:
    """Every character a number ``split_quantity`` reads can start with: a sign, a decimal
    point or a decimal digit of any script (what ``\\d`` matches), so a token starting
    with anything else is no number.

    >>> {"7", "+", "٣"} <= number_first_characters(), "x" in number_first_characters()
    (True, False)
    """
    digits = (char for char in map(chr, range(sys.maxunicode + 1)) if char.isdecimal())
    return frozenset("+-.").union(digits)


def normalise_unit(text: str) -> str | None:
    """The unit kg stores for a unit word or symbol, None when it is not a unit.

    >>> normalise_unit("×"), normalise_unit("Points"), normalise_unit("dB"), normalise_unit("GPUs")
    ('x', 'points', 'dB', None)
    """
    return UNIT_ALIASES.get(text.lower())


def normalise_quantity(value: float, unit: str | None) -> tuple[float, str | None]:
    """``value`` in ``unit`` as kg stores it: seconds as ms, parameters in millions,
    FLOPs and MACs in billions (G).

    >>> normalise_quantity(295, "M FLOPs"), normalise_quantity(0.5, "s"), normalise_quantity(3, "%")
    ((0.295, 'GFLOPs'), (500.0, 'ms'), (3, '%'))
    """
    if unit not in UNIT_SCALES:
        return value, unit
    stored, factor = UNIT_SCALES[unit]
    return round(value * factor, 9), stored


def is_year(text: str) -> bool:
    """Whether a bare number reads as a year ("2023"), never a result.

    >>> is_year("2023"), is_year("2023.5"), is_year("1024")
    (True, False, False)
    """
    return bool(_YEAR.match(text))
