"""Uploads kept between a check and a confirmation: trainers' courses, coordinators' lists.

Each kind has its own folder under UPLOAD_DIR (several app hosts share it); an upload lives
in a folder named by a random token and is removed a day after it was staged.
"""

import re
import secrets
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

TTL = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def staging_folder(kind):
    """The folder of one kind of staged uploads ('courses', 'imports'), without old ones."""
    base = current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads"
    root = Path(base) / kind
    root.mkdir(parents=True, exist_ok=True)
    for folder in root.iterdir():
        if folder.is_dir() and time.time() - folder.stat().st_mtime > TTL:
            shutil.rmtree(folder, ignore_errors=True)
    return root


def new_token():
    return secrets.token_urlsafe(18)


def is_token(text):
    """Tell whether text can be a staging token (so it is safe as a folder name)."""
    return bool(TOKEN.match(text or ""))


@contextmanager
def replacing(folder, source):
    """Put a copy of source where folder is, for the length of a with-block.

    The old folder is kept aside until the block ends without an exception; after one, the
    new folder goes and the old one comes back. A failed copy leaves the old folder as it was.
    """
    folder = Path(folder)
    tag = secrets.token_hex(4)
    incoming = folder.with_name(f".{folder.name}.incoming-{tag}")
    previous = folder.with_name(f".{folder.name}.previous-{tag}")
    try:
        shutil.copytree(source, incoming)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    if folder.exists():
        folder.rename(previous)
    incoming.rename(folder)
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        if previous.exists():
            previous.rename(folder)
        raise
    shutil.rmtree(previous, ignore_errors=True)


def replace_folder(folder, source):
    """Put a copy of source where folder is; the old folder goes only once the copy is complete."""
    with replacing(folder, source):
        pass
