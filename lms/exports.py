"""Files for download, and lists as files for spreadsheets.

Every download goes through file_download (an attachment nobody caches), every list export
through table_download: UTF-8 with a byte-order mark and semicolons (German Excel then shows
ü, ş and Arabic), or a workbook.
"""

import csv
import io

from flask import Response, request

from .forms import clean_text

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
    return file_download(data, mimetype, f"{filename_stem}.{fmt}")


def file_download(data, mimetype, filename):
    """A Response that saves data as filename; private, never cached (it may hold personal data)."""
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


MAX_PAGE = 100_000  # far beyond any list; keeps OFFSET inside what databases accept


def page_number():
    """The page of a paginated list from ?page=, 1 for anything that is not a positive number."""
    try:
        return min(max(1, int(request.args.get("page", 1))), MAX_PAGE)
    except ValueError:
        return 1


MAX_ID = 2**31 - 1  # the largest id a database column holds


def parse_id(text):
    """A record id from form or query text, or None when it is not one (junk, "²", 0, too large)."""
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def search_argument(name="q", limit=200):
    """Text typed into a search or filter, cleaned like form input (no NUL or control characters,
    which PostgreSQL refuses in a query) and cut to limit characters."""
    return clean_text(request.args.get(name, ""))[:limit]


def id_argument(name):
    """A record id from the query string, or None."""
    return parse_id(request.args.get(name, ""))


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
