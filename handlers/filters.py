"""Catalogue filters packed into a few bytes of callback data: "<modality>.<YYMM>.<region>"."""

from __future__ import annotations

from bot.services.catalogue import Filters
from bot.text import parse_int

MODALITY_CODES = {"presentiel": "p", "distanciel": "d", "hybride": "h", "coaching": "c",
                  "voyage_etude": "v"}
_MODALITY_BY_CODE = {v: k for k, v in MODALITY_CODES.items()}
ONLINE = "on"


def pack(f: Filters) -> str:
    month = f.month[2:4] + f.month[5:7] if f.month else ""
    region = ONLINE if f.region == "online" else f.region
    return f"{MODALITY_CODES.get(f.modality, '')}.{month}.{region}"


def unpack(text: str | None, regions: set[str]) -> Filters:
    """Read packed filters; anything forged or stale becomes 'no filter' for that part."""
    parts = (text or "").split(".")
    if len(parts) != 3:
        return Filters()
    modality = _MODALITY_BY_CODE.get(parts[0], "")
    year, number = (parse_int(parts[1][:2]), parse_int(parts[1][2:])) if len(parts[1]) == 4 else (None, None)
    month = f"20{year:02d}-{number:02d}" if year is not None and number and number <= 12 else ""
    region = "online" if parts[2] == ONLINE else (parts[2] if parts[2] in regions else "")
    return Filters(modality=modality, month=month, region=region)
