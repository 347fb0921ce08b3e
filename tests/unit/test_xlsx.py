"""The column-wise XLSX writer, read back with GDAL."""

import zipfile

import numpy as np
import pandas as pd
import pyogrio

from geoapp.services import xlsx


def test_cells_keep_markup_as_text_and_leave_missing_values_empty(tmp_path) -> None:
    table = pd.DataFrame(
        {
            "text": ["<b>Bänke & Licht</b>", "Zeile\x0beins\nzwei", None],
            "count": [1, 2, 3],
            "x": [410892.0587, np.nan, 7.5],
            **{f"c{i}": ["v"] * 3 for i in range(27)},
        }
    )
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        xlsx.write_workbook(archive, [("first", table), ("empty", table.iloc[:0])])
    assert list(pyogrio.list_layers(path)[:, 0]) == ["first", "empty"]
    pyogrio.set_gdal_config_options({"OGR_XLSX_HEADERS": "FORCE"})
    try:
        back = pyogrio.read_dataframe(path, layer="first", read_geometry=False)
    finally:
        pyogrio.set_gdal_config_options({"OGR_XLSX_HEADERS": None})
    assert list(back.columns) == list(table.columns)
    assert list(back["text"][:2]) == ["<b>Bänke & Licht</b>", "Zeileeins\nzwei"]
    assert pd.isna(back["text"][2])
    assert list(back["count"]) == [1, 2, 3]
    assert back["x"][0] == 410892.0587 and back["x"][2] == 7.5
    assert pd.isna(back["x"][1])
    assert list(back["c26"]) == ["v"] * 3
