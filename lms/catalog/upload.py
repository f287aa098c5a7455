"""Unpack a trainer's upload into a staging folder, refusing anything hostile.

Pure Python (no Flask): a .zip of a whole course or a single module file (.md).
Refused with a clear message: too large, too many entries, paths that leave the
folder (zip slip, absolute paths), symbolic links, files that expand far beyond
their compressed size (zip bombs), and file types a course does not use.
"""

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..quizzes.types import N_

ALLOWED_SUFFIXES = {".md", ".yml", ".yaml", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
MAX_RATIO = 100  # expanded size / compressed size of one entry


@dataclass(frozen=True)
class Limits:
    max_zip_bytes: int = 20 * 1024 * 1024
    max_file_bytes: int = 2 * 1024 * 1024
    max_entries: int = 2000
    max_unpacked_bytes: int = 50 * 1024 * 1024  # all files together: each upload is kept a day


class UploadRefused(ValueError):
    """The upload cannot be used; message is an N_ text with params."""

    def __init__(self, message, **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


def _safe_relative(name):
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise UploadRefused(N_("The archive contains an absolute path (%(name)s)."), name=name)
    if any(part == ".." for part in path.parts):
        raise UploadRefused(N_("The archive contains a path that leaves the course folder (%(name)s)."), name=name)
    return path


def unpack_zip(stream, target, limits=Limits()):
    """Unpack a course .zip into target; return the course folder (the one holding course.yml)."""
    data = stream.read(limits.max_zip_bytes + 1)
    if len(data) > limits.max_zip_bytes:
        raise UploadRefused(N_("The file is larger than %(mb)s MB."), mb=limits.max_zip_bytes // (1024 * 1024))
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UploadRefused(N_("The file is not a valid .zip archive.")) from exc
    entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise UploadRefused(N_("The archive has more than %(n)s files."), n=limits.max_entries)
    target = Path(target)
    unpacked = 0
    for entry in entries:
        relative = _safe_relative(entry.filename)
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise UploadRefused(N_("The archive contains a symbolic link (%(name)s)."), name=entry.filename)
        if entry.is_dir() or relative.name.startswith(".") or "__MACOSX" in relative.parts:
            continue
        if relative.suffix.lower() not in ALLOWED_SUFFIXES:
            raise UploadRefused(N_("Files of this type are not part of a course: %(name)s."), name=entry.filename)
        if entry.file_size > limits.max_file_bytes:
            raise UploadRefused(
                N_("%(name)s is larger than %(mb)s MB."), name=entry.filename, mb=limits.max_file_bytes // (1024 * 1024)
            )
        if entry.compress_size and entry.file_size / entry.compress_size > MAX_RATIO:
            raise UploadRefused(N_("%(name)s expands suspiciously much; the archive is refused."), name=entry.filename)
        destination = target.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(entry) as source:
            content = source.read(limits.max_file_bytes + 1)
        if len(content) > limits.max_file_bytes:  # the header lied about the size
            raise UploadRefused(
                N_("%(name)s is larger than %(mb)s MB."), name=entry.filename, mb=limits.max_file_bytes // (1024 * 1024)
            )
        unpacked += len(content)
        if unpacked > limits.max_unpacked_bytes:
            raise UploadRefused(
                N_("The archive unpacks to more than %(mb)s MB."), mb=limits.max_unpacked_bytes // (1024 * 1024)
            )
        destination.write_bytes(content)
    return find_course_folder(target)


def find_course_folder(root):
    """The only sub-folder with a course.yml: its name is the course's id (slug)."""
    root = Path(root)
    if (root / "course.yml").exists():
        raise UploadRefused(
            N_("Put the course folder itself into the .zip (like vereinsrecht/course.yml), not only its "
               "contents: the folder's name is the course's id.")
        )
    candidates = [p for p in root.iterdir() if p.is_dir() and (p / "course.yml").exists()]
    if len(candidates) != 1:
        raise UploadRefused(N_("The archive must contain exactly one course folder with a course.yml."))
    return candidates[0]


def zip_folder(folder):
    """Return a course folder as .zip bytes, with the folder name as the top directory."""
    import io

    folder = Path(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                archive.write(path, PurePosixPath(folder.name, *path.relative_to(folder).parts).as_posix())
    return buffer.getvalue()
