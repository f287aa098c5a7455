"""Every response carries the security headers; no template needs inline script or style."""

import re
from pathlib import Path

from lms.security import CONTENT_SECURITY_POLICY

LMS = Path(__file__).parents[1] / "lms"


def test_pages_and_errors_carry_the_headers(client, synced):
    for url in ("/", "/courses/demo-kurs", "/verify", "/gibt-es-nicht", "/static/css/site.css"):
        response = client.get(url)
        response.close()
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in headers  # plain http in tests
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_https_sites_ask_for_https_only(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/verify").headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_http_only_and_same_site(client, create_user):
    user = create_user()
    response = client.login(user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_served_templates_have_no_inline_script_or_style():
    """The policy forbids inline code; PDF templates (rendered to PDF, never served) may style inline."""
    offenders = []
    for path in LMS.rglob("*.html"):
        if "/pdf/" in str(path) or path.name in {"evaluation_pdf.html", "handout.html", "pdf_fonts.html"}:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", text):
            offenders.append(str(path.relative_to(LMS)))
    assert offenders == []


def test_sign_in_starts_a_fresh_session(client, create_user):
    """Nothing from before the sign-in (planted by someone else, say) survives it."""
    user = create_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.login(user.email)
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("_user_id", "").startswith(f"{user.id}.")
