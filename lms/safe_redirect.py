"""Redirect targets that cannot lead off the site."""

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target, default_endpoint="learning.dashboard"):
    """Return target if it is a path on this site, else the default page."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
        ):
            return target
    return url_for(default_endpoint)
