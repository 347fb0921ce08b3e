"""One writer per export format, all through GDAL (pyogrio's Arrow path where the driver
takes it); tables come in WGS84.

GDAL's XLSX and CSV drivers hold no geometry, so those get lon/lat (and x/y) columns instead.
"""

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyogrio
import shapely

from geoapp import geo
from geoapp.services import xlsx
from geoapp.services.export_columns import (
    CONTRIBUTION_COLUMNS,
    PERIMETER_COLUMNS,
    REPLY_COLUMNS,
    short_names,
)

ETRS89_UTM32 = 25832
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet cell starting like this would be run as a formula; such cells get a ' first."""
COMPRESSED_SUFFIXES = (".png", ".jpg", ".jpeg")


class Format(StrEnum):
    GEOJSON = "geojson"
    GPKG = "gpkg"
    SHP = "shp"
    CSV = "csv"
    XLSX = "xlsx"
    KML = "kml"
    DXF = "dxf"


@dataclass
class Tables:
    """The layers of an export, in WGS84."""

    contributions: gpd.GeoDataFrame
    replies: pd.DataFrame
    perimeter: gpd.GeoDataFrame


Writer = Callable[[Tables, int, Path, str], None]
"""Writes the tables in an EPSG code to a path (the last argument: the CSV separator)."""


@dataclass(frozen=True)
class FormatSpec:
    suffix: str
    media_type: str
    default_epsg: int
    write: Writer
    wgs84_only: bool = False


def write_geojson(
    contributions: gpd.GeoDataFrame, path: Path, foreign: dict[str, str] | None = None
) -> None:
    """RFC 7946: WGS84 lon/lat, no crs member, right-hand rule, 7 decimals."""
    options: dict[str, Any] = {"RFC7946": "YES", "ID_FIELD": "id", "WRITE_NAME": "NO"}
    if foreign:
        options["FOREIGN_MEMBERS_COLLECTION"] = json.dumps(foreign, ensure_ascii=False)
    pyogrio.write_dataframe(
        contributions,
        path,
        driver="GeoJSON",
        layer="contributions",
        layer_options=options,
        use_arrow=True,
    )


def write_gpkg(tables: Tables, epsg: int, path: Path) -> None:
    """Layers contributions, replies (no geometry, linked by contribution_id) and perimeter."""
    for layer, frame in (
        ("contributions", projected(tables.contributions, epsg)),
        ("replies", tables.replies),
        ("perimeter", projected(tables.perimeter, epsg)),
    ):
        pyogrio.write_dataframe(frame, path, driver="GPKG", layer=layer, use_arrow=True)


def write_shapefile_zip(tables: Tables, epsg: int, path: Path) -> None:
    """contributions.shp, perimeter.shp and replies.dbf (UTF-8, .cpg) in one ZIP."""
    folder = path.with_name(path.name + ".parts")
    folder.mkdir()
    try:
        layers = (
            ("contributions", projected(tables.contributions, epsg), CONTRIBUTION_COLUMNS),
            ("replies", tables.replies, REPLY_COLUMNS),
            ("perimeter", projected(tables.perimeter, epsg), PERIMETER_COLUMNS),
        )
        for name, frame, columns in layers:
            suffix = ".shp" if isinstance(frame, gpd.GeoDataFrame) else ".dbf"
            pyogrio.write_dataframe(
                frame.rename(columns=short_names(columns)),
                folder / f"{name}{suffix}",
                driver="ESRI Shapefile",
                layer_options={"ENCODING": "UTF-8"},
                use_arrow=True,
            )
        with open_zip(path) as archive:
            for part in sorted(folder.iterdir()):
                add_to_zip(archive, part, part.name)
    finally:
        shutil.rmtree(folder)


def open_zip(path: Path) -> zipfile.ZipFile:
    """A new ZIP at level 1: our text packs nearly as small as at 6, several times faster."""
    return zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)


def add_to_zip(archive: zipfile.ZipFile, file: Path, name: str) -> None:
    """Add `file` as `name`; images are compressed already, so they are stored as they are."""
    stored = file.suffix.lower() in COMPRESSED_SUFFIXES
    archive.write(file, name, zipfile.ZIP_STORED if stored else None)


def write_csv(table: pd.DataFrame, path: Path, separator: str = ",") -> None:
    """UTF-8 with BOM so that Excel reads umlauts; `;` for German Excel.

    Arrow's CSV writer, not GDAL's: several times faster, and GDAL reads it back the same.
    """
    arrow = pa.Table.from_pandas(neutralised(table), preserve_index=False)
    with path.open("wb") as out:
        # Our own column names need no quotes; Arrow would quote them.
        out.write(b"\xef\xbb\xbf" + separator.join(arrow.column_names).encode() + b"\n")
        pacsv.write_csv(arrow, out, pacsv.WriteOptions(include_header=False, delimiter=separator))


