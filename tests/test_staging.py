"""Folders are replaced whole or not at all (course publishing, backup restore)."""

import pytest

from lms.staging import replace_folder, replacing


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def live(tmp_path):
    folder = tmp_path / "kurs"
    (folder / "01-a").mkdir(parents=True)
    (folder / "01-a" / "de.md").write_text("alt")
    new = tmp_path / "neu"
    (new / "02-b").mkdir(parents=True)
    (new / "02-b" / "de.md").write_text("neu")
    return folder, new


def test_a_replaced_folder_has_the_new_content_and_nothing_is_left_over(live):
    folder, new = live
    replace_folder(folder, new)
    assert _tree(folder) == {"02-b/de.md": b"neu"}
    assert sorted(p.name for p in folder.parent.iterdir()) == ["kurs", "neu"]


def test_an_error_in_the_block_brings_the_old_folder_back(live):
    folder, new = live
    with pytest.raises(RuntimeError), replacing(folder, new) as target:
        assert _tree(target) == {"02-b/de.md": b"neu"}
        raise RuntimeError("sync failed")
    assert _tree(folder) == {"01-a/de.md": b"alt"}
    assert sorted(p.name for p in folder.parent.iterdir()) == ["kurs", "neu"]


def test_a_failed_copy_leaves_the_old_folder(live, tmp_path):
    folder, _new = live
    with pytest.raises(FileNotFoundError):
        replace_folder(folder, tmp_path / "fehlt")
    assert _tree(folder) == {"01-a/de.md": b"alt"}
    assert sorted(p.name for p in folder.parent.iterdir()) == ["kurs", "neu"]


def test_a_failed_sync_on_publish_keeps_the_published_course(app, synced, monkeypatch, tmp_path):
    from pathlib import Path

    from lms.catalog import authoring

    course = Path(app.config["COURSES_DIR"]) / "demo-kurs"
    before = _tree(course)
    staged = tmp_path / "demo-kurs"
    staged.mkdir()
    (staged / "course.yml").write_text("title: {de: Neu}\n")

    def failing_sync(folder, actor):
        raise RuntimeError("database gone")

    monkeypatch.setattr(authoring, "sync_course_folder", failing_sync)
    with app.app_context(), pytest.raises(RuntimeError):
        authoring.publish("t" * 24, staged, None)
    assert _tree(course) == before
