"""Staged uploads: each kind in its own folder, old ones removed, other kinds left alone."""

import os
import time

from lms.staging import is_token, new_token, staging_folder


def test_cleaning_one_kind_never_touches_another(app):
    with app.app_context():
        imports = staging_folder("imports")
        fresh, old = imports / new_token(), imports / new_token()
        fresh.mkdir()
        old.mkdir()
        long_ago = time.time() - 2 * 24 * 3600
        os.utime(old, (long_ago, long_ago))
        os.utime(imports, (long_ago, long_ago))  # the kind's own folder may look old too
        staging_folder("courses")
        assert fresh.exists() and old.exists()
        staging_folder("imports")
        assert fresh.exists() and not old.exists()


def test_tokens_are_safe_folder_names():
    assert is_token(new_token())
    assert not is_token("../../etc") and not is_token("") and not is_token(None) and not is_token("a" * 65)
