"""XLSX workbooks written column-wise: Arrow's string kernels build the cells of a whole column
at once, and each sheet streams into the ZIP in batches of rows.

GDAL's XLSX driver holds the workbook in memory and writes it cell by cell, xlsxwriter calls
Python per cell: both took longer than all else in an export. The parts written here are the
minimal SpreadsheetML package (workbook, sheets, one default style); text cells are inline
strings, as xlsxwriter's constant-memory mode writes them, so no shared-strings table is kept.
"""

import zipfile
from collections.abc import Sequence
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

BATCH = 10_000
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
"""Characters XML 1.0 cannot hold (tab, line feed and carriage return it can): dropped."""
STYLES = (
    f'{XML_HEAD}<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_workbook(archive: zipfile.ZipFile, sheets: Sequence[tuple[str, pd.DataFrame]]) -> None:
    """One sheet per table, in order, each with a header row of its column names."""
    n = len(sheets)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    archive.writestr(
        "[Content_Types].xml",
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{sheet_type}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{sheet_type}.styles+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            f'ContentType="{sheet_type}.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        + "</Types>",
    )
    archive.writestr(
        "_rels/.rels",
        f'{XML_HEAD}<Relationships xmlns="{PACKAGE_REL}">'
        f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
    )
    archive.writestr(
        "xl/workbook.xml",
        f'{XML_HEAD}<workbook xmlns="{MAIN}" xmlns:r="{DOC_REL}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _) in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>",
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{XML_HEAD}<Relationships xmlns="{PACKAGE_REL}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{DOC_REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        + f'<Relationship Id="rId{n + 1}" Type="{DOC_REL}/styles" Target="styles.xml"/>'
        "</Relationships>",
    )
    archive.writestr("xl/styles.xml", STYLES)
    for i, (_, table) in enumerate(sheets, start=1):
        # No Zip64 (some Excel versions refuse it): a sheet stays far below 2 GiB.
        with archive.open(f"xl/worksheets/sheet{i}.xml", "w") as out:
            _write_sheet(table, out)


def _write_sheet(table: pd.DataFrame, out: IO[bytes]) -> None:
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    letters = [_column_letters(i) for i in range(arrow.num_columns)]
    header = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{escape(name)}</t></is></c>'
        for letter, name in zip(letters, arrow.column_names, strict=True)
    )
    out.write(f'{XML_HEAD}<worksheet xmlns="{MAIN}"><sheetData><row r="1">{header}</row>'.encode())
    first = 2
    for batch in arrow.to_batches(max_chunksize=BATCH):
        rows = pc.cast(pa.array(range(first, first + batch.num_rows), pa.int64()), pa.string())
        cells = [
            _cells(column, letter, rows)
            for column, letter in zip(batch.columns, letters, strict=True)
        ]
        joined = pc.binary_join_element_wise('<row r="', rows, '">', *cells, "</row>", "")
        out.write("".join(joined.to_pylist()).encode())
        first += batch.num_rows
    out.write(b"</sheetData></worksheet>")


def _cells(column: pa.Array, letter: str, rows: pa.Array) -> pa.Array:
    """Each value of `column` as the XML of its cell in column `letter`; empty where missing."""
    if pa.types.is_null(column.type):
        return pa.array([""] * len(column), pa.string())
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        present = pc.is_finite(column) if pa.types.is_floating(column.type) else pc.is_valid(column)
        value = pc.cast(column, pa.string())
        cell = pc.binary_join_element_wise(f'<c r="{letter}', rows, '"><v>', value, "</v></c>", "")
    else:
        text = pc.replace_substring_regex(pc.cast(column, pa.string()), NOT_XML, "")
        for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = pc.replace_substring(text, character, entity)
        present = pc.is_valid(column)
        cell = pc.binary_join_element_wise(
            f'<c r="{letter}',
            rows,
            '" t="inlineStr"><is><t xml:space="preserve">',
            text,
            "</t></is></c>",
            "",
        )
    return pc.if_else(pc.fill_null(present, False), cell, "")


def _column_letters(index: int) -> str:
    """The spreadsheet name of the column at 0-based `index`: A … Z, AA, AB …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
