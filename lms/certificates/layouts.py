"""Certificate layouts: what an admin chose per kind, with defaults until then. Flushes only."""

import base64
import struct
from dataclasses import dataclass

from sqlalchemy import select

from ..audit.services import record
from ..extensions import db
from .models import CertificateLayout

KINDS = ("completion", "attendance")
ORIENTATIONS = ("portrait", "landscape")
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4000 * 4000  # a small file can still claim a huge image (decompression bomb)
DEFAULT_ORIENTATION = {"completion": "portrait", "attendance": "landscape"}


class LogoRejected(ValueError):
    """The uploaded logo is not a PNG or JPEG of acceptable size; message is for the admin."""


@dataclass(frozen=True)
class Layout:
    """A layout as the certificate template reads it."""

    kind: str
    orientation: str
    logo_data_uri: str | None
    signatories: tuple
    footer: str


def current_layouts():
    """{kind: Layout} for every kind: the stored choice, else the default."""
    rows = {row.kind: row for row in db.session.scalars(select(CertificateLayout))}
    return {kind: _view(kind, rows.get(kind)) for kind in KINDS}


def _view(kind, row):
    if row is None:
        return Layout(kind, DEFAULT_ORIENTATION[kind], None, (), "")
    logo = None
    if row.logo:
        logo = f"data:{row.logo_type};base64,{base64.b64encode(row.logo).decode('ascii')}"
    return Layout(kind, row.orientation, logo, tuple(row.signatories), row.footer)


def layout_row(kind, create=True):
    """The stored layout of a kind; if there is none, one with the defaults (added if create)."""
    row = db.session.scalar(select(CertificateLayout).where(CertificateLayout.kind == kind))
    if row is None:
        row = CertificateLayout(
            kind=kind,
            orientation=DEFAULT_ORIENTATION[kind],
            signatory_1_name="",
            signatory_1_role="",
            signatory_2_name="",
            signatory_2_role="",
            footer="",
        )
        if create:
            db.session.add(row)
    return row


def save_layout(row, actor, orientation, signatories, footer, logo=None, remove_logo=False):
    """Store an admin's choices; logo is the uploaded file's bytes (checked here) or None."""
    if orientation not in ORIENTATIONS:
        raise ValueError(orientation)
    row.orientation = orientation
    (row.signatory_1_name, row.signatory_1_role), (row.signatory_2_name, row.signatory_2_role) = signatories
    row.footer = footer
    if logo is not None:
        row.logo_type = check_logo(logo)
        row.logo = logo
    elif remove_logo:
        row.logo, row.logo_type = None, None
    db.session.flush()
    record(actor, "certificate_layout.update", row, kind=row.kind, orientation=orientation, logo=row.logo is not None)
    return row


def check_logo(data):
    """Return the media type of a PNG or JPEG logo, or raise LogoRejected saying what is wrong."""
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRejected("too-large")
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        media_type = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data)
        media_type = "image/jpeg"
    else:
        raise LogoRejected("not-an-image")
    if not (0 < width and 0 < height and width * height <= LOGO_MAX_PIXELS):
        raise LogoRejected("too-many-pixels")
    return media_type


def _jpeg_size(data):
    """Width and height from a JPEG's start-of-frame segment; (0, 0) if there is none."""
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return 0, 0
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2 : index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    return 0, 0
