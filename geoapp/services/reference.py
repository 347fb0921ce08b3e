"""Reference geodata that orients residents when no base map loads (outline, named places)."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EMPTY: dict[str, Any] = {"type": "FeatureCollection", "features": []}


@dataclass(frozen=True)
class ReferenceLayers:
    district: dict[str, Any]
    places: dict[str, Any]


def load(reference_dir: Path) -> ReferenceLayers:
    """Read the district outline and places once; a missing file is an empty layer."""
    return ReferenceLayers(
        district=_read(reference_dir / "district.geojson"),
        places=_read(reference_dir / "places.geojson"),
    )


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else EMPTY
