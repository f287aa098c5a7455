"""Trainer uploads: stage, validate, preview, publish. Flushes only.

An upload is unpacked into a staging folder under the instance folder and checked
with the same loader as `flask courses validate`. Nothing reaches the catalogue until
the trainer publishes: then the course folder replaces the one in COURSES_DIR and that
course is synced (a new module version only where a file changed).
"""

import json
import shutil
from pathlib import Path

from flask import current_app

from ..models_mixins import utcnow
from ..quizzes.types import N_
from ..staging import is_token, new_token, replacing, staging_folder
from .loader import LANGUAGE_FILE, MODULE_DIR, load_course
from .markdown import render_markdown
from .services import sync_course_folder
from .upload import Limits, UploadRefused, unpack_zip


def staging_root():
    return staging_folder("courses")


def courses_root():
    return Path(current_app.config["COURSES_DIR"])


def _limits():
    config = current_app.config
    return Limits(
        config["UPLOAD_MAX_ZIP_BYTES"],
        config["UPLOAD_MAX_FILE_BYTES"],
        config["UPLOAD_MAX_ENTRIES"],
        config["UPLOAD_MAX_UNPACKED_BYTES"],
    )


def stage_upload(stream, filename, actor, course_slug=None, module_folder=None):
    """Unpack an upload into a new staging folder; return its token. Raises UploadRefused."""
    token = new_token()
    target = staging_root() / token
    target.mkdir()
    try:
        if filename.lower().endswith(".zip"):
            folder = unpack_zip(stream, target / "files", _limits())
        elif filename.lower().endswith(".md"):
            folder = _stage_module_file(stream, filename, target / "files", course_slug, module_folder)
        else:
            raise UploadRefused(N_("Upload a course as .zip or a single module file as .md."))
    except Exception:
        shutil.rmtree(target, ignore_errors=True)
        raise
    meta = {
        "user_id": actor.id,
        "created_at": utcnow().isoformat(),
        "folder": str(folder.relative_to(target)),
        "filename": filename,
    }
    (target / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def _stage_module_file(stream, filename, target, course_slug, module_folder):
    name = Path(filename).name.lower()
    if not LANGUAGE_FILE.match(name):
        raise UploadRefused(N_("Name the module file by its language, like de.md or ar.md."))
    if not module_folder or not MODULE_DIR.match(module_folder):
        raise UploadRefused(N_("Give the module folder, named like 02-satzung."))
    source = courses_root() / (course_slug or "")
    if not course_slug or not (source / "course.yml").exists():
        raise UploadRefused(N_("Choose the course the module belongs to."))
    limit = current_app.config["UPLOAD_MAX_FILE_BYTES"]
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(N_("The file is larger than %(mb)s MB."), mb=limit // (1024 * 1024))
    folder = target / course_slug
    shutil.copytree(source, folder)
    (folder / module_folder).mkdir(exist_ok=True)
    (folder / module_folder / name).write_bytes(content)
    return folder


def staged_folder(token, actor):
    """Return the staged course folder of token, if it exists and belongs to actor (else None)."""
    if not is_token(token):
        return None
    base = staging_root() / token
    try:
        meta = json.loads((base / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta["user_id"] != actor.id:
        return None
    return base / meta["folder"]


def relative_path(path, folder):
    """A problem's path relative to the staged course's parent, e.g. demo-kurs/01-a/de.md."""
    try:
        return str(Path(path).relative_to(folder.parent))
    except ValueError:
        return Path(path).name


def discard(token):
    shutil.rmtree(staging_root() / token, ignore_errors=True)


def preview(folder):
    """Return (source or None, problems, modules) for the preview page."""
    source, problems = load_course(folder)
    modules = []
    if source is not None:
        for module in source.modules:
            languages = sorted(module.texts, key=lambda lang: (lang != source.source_language, lang))
            modules.append(
                {
                    "slug": module.slug,
                    "texts": [_preview_text(module.texts[lang]) for lang in languages],
                }
            )
    return source, problems, modules


def _preview_text(text):
    """A module text rendered as learners will see it (images are shown after publishing)."""
    return {
        "language": text.language,
        "title": text.title,
        "objectives": text.objectives,
        "body_html": render_markdown(text.body, language=text.language),
        "questions": [
            {
                "key": q.key,
                "type": q.spec["type"],
                "prompt_html": render_markdown(q.prompt, language=text.language),
                "options": [
                    (
                        render_markdown(" => ".join(option) if isinstance(option, list) else option, inline=True),
                        index in (q.spec.get("correct") if isinstance(q.spec.get("correct"), list) else []),
                    )
                    for index, option in enumerate(q.options)
                ],
                "correct": q.spec.get("correct"),
                "value": q.spec.get("value"),
                "unit": q.spec.get("unit"),
                "explanation_html": render_markdown(q.explanation),
            }
            for q in text.questions
        ],
    }


def publish(token, folder, actor):
    """Replace the course folder in COURSES_DIR with the staged one and sync it.

    If the sync fails, the previous folder comes back, so files and database stay in step.
    """
    with replacing(courses_root() / folder.name, folder) as target:
        report = sync_course_folder(target, actor)
    discard(token)
    return report


def course_folder(slug):
    folder = courses_root() / slug
    return folder if (folder / "course.yml").exists() and not slug.startswith((".", "_")) else None
