"""Read a course folder into plain objects and list every problem found.

Pure Python: no Flask, no database. ``load_course`` never stops at the first
mistake; it collects all problems with file, line and a hint, so a trainer can
fix a file in one go. Messages are marked with ``N_`` and translated where
they are shown (CLI or trainer pages).
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from ..quizzes.types import N_, QuestionSyntaxError, type_for_line

COURSE_FILE = "course.yml"
GLOSSARY_FILE = "glossary.yml"
COURSE_KEYS = {"title", "summary", "source_language", "version", "legal_status", "pass_mark", "certificate", "quiz"}
QUIZ_KEYS = {"max_attempts": int, "wait_minutes": int, "draw": int, "shuffle": bool, "partial_credit": bool}
CERTIFICATE_KEYS = {"kind", "hours"}
CERTIFICATE_KINDS = {"completion", "attendance"}
FRONT_MATTER_KEYS = {"title", "minutes", "objectives", "quiz"}
COURSE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")  # the folder name; in every URL of the course
MODULE_DIR = re.compile(r"^(?P<position>\d{2})-(?P<slug>[a-z0-9][a-z0-9-]*)$")
LANGUAGE_FILE = re.compile(r"^(?P<lang>[a-z]{2,3})\.md$")
QUESTION_OPEN = re.compile(r"^:::\s*question(?:\s+(?P<key>\S+))?(?:\s+(?P<section>\S+))?\s*$")
# A heading with a stable id that questions can point to: '## Wie viele Mitglieder? {#mitglieder}'
HEADING_ID = re.compile(r"^#{1,6}\s+(?P<text>.*?)\s*\{#(?P<id>[^}\s]*)\}\s*$")
SECTION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
QUESTION_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
GLOSSARY_REF = re.compile(r"\[\[([^\[\]\n]+)\]\]")
IMAGE_REF = re.compile(r"!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]+)")
MODULE_LINK = re.compile(r"\]\(modul:(?P<slug>[^)\s]*)\)")
LONG_MODULE_WORDS = 4000


@dataclass
class Problem:
    path: str
    line: int | None
    message: str  # an N_ text with %(name)s placeholders
    params: dict = field(default_factory=dict)
    severity: str = "error"

    def render(self, translate=lambda s: s):
        text = translate(self.message) % self.params if self.params else translate(self.message)
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {text}"


@dataclass
class QuestionSource:
    key: str
    spec: dict  # type and answer key; defined by the source language
    prompt: str
    options: list
    explanation: str
    line: int
    section: str | None = None  # id of the heading that teaches it ('## … {#id}')


@dataclass
class ModuleText:
    language: str
    path: str
    title: str
    minutes: int | None
    objectives: list
    body: str
    questions: list
    content_hash: str
    quiz: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)  # heading id -> heading text
    module_links: list = field(default_factory=list)  # [(line, slug)] of 'modul:' links


@dataclass
class ModuleSource:
    slug: str
    position: int
    texts: dict  # language -> ModuleText
    folder: str = ""  # e.g. 01-verein-gruenden; media live in <folder>/media/

    def text(self, language, fallback):
        return self.texts.get(language) or self.texts.get(fallback)


@dataclass
class CourseSource:
    slug: str
    path: str
    title: dict
    summary: dict
    source_language: str
    version: str
    legal_status: datetime.date
    pass_mark: int
    certificate_kind: str
    certificate_hours: Decimal
    modules: list
    glossary: dict
    content_hash: str
    quiz: dict = field(default_factory=dict)


class _Problems(list):
    def error(self, path, line, message, **params):
        self.append(Problem(str(path), line, message, params))

    def warning(self, path, line, message, **params):
        self.append(Problem(str(path), line, message, params, "warning"))


# libyaml's parser when PyYAML has it: a sync reads hundreds of front matters.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_load(text):
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


def _decode(path, problems):
    """Read a text file as UTF-8 (a BOM and Windows line ends are fine); report the first bad line."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(path, raw[: exc.start].count(b"\n") + 1, N_("The file is not UTF-8 text. Save it as UTF-8."))
        return None, raw
    return text.replace("\r\n", "\n").replace("\r", "\n"), raw


def _read_yaml(path, problems):
    text, _raw = _decode(path, problems)
    if text is None:
        return None
    try:
        return _yaml_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.error(
            path,
            mark.line + 1 if mark else None,
            # The parser's own wording differs between YAML libraries; the line is what helps.
            N_("YAML syntax error. Check indentation, quotes and brackets in this line and the one before."),
        )
        return None