def write_xlsx(tables: Tables, epsg: int, path: Path) -> None:
    """One sheet per layer; the perimeter sheet holds its outline as WKT."""
    outline = projected(tables.perimeter, epsg)
    perimeter = pd.DataFrame(outline.drop(columns="geometry"))
    perimeter["wkt"] = shapely.to_wkt(outline.geometry.values)
    sheets = (
        ("contributions", spreadsheet_table(tables.contributions, epsg)),
        ("replies", tables.replies),
        ("perimeter", perimeter),
    )
    with open_zip(path) as archive:
        xlsx.write_workbook(archive, [(name, neutralised(table)) for name, table in sheets])


def write_kml(contributions: gpd.GeoDataFrame, path: Path) -> None:
    """For Google Earth: the category as placemark name, the text as its description."""
    pyogrio.write_dataframe(
        contributions,
        path,
        driver="KML",
        layer="contributions",
        dataset_options={"NameField": "category_label", "DescriptionField": "text"},
        use_arrow=True,
    )


def write_dxf(contributions: gpd.GeoDataFrame, epsg: int, path: Path) -> None:
    """Points on one CAD layer per category, each with a text label of its id."""
    points = projected(contributions, epsg)[["category", "id", "geometry"]]
    points = points[~points.geometry.isna()]
    layer = points["category"].to_numpy(dtype=object)
    labels = np.array([f'LABEL(f:"Arial",t:"{i}",s:1g,p:7,dx:1g)' for i in points["id"]])
    frame = gpd.GeoDataFrame(
        {
            "Layer": np.concatenate([layer, layer]),
            "OGR_STYLE": np.concatenate([np.full(len(points), None, dtype=object), labels]),
        },
        geometry=np.concatenate([points.geometry.values, points.geometry.values]),
        crs=points.crs,
    )
    # DXF stays on the row path: the Arrow one does not pass OGR_STYLE on as the label style.
    pyogrio.write_dataframe(frame, path, driver="DXF")


FORMATS: dict[Format, FormatSpec] = {
    Format.GEOJSON: FormatSpec(
        ".geojson",
        "application/geo+json",
        geo.WGS84_EPSG,
        lambda tables, _epsg, path, _sep: write_geojson(tables.contributions, path),
        wgs84_only=True,
    ),
    Format.GPKG: FormatSpec(
        ".gpkg",
        "application/geopackage+sqlite3",
        ETRS89_UTM32,
        lambda tables, epsg, path, _sep: write_gpkg(tables, epsg, path),
    ),
    Format.SHP: FormatSpec(
        ".shp.zip",
        "application/zip",
        ETRS89_UTM32,
        lambda tables, epsg, path, _sep: write_shapefile_zip(tables, epsg, path),
    ),
    Format.CSV: FormatSpec(
        ".csv",
        "text/csv; charset=utf-8",
        ETRS89_UTM32,
        lambda tables, epsg, path, sep: write_csv(
            spreadsheet_table(tables.contributions, epsg), path, sep
        ),
    ),
    Format.XLSX: FormatSpec(
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ETRS89_UTM32,
        lambda tables, epsg, path, _sep: write_xlsx(tables, epsg, path),
    ),
    Format.KML: FormatSpec(
        ".kml",
        "application/vnd.google-earth.kml+xml",
        geo.WGS84_EPSG,
        lambda tables, _epsg, path, _sep: write_kml(tables.contributions, path),
        wgs84_only=True,
    ),
    Format.DXF: FormatSpec(
        ".dxf",
        "image/vnd.dxf",
        ETRS89_UTM32,
        lambda tables, epsg, path, _sep: write_dxf(tables.contributions, epsg, path),
    ),
}
"""Every export format: file suffix, media type, default CRS and its writer."""


def projected(frame: gpd.GeoDataFrame, epsg: int) -> gpd.GeoDataFrame:
    """`frame` (WGS84, or already in `epsg`) in EPSG `epsg`, through the app's one transform."""
    if frame.crs is not None and frame.crs.to_epsg() == epsg:
        return frame
    geometry = geo.transform(frame.geometry.values.to_numpy(), geo.WGS84, epsg)
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geometry, crs=f"EPSG:{epsg}")


def spreadsheet_table(
    contributions: gpd.GeoDataFrame, epsg: int, moved: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """Contributions without geometry: lon/lat, and x/y in EPSG `epsg` when it is not WGS84
    (taken from `moved`, the same contributions projected already, when given)."""
    table = pd.DataFrame(contributions.drop(columns="geometry"))
    points = contributions.geometry.values.to_numpy()
    table["lon"] = shapely.get_x(points)
    table["lat"] = shapely.get_y(points)
    if epsg != geo.WGS84_EPSG:
        there = (moved if moved is not None else projected(contributions, epsg)).geometry
        table["x"] = shapely.get_x(there.values.to_numpy())
        table["y"] = shapely.get_y(there.values.to_numpy())
    return table


def neutralised(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula, prefixed with '."""
    out = table.copy()
    for name in out.columns:
        column = out[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            # Column-wise; a missing cell stays missing.
            starts = column.str.startswith(FORMULA_STARTS).eq(True)
            if starts.any():
                out[name] = column.where(~starts, "'" + column)
    return out
