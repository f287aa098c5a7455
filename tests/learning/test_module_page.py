"""Module pages after a content update show the new text (cached texts are keyed by content)."""

import shutil

from lms.catalog.services import sync_courses
from lms.extensions import db
from tests.conftest import GOOD_COURSES


def test_updated_text_is_shown_after_sync(app, client, create_user, tmp_path):
    courses = tmp_path / "source-courses"
    shutil.copytree(GOOD_COURSES, courses)
    with app.app_context():
        sync_courses(courses)
        db.session.commit()
    user = create_user()
    client.login(user.email)
    client.post_form("/courses/demo-kurs/enrol")
    assert "eingetragen." in client.get("/courses/demo-kurs/erstes-modul").get_data(as_text=True)

    source = courses / "demo-kurs" / "01-erstes-modul" / "de.md"
    source.write_text(source.read_text(encoding="utf-8").replace("eingetragen.", "eingetragen, neu."), encoding="utf-8")
    with app.app_context():
        sync_courses(courses)
        db.session.commit()
    page = client.get("/courses/demo-kurs/erstes-modul").get_data(as_text=True)
    assert "eingetragen, neu." in page


def test_unknown_module_is_404(app, client, synced, create_user):
    user = create_user()
    client.login(user.email)
    client.post_form("/courses/demo-kurs/enrol")
    assert client.get("/courses/demo-kurs/gibt-es-nicht").status_code == 404
    assert client.get("/courses/gibt-es-nicht/erstes-modul").status_code == 404
