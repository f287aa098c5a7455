"""Lists as files for spreadsheets: CSV that German Excel opens correctly, and XLSX.

Every export of the site goes through table_download, so all of them behave alike: UTF-8
with a byte-order mark and semicolons (Excel then shows ü, ş and Arabic), or a workbook.
"""

import csv
import io

from flask import Response

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table_download(header, rows, filename_stem, fmt):
    """A Response with header and rows as .csv or .xlsx, named filename_stem.<fmt>."""
    rows = [[_safe(value) for value in row] for row in rows]
    if fmt == "xlsx":
        data, mimetype = _xlsx(header, rows), XLSX_TYPE
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
        data, mimetype = "\ufeff" + buffer.getvalue(), "text/csv"
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename_stem}.{fmt}"',
            "Cache-Control": "private, no-store",
        },
    )


def _safe(value):
    # A name like "=HYPERLINK(…)" must stay text in a spreadsheet (formula injection).
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _xlsx(header, rows):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