def _language_map(value, path, key, problems, required=True):
    if value is None:
        if required:
            problems.error(path, None, N_("'%(key)s' is missing."), key=key)
        return {}
    if isinstance(value, str):
        return {"de": value}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        problems.error(
            path, None, N_('\'%(key)s\' must map language codes to texts, e.g. {de: "…", en: "…"}.'), key=key
        )
        return {}
    return {str(k): v.strip() for k, v in value.items()}


def course_folders(courses_dir):
    """The course folders under courses_dir (templates such as _vorlage and stray folders left out)."""
    root = Path(courses_dir)
    return [
        p
        for p in sorted(root.iterdir())
        if p.is_dir() and not p.name.startswith((".", "_")) and (p / COURSE_FILE).exists()
    ]


def fingerprint(folder):
    """A hash of every file of a course folder (names and bytes): equal hash, nothing to do."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_catalogue(courses_dir):
    """Load every course folder under courses_dir; return (courses, problems)."""
    root = Path(courses_dir)
    courses, problems = [], []
    if not root.is_dir():
        return courses, [Problem(str(root), None, N_("The courses folder does not exist."))]
    for folder in course_folders(root):
        course, found = load_course(folder)
        problems.extend(found)
        if course is not None:
            courses.append(course)
    return courses, problems


def load_course(folder):
    """Load one course folder; return (CourseSource or None, problems)."""
    folder = Path(folder)
    problems = _Problems()
    path = folder / COURSE_FILE
    data = _read_yaml(path, problems) if path.exists() else None
    if not path.exists():
        problems.error(path, None, N_("course.yml is missing."))
    if data is None:
        return None, problems
    if not isinstance(data, dict):
        problems.error(path, 1, N_("course.yml must contain keys such as title and version."))
        return None, problems
    _check_keys(data, COURSE_KEYS, path, problems)
    if not COURSE_SLUG.match(folder.name):
        problems.error(
            folder,
            None,
            N_("The course folder's name '%(name)s' cannot be a course id: use lowercase letters, digits and "
               "dashes, like vereinsrecht."),
            name=folder.name,
        )

    title = _language_map(data.get("title"), path, "title", problems)
    summary = _language_map(data.get("summary"), path, "summary", problems, required=False)
    source_language = str(data.get("source_language") or "de")
    if title and source_language not in title:
        problems.error(path, None, N_("The title has no text in the source language '%(lang)s'."), lang=source_language)
    version = str(data.get("version") or "").strip()
    if not version:
        problems.error(path, None, N_("'%(key)s' is missing."), key="version")
    legal_status = data.get("legal_status")
    if not isinstance(legal_status, datetime.date):
        problems.error(path, None, N_("'legal_status' must be a date like 2026-01-01."))
        legal_status = None
    pass_mark = data.get("pass_mark", 80)
    if not isinstance(pass_mark, int) or not 0 < pass_mark <= 100:
        problems.error(path, None, N_("'pass_mark' must be a whole number from 1 to 100."))
        pass_mark = 80
    certificate = data.get("certificate") or {}
    if not isinstance(certificate, dict):
        problems.error(path, None, N_("'certificate' must contain kind and hours."))
        certificate = {}
    _check_keys(certificate, CERTIFICATE_KEYS, path, problems)
    kind = certificate.get("kind", "completion")
    if kind not in CERTIFICATE_KINDS:
        problems.error(path, None, N_("Unknown certificate kind '%(kind)s'. Use completion or attendance."), kind=kind)
    try:
        hours = Decimal(str(certificate.get("hours", 0)))
        if hours < 0:
            raise ValueError
    except (ArithmeticError, ValueError):
        problems.error(path, None, N_("'certificate: hours' must be a number."))
        hours = Decimal(0)

    glossary = _load_glossary(folder, problems)
    quiz = _quiz_settings(data.get("quiz"), path, problems)
    modules = []
    for module_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
        match = MODULE_DIR.match(module_dir.name)
        if not match:
            if module_dir.name not in ("media",) and not module_dir.name.startswith((".", "_")):
                problems.warning(module_dir, None, N_("Folder ignored: module folders are named like 01-module-name."))
            continue
        module = _load_module(module_dir, match, source_language, glossary, problems)
        if module is not None:
            modules.append(module)
    if not modules:
        problems.error(folder, None, N_("The course has no module folders (01-name/de.md)."))
    _check_module_links(modules, folder, problems)
    _warn_missing_translations(modules, title, glossary, source_language, folder, problems)

    if any(p.severity == "error" for p in problems):
        return None, problems
    return CourseSource(
        slug=folder.name,
        path=str(folder),
        title=title,
        summary=summary,
        source_language=source_language,
        version=version,
        legal_status=legal_status,
        pass_mark=pass_mark,
        certificate_kind=kind,
        certificate_hours=hours,
        modules=modules,
        glossary=glossary,
        content_hash=fingerprint(folder),
        quiz=quiz,
    ), problems


def _check_module_links(modules, folder, problems):
    # Every module folder counts, also one that failed to load (its own error says why).
    slugs = {m.group("slug") for m in (MODULE_DIR.match(p.name) for p in folder.iterdir() if p.is_dir()) if m}
    for module in modules:
        for text in module.texts.values():
            for number, slug in text.module_links:
                if slug not in slugs:
                    problems.error(
                        text.path,
                        number,
                        N_("The link modul:%(slug)s leads to no module of this course. Known modules: %(known)s."),
                        slug=slug,
                        known=", ".join(sorted(slugs)),
                    )


def _warn_missing_translations(modules, title, glossary, source_language, folder, problems):
    """Languages the course title offers are the languages the course promises."""
    promised = set(title) - {source_language}
    for module in modules:
        missing = sorted(promised - set(module.texts))
        if missing:
            problems.warning(
                folder / f"{module.position:02d}-{module.slug}",
                None,
                N_("No translation yet for: %(languages)s (learners see the German text)."),
                languages=", ".join(missing),
            )
    for term, definitions in glossary.items():
        missing = sorted(promised - set(definitions))
        if missing:
            problems.warning(
                folder / GLOSSARY_FILE,
                None,
                N_("The glossary term '%(term)s' has no definition in: %(languages)s."),
                term=term,
                languages=", ".join(missing),
            )


def _quiz_settings(value, path, problems, line=None):
    """Attempt rules for a course (course.yml) or one module (front matter): checked, then stored."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.error(path, line, N_("'quiz' must contain rules such as max_attempts: 3."))
        return {}
    _check_keys(value, set(QUIZ_KEYS), path, problems)
    settings = {}
    for key, kind in QUIZ_KEYS.items():
        if key not in value:
            continue
        item = value[key]
        if item is None and key == "max_attempts":
            settings[key] = None  # unlimited
        elif kind is bool and isinstance(item, bool):
            settings[key] = item
        elif kind is int and type(item) is int and item >= (0 if key == "wait_minutes" else 1):
            settings[key] = item
        else:
            problems.error(path, line, N_("'quiz: %(key)s' has an invalid value."), key=key)
    return settings


