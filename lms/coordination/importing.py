"""Bulk enrolment from a CSV or XLSX list: read, check every row, then apply all or nothing.

The list is checked twice: once for the preview (nothing stored), and again when the
coordinator confirms, because accounts or cohorts may have changed in between. Only a list
without a single problem is applied, in one transaction.
"""

import csv
import io
import json
import secrets
import shutil
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from ..auth.models import User
from ..auth.services import create_user
from ..extensions import db
from ..forms import clean_text
from ..staging import is_token, new_token, staging_folder
from .models import Cohort, OrganisationMember
from .services import add_member, add_to_cohort, coordinated_ids


def N_(message):
    return message


MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
# Header names as people write them in German, English, Turkish and Arabic lists.
HEADERS = {
    "name": {"name", "vollständiger name", "vor- und nachname", "full name", "ad soyad", "isim", "الاسم"},
    "email": {"email", "e-mail", "e-mail-adresse", "mail", "e-posta", "البريد الإلكتروني"},
    "language": {"language", "sprache", "dil", "اللغة"},
    "organisation": {"organisation", "organization", "verein", "organisation/verein", "kuruluş", "dernek", "المنظمة"},
    "cohort": {"cohort", "gruppe", "kohorte", "grup", "veranstaltung", "المجموعة"},
}
LANGUAGE_NAMES = {
    "deutsch": "de",
    "german": "de",
    "almanca": "de",
    "englisch": "en",
    "english": "en",
    "ingilizce": "en",
    "türkisch": "tr",
    "turkish": "tr",
    "türkçe": "tr",
    "arabisch": "ar",
    "arabic": "ar",
    "arapça": "ar",
    "العربية": "ar",
}


class ImportRefused(ValueError):
    """The file as a whole cannot be read; message is an N_ text with params."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass
class Row:
    line: int
    name: str = ""
    email: str = ""
    language: str = "de"
    organisation: object = None
    cohort: object = None
    existing: object = None  # the User with this e-mail address, if there is one
    problems: list = field(default_factory=list)  # [(N_ message, params)]

    def problem(self, message, **params):
        self.problems.append((message, params))


# --- reading ----------------------------------------------------------------------------------


def read_table(data, filename):
    """Return [(line number, {column: text})] of a CSV or XLSX list; raise ImportRefused."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(N_("The list is larger than 2 MB. Split it into several files."))
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(data)
    elif filename.lower().endswith((".csv", ".txt")):
        rows = _csv_rows(data)
    else:
        raise ImportRefused(N_("Upload the list as .csv or .xlsx."))
    rows = [(number, cells) for number, cells in rows if any(c.strip() for c in cells)]
    if not rows:
        raise ImportRefused(N_("The list is empty."))
    (header_line, header), body = rows[0], rows[1:]
    columns = {}
    for index, title in enumerate(header):
        for key, names in HEADERS.items():
            if title.strip().lower() in names:
                columns[key] = index
    missing = [key for key in ("name", "email") if key not in columns]
    if missing:
        raise ImportRefused(
            N_("Line %(line)s must name the columns; at least 'Name' and 'E-Mail' are needed."), line=header_line
        )
    if len(body) > MAX_ROWS:
        raise ImportRefused(N_("The list has more than %(max)s rows. Split it into several files."), max=MAX_ROWS)
    return [
        (number, {key: (clean_text(cells[index]) if index < len(cells) else "") for key, index in columns.items()})
        for number, cells in body
    ]


