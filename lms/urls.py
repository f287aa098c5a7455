"""Absolute addresses for links that leave the site: certificates, QR codes, credentials, mails."""

from flask import current_app


def public_url(path):
    """path (from url_for) under the address the public knows the site by (LMS_PUBLIC_URL)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path