def _check_keys(data, allowed, path, problems):
    for key in data:
        if key not in allowed:
            problems.error(
                path,
                None,
                N_("Unknown key '%(key)s'. Allowed keys: %(allowed)s."),
                key=key,
                allowed=", ".join(sorted(allowed)),
            )


def _load_glossary(folder, problems):
    path = folder / GLOSSARY_FILE
    if not path.exists():
        return {}
    data = _read_yaml(path, problems)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.error(path, 1, N_("glossary.yml must map German terms to definitions per language."))
        return {}
    glossary = {}
    for term, definitions in data.items():
        if not isinstance(definitions, dict) or not all(isinstance(v, str) for v in definitions.values()):
            problems.error(path, None, N_("The glossary entry '%(term)s' must map language codes to texts."), term=term)
            continue
        glossary[str(term)] = {str(k): v.strip() for k, v in definitions.items()}
    return glossary


def _load_module(module_dir, match, source_language, glossary, problems):
    texts = {}
    for path in sorted(module_dir.glob("*.md")):
        m = LANGUAGE_FILE.match(path.name)
        if not m:
            problems.warning(path, None, N_("File ignored: module texts are named by language, like de.md or ar.md."))
            continue
        text = _load_module_text(path, m.group("lang"), glossary, problems)
        if text is not None:
            texts[text.language] = text
    if source_language not in texts:
        if not (module_dir / f"{source_language}.md").exists():
            problems.error(
                module_dir,
                None,
                N_("The module has no text in the source language (%(file)s)."),
                file=f"{source_language}.md",
            )
        return None
    source = texts[source_language]
    for language, text in texts.items():
        if language != source_language:
            _check_translation(source, text, problems)
    return ModuleSource(
        slug=match.group("slug"), position=int(match.group("position")), texts=texts, folder=module_dir.name
    )


