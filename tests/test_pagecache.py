"""The public page cache: served without rendering, never stale, each visitor's own CSRF token."""

import re
from pathlib import Path

import pytest
from flask import template_rendered
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.catalog.services import sync_courses
from lms.certificates.models import Certificate
from lms.certificates.services import issue_certificate, revoke
from lms.extensions import db
from lms.pagecache import PageCache, public_page


@pytest.fixture
def rendered(app):
    """The names of the templates rendered while the test runs."""
    names = []

    def record(_sender, template, context, **_extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def _token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_second_visitor_gets_the_catalogue_without_rendering_and_without_a_cookie(app, synced, rendered):
    first = app.test_client().get("/")
    assert rendered == ["catalog/index.html"]
    second = app.test_client().get("/")
    assert rendered == ["catalog/index.html"]  # served from the cache
    assert "Testkurs Vereinsrecht" in second.get_data(as_text=True)
    assert first.get_data() == second.get_data()
    # Nothing per visitor on the page: no session, no cookie (the privacy notice promises so).
    assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers
    assert "csrf_token" not in second.get_data(as_text=True)


def test_visitors_switch_language_without_a_token_signed_in_people_with_one(app, synced, client, create_user):
    visitor = app.test_client()
    visitor.get("/")
    response = visitor.post("/language", data={"lang": "tr", "next": "/"})
    assert response.status_code == 302
    assert "Deneme kursu" in visitor.get("/").get_data(as_text=True)

    user = create_user()
    client.login(user.email)
    assert client.raw.post("/language", data={"lang": "ar", "next": "/"}).status_code == 400
    assert client.post_form("/language", {"lang": "ar", "next": "/"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).locale == "ar"


def test_language_is_part_of_the_key(app, synced):
    app.test_client().get("/")
    arabic = app.test_client()
    arabic.set_cookie("lang", "ar")
    page = arabic.get("/").get_data(as_text=True)
    assert 'dir="rtl"' in page and "دورة تجريبية" in page


def test_hiding_a_course_or_changing_its_folder_shows_at_once(app, synced):
    visitor = app.test_client()
    assert "Testkurs Vereinsrecht" in visitor.get("/").get_data(as_text=True)
    assert visitor.get("/courses/demo-kurs").status_code == 200
    with app.app_context():
        db.session.scalar(select(Course)).is_listed = False
        db.session.commit()
    assert "Testkurs Vereinsrecht" not in visitor.get("/").get_data(as_text=True)
    assert visitor.get("/courses/demo-kurs").status_code == 404
    with app.app_context():
        db.session.scalar(select(Course)).is_listed = True
        db.session.commit()
    course_file = Path(app.config["COURSES_DIR"]) / "demo-kurs" / "course.yml"
    course_file.write_text(course_file.read_text().replace("Testkurs Vereinsrecht", "Vereinsrecht kompakt"))
    with app.app_context():
        assert not sync_courses(app.config["COURSES_DIR"]).has_errors
        db.session.commit()
    assert "Vereinsrecht kompakt" in visitor.get("/").get_data(as_text=True)
    assert "Vereinsrecht kompakt" in visitor.get("/courses/demo-kurs").get_data(as_text=True)


def test_signed_in_people_get_their_own_course_page(app, synced, client, create_user):
    app.test_client().get("/courses/demo-kurs")  # the anonymous page is cached
    client.login(create_user().email)
    page = client.get("/courses/demo-kurs").get_data(as_text=True)
    assert "/courses/demo-kurs/enrol" in page


def test_a_page_with_a_flash_message_is_neither_served_from_nor_kept_in_the_cache(app, synced, client, create_user):
    app.test_client().get("/")
    client.login(create_user().email)
    response = client.post_form("/logout", follow_redirects=True)
    flashed = response.get_data(as_text=True)
    assert 'class="flash' in flashed
    assert 'class="flash' not in app.test_client().get("/").get_data(as_text=True)


def test_verification_follows_a_revocation_at_once(app, synced, create_user, rendered):
    holder = create_user(legal_name="Mohammed Al-Ahmad")
    admin = create_user("admin", email="admin@example.org")
    with app.app_context():
        certificate = issue_certificate(db.session.get(User, holder.id), db.session.scalar(select(Course)))
        db.session.commit()
        path = f"/verify/{certificate.display_code}"
    visitor = app.test_client()
    assert "result-ok" in visitor.get(path).get_data(as_text=True)
    assert "result-ok" in visitor.get(path).get_data(as_text=True)
    assert rendered.count("certificates/verify.html") == 1
    with app.app_context():
        revoke(db.session.scalar(select(Certificate)), "Doppelt ausgestellt", db.session.get(User, admin.id))
        db.session.commit()
    page = visitor.get(path).get_data(as_text=True)
    assert "result-bad" in page and "Doppelt ausgestellt" in page


def test_the_cache_keeps_the_most_recently_used_pages_within_its_size():
    page = "ع" * 10  # 20 bytes in UTF-8; each key ("a") adds 3 for its repr
    cache = PageCache(max_bytes=50)
    cache.put("a", page)
    cache.put("b", page)
    assert cache.get("a") == page  # now the most recently used
    cache.put("c", page)
    assert cache.get("b") is None and cache.get("a") == page and cache.get("c") == page
    assert cache.size == 46
    cache.put("huge", "x" * 51)
    assert cache.get("huge") is None and len(cache) == 2


def test_a_size_of_zero_turns_the_cache_off(app, synced, rendered):
    app.extensions["page_cache"] = PageCache(0)
    app.test_client().get("/")
    app.test_client().get("/")
    assert rendered == ["catalog/index.html", "catalog/index.html"]


def test_a_page_with_a_csrf_token_is_not_kept(app):
    """A form added to a public page would hand its visitor's token to every later visitor."""

    @app.route("/test-form-with-own-token")
    def form_with_own_token():
        return public_page(lambda: f'<input name="csrf_token" value="{generate_csrf()}">', lambda: "v1")

    first = app.test_client().get("/test-form-with-own-token").get_data(as_text=True)
    second = app.test_client().get("/test-form-with-own-token").get_data(as_text=True)
    assert _token(first) != _token(second)
    assert len(app.extensions["page_cache"]) == 0


def test_query_strings_are_not_cached(app, synced):
    for number in range(5):
        assert app.test_client().get(f"/?utm_source={number}").status_code == 200
    assert len(app.extensions["page_cache"]) == 0


def test_a_change_committed_while_rendering_is_not_stored_under_the_older_version(app, synced, monkeypatch):
    """Hidden while the catalogue renders, listed again later: the listed version must not bring back
    the page that was rendered without the course."""
    from lms.catalog import views

    real = views.listed_courses

    def hidden_meanwhile():
        db.session.scalar(select(Course)).is_listed = False
        db.session.commit()  # another request hides the course just now
        return real()

    monkeypatch.setattr(views, "listed_courses", hidden_meanwhile)
    app.test_client().get("/")
    monkeypatch.setattr(views, "listed_courses", real)
    with app.app_context():
        db.session.scalar(select(Course)).is_listed = True
        db.session.commit()
    assert "Testkurs Vereinsrecht" in app.test_client().get("/").get_data(as_text=True)