def _csv_rows(data):
    # Excel in Germany saves Windows-1252 with semicolons; others UTF-8 (with or without BOM).
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:4096]
    delimiter = max(";,\t", key=sample.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [(reader.line_num, [str(c) for c in cells]) for cells in reader]


def _xlsx_rows(data):
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED:  # a small file that unpacks to gigabytes (zip bomb)
            raise ImportRefused(N_("The workbook is too large when unpacked. Save the list as CSV instead."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportRefused:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportRefused(N_("The file is not a readable Excel workbook (.xlsx).")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2), start=1):
        rows.append((number, ["" if v is None else str(v) for v in values]))
    workbook.close()
    return rows


# --- checking ---------------------------------------------------------------------------------


def check(table, organisation, organisations_in_scope, supported_languages, actor):
    """Check every row; return [Row] (problems per row). Nothing is stored.

    An existing account is only taken in if actor already coordinates the person (or is an
    admin): otherwise adding it to an organisation would open that person's data to actor.
    """
    names = {o.name.lower(): o for o in organisations_in_scope}
    cohorts = {}
    for cohort in db.session.scalars(
        select(Cohort).where(Cohort.organisation_id.in_([o.id for o in organisations_in_scope]))
    ):
        cohorts[(cohort.organisation_id, cohort.name.lower())] = cohort
    emails = [cells.get("email", "").lower() for _line, cells in table]
    existing = {
        u.email: u for u in db.session.scalars(select(User).where(func.lower(User.email).in_([e for e in emails if e])))
    }
    scope = coordinated_ids(actor)
    reachable = None if scope is None else set(
        db.session.scalars(
            select(OrganisationMember.user_id).where(
                OrganisationMember.user_id.in_([u.id for u in existing.values()]),
                OrganisationMember.organisation_id.in_(scope),
            )
        )
    )
    seen, rows = {}, []
    for line, cells in table:
        row = Row(line=line, name=" ".join(cells.get("name", "").split()))
        if not row.name:
            row.problem(N_("The name is missing."))
        elif len(row.name) > 200:
            row.problem(N_("The name is longer than 200 characters."))
        raw_email = cells.get("email", "")
        try:
            row.email = validate_email(raw_email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            row.problem(N_("'%(email)s' is not a valid e-mail address."), email=raw_email)
        if row.email:
            if row.email in seen:
                row.problem(
                    N_("The e-mail address is in the list twice (first in line %(line)s)."), line=seen[row.email]
                )
            else:
                seen[row.email] = line
            row.existing = existing.get(row.email)
            if row.existing is not None and reachable is not None and row.existing.id not in reachable:
                row.problem(
                    N_("An account with this e-mail address exists but belongs to none of your organisations. "
                       "An administrator can add it.")
                )
        language = cells.get("language", "").strip().lower()
        if language:
            row.language = LANGUAGE_NAMES.get(language, language)
            if row.language not in supported_languages:
                row.problem(N_("The language '%(language)s' is not offered."), language=cells.get("language"))
        row.organisation = organisation
        named = cells.get("organisation", "").strip()
        if named:
            row.organisation = names.get(named.lower())
            if row.organisation is None:
                row.problem(N_("The organisation '%(name)s' is unknown or not one you coordinate."), name=named)
        cohort_name = cells.get("cohort", "").strip()
        if cohort_name and row.organisation is not None:
            row.cohort = cohorts.get((row.organisation.id, cohort_name.lower()))
            if row.cohort is None:
                row.problem(N_("The organisation has no cohort '%(name)s'."), name=cohort_name)
        rows.append(row)
    return rows


def apply(rows):
    """Store a clean list: new accounts, memberships, cohorts and enrolments. Return the new users."""
    if any(row.problems for row in rows):
        raise ValueError("a list with problems is never applied")
    created = []
    for row in rows:
        user = row.existing
        if user is None:
            # A random password nobody knows: the person sets their own with the invitation link.
            user = create_user(row.email, secrets.token_urlsafe(24), row.name, None, row.language)
            created.append(user)
        add_member(row.organisation, user)
        if row.cohort is not None:
            add_to_cohort(row.cohort, user)
    db.session.flush()
    return created


# --- staging between preview and confirmation -------------------------------------------------


def stage(data, filename, actor, organisation):
    """Keep an uploaded list until the coordinator confirms it; return its token."""
    token = new_token()
    folder = staging_folder("imports") / token
    folder.mkdir()
    (folder / "list").write_bytes(data)
    meta = {"user_id": actor.id, "organisation_id": organisation.id, "filename": filename}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def staged(token, actor, organisation):
    """(data, filename) of a staged list of this coordinator and organisation, or None."""
    if not is_token(token):
        return None
    folder = staging_folder("imports") / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        data = (folder / "list").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != actor.id or meta.get("organisation_id") != organisation.id:
        return None
    return data, meta["filename"]


def discard(token):
    if is_token(token):
        shutil.rmtree(staging_folder("imports") / token, ignore_errors=True)