def _split_front_matter(lines, path, problems):
    if not lines or lines[0].strip() != "---":
        problems.error(
            path,
            1,
            N_("The file must start with front matter between two '---' lines (title, minutes, objectives)."),
        )
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            try:
                meta = _yaml_load("\n".join(lines[1:index])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                problems.error(
                    path,
                    (mark.line + 2) if mark else 2,
                    N_("YAML syntax error. Check indentation, quotes and brackets in this line and the one before."),
                )
                return None, index + 1
            if not isinstance(meta, dict):
                problems.error(path, 2, N_("The front matter must contain keys such as title and minutes."))
                return None, index + 1
            return meta, index + 1
    problems.error(path, 1, N_("The front matter is not closed with a '---' line."))
    return None, 0


def _load_module_text(path, language, glossary, problems):
    content, raw = _decode(path, problems)
    if content is None:
        return None
    lines = content.split("\n")
    meta, body_start = _split_front_matter(lines, path, problems)
    if meta is None:
        return None
    _check_keys(meta, FRONT_MATTER_KEYS, path, problems)
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.error(path, 2, N_("'%(key)s' is missing."), key="title")
        title = ""
    minutes = meta.get("minutes")
    if minutes is not None and (not isinstance(minutes, int) or minutes <= 0):
        problems.error(path, 2, N_("'minutes' must be a whole number of minutes."))
        minutes = None
    quiz = _quiz_settings(meta.get("quiz"), path, problems, 2)
    objectives = meta.get("objectives") or []
    if not isinstance(objectives, list):
        problems.error(path, 2, N_("'objectives' must be a list of lines starting with '- '."))
        objectives = []

    body_lines, questions = _extract_questions(lines, body_start, path, problems)
    body = "\n".join(body_lines).strip() + "\n"
    sections = _section_ids(lines, body_start, path, problems)
    for question in questions:
        if question.section and question.section not in sections:
            problems.error(
                path,
                question.line,
                N_(
                    "The question '%(key)s' points to the section '#%(section)s', but no heading has "
                    "'{#%(section)s}'. Add it at the end of the heading that teaches the answer."
                ),
                key=question.key,
                section=question.section,
            )
    for number, match in _matches_by_line(GLOSSARY_REF, content):
        if match.group(1).strip() not in glossary:
            problems.error(
                path,
                number,
                N_("The glossary term '%(term)s' is not in glossary.yml. Add it there or correct the spelling."),
                term=match.group(1),
            )
    _check_images(path, content, problems)
    words = len(body.split())  # close enough for a warning, and a sync counts every text
    if words > LONG_MODULE_WORDS:
        problems.warning(
            path,
            None,
            N_("The module is very long (%(words)s words). Consider splitting it; volunteers read it on a phone."),
            words=words,
        )
    return ModuleText(
        language=language,
        path=str(path),
        title=title.strip(),
        minutes=minutes,
        objectives=[str(o) for o in objectives],
        body=body,
        questions=questions,
        quiz=quiz,
        content_hash=hashlib.sha256(raw).hexdigest(),
        sections=sections,
        module_links=[(number, m.group("slug")) for number, m in _matches_by_line(MODULE_LINK, content)],
    )


def _matches_by_line(pattern, content):
    """Yield (line number, match) for each match of a pattern that never spans lines."""
    line, position = 1, 0
    for match in pattern.finditer(content):
        line += content.count("\n", position, match.start())
        position = match.start()
        yield line, match


def _section_ids(lines, start, path, problems):
    """Return {id: heading text} of the headings marked '{#id}'; report bad and repeated ids."""
    sections = {}
    in_fence = False
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence or "{#" not in line else HEADING_ID.match(line.strip())
        if not match:
            continue
        section = match.group("id")
        if not SECTION_ID.match(section):
            problems.error(
                path,
                number,
                N_("The section id '%(section)s' may contain only small letters, digits and '-'."),
                section=section,
            )
        elif section in sections:
            problems.error(
                path, number, N_("The section id '%(section)s' is used twice in this file."), section=section
            )
        else:
            sections[section] = match.group("text")
    return sections


def _check_images(path, content, problems):
    media = path.parent / "media"
    for number, match in _matches_by_line(IMAGE_REF, content):
        src = match.group("src")
        if not src.startswith("media/"):
            problems.error(
                path,
                number,
                N_("Images must come from the module's media/ folder (e.g. media/bild.png), not from %(src)s."),
                src=src,
            )
        elif not (media / src[len("media/") :]).is_file() or ".." in src:
            problems.error(
                path,
                number,
                N_("The image %(src)s is missing. Put the file into the module's media/ folder or correct the name."),
                src=src,
            )
        if not match.group("alt").strip():
            problems.warning(
                path,
                number,
                N_(
                    "The image %(src)s has no alt text. Describe it between the "
                    "brackets: ![What the picture shows](%(src)s)."
                ),
                src=src,
            )


def _extract_questions(lines, start, path, problems):
    """Split the body into Markdown lines and question blocks."""
    body, questions, seen = [], [], set()
    index = start
    while index < len(lines):
        opening = QUESTION_OPEN.match(lines[index].strip()) if ":::" in lines[index] else None
        if not opening:
            body.append(lines[index])
            index += 1
            continue
        open_line = index + 1
        end = index + 1
        while end < len(lines) and lines[end].strip() != ":::":
            end += 1
        if end == len(lines):
            problems.error(path, open_line, N_("The question is not closed with a ':::' line."))
            break
        key, section = opening.group("key"), opening.group("section")
        if section is not None and not (section.startswith("#") and SECTION_ID.match(section[1:])):
            problems.error(
                path,
                open_line,
                N_(
                    "After the question id only a section may follow, written like "
                    "'::: question mitglieder #mitglieder'."
                ),
            )
            section = None  # still read the question, so that its answers are checked too
        if not key or not QUESTION_KEY.match(key):
            problems.error(
                path,
                open_line,
                N_(
                    "Each question needs an id after 'question' of small letters, "
                    "digits and '-', e.g. '::: question mitglieder'."
                ),
            )
        elif key in seen:
            problems.error(path, open_line, N_("The question id '%(key)s' is used twice in this file."), key=key)
        else:
            seen.add(key)
            question = _parse_question(key, lines[index + 1 : end], open_line + 1, path, problems)
            if question:
                question.section = section[1:] if section else None
                questions.append(question)
        index = end + 1
    return body, questions


def _parse_question(key, block, first_line, path, problems):
    prompt, answers, explanation = [], [], []
    answers_at = None
    for offset, line in enumerate(block):
        stripped = line.strip()
        if stripped.startswith(">"):
            explanation.append(stripped[1:].lstrip() if stripped != ">" else "")
        elif type_for_line(stripped) and not explanation:
            if answers_at is None:
                answers_at = offset
            answers.append(stripped)
        elif stripped and (answers or explanation):
            problems.error(
                path,
                first_line + offset,
                N_(
                    "Unexpected text in the question. Options come after the "
                    "question text, the explanation (lines starting with '>') last."
                ),
            )
            return None
        elif not answers:
            prompt.append(line)
    prompt_text = "\n".join(prompt).strip()
    if not prompt_text:
        problems.error(path, first_line - 1, N_("The question '%(key)s' has no question text."), key=key)
        return None
    if not answers:
        problems.error(
            path,
            first_line - 1,
            N_("The question '%(key)s' has no answers. Write options like '- (x) right' or a line '= 250 ± 0'."),
            key=key,
        )
        return None
    qtype = type_for_line(answers[0])
    try:
        spec, options = qtype.parse(answers)
    except QuestionSyntaxError as exc:
        problems.error(path, first_line + answers_at + exc.line_offset, exc.message, **exc.params)
        return None
    return QuestionSource(
        key=key,
        spec=spec,
        prompt=prompt_text,
        options=options,
        explanation="\n".join(explanation).strip(),
        line=first_line - 1,
    )


def _check_translation(source, text, problems):
    """A translation must ask the same questions with the same answer key."""
    source_keys = [q.key for q in source.questions]
    keys = [q.key for q in text.questions]
    if keys != source_keys:
        problems.error(
            text.path,
            None,
            N_("The question ids differ from the source file %(source)s: expected %(expected)s, found %(found)s."),
            source=Path(source.path).name,
            expected=", ".join(source_keys) or "–",
            found=", ".join(keys) or "–",
        )
        return
    for original, translated in zip(source.questions, text.questions, strict=True):
        if _answer_key(original.spec) != _answer_key(translated.spec):
            problems.error(
                text.path,
                translated.line,
                N_("Question '%(key)s' has other options or answer marks than in %(source)s. Translate only the text."),
                key=original.key,
                source=Path(source.path).name,
            )
        elif original.section != translated.section:
            problems.error(
                text.path,
                translated.line,
                N_("Question '%(key)s' must point to the section '#%(section)s' as in %(source)s."),
                key=original.key,
                section=original.section or "–",
                source=Path(source.path).name,
            )


def _answer_key(spec):
    # A unit ("€", "Euro", "يورو") is text a translator may translate.
    return {k: v for k, v in spec.items() if k != "unit"}
