"""`flask translate extract|update|compile|stats` for the interface catalogues."""

import subprocess
import sys
from pathlib import Path

import click
from babel.messages.pofile import read_po

from ..config import ROOT

TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"


def _pybabel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", *args], check=True, cwd=ROOT)


@click.group("translate")
def translate_cli():
    """Extract, update and compile the interface translations."""


@translate_cli.command("extract")
def extract():
    """Collect every translatable string into translations/messages.pot."""
    TRANSLATIONS.mkdir(exist_ok=True)
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "N_",
        "-k",
        "lazy_gettext",
        "--sort-output",
        "--no-location",
        "--project",
        "mso-lms",
        "-o",
        str(POT),
        ".",
    )


@translate_cli.command("update")
def update():
    """Merge the template into every language's catalogue."""
    extract.callback()
    _pybabel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "--no-wrap")


@translate_cli.command("init")
@click.argument("language")
def init(language):
    """Start a catalogue for a new language."""
    _pybabel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", language, "--no-wrap")


@translate_cli.command("compile")
def compile_():
    """Compile the catalogues to .mo files (fuzzy entries stay untranslated)."""
    _pybabel("compile", "-d", str(TRANSLATIONS))


@translate_cli.command("stats")
def stats():
    """Show per language how many entries are translated, missing or fuzzy."""
    for po_path in sorted(Path(TRANSLATIONS).glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        messages = [m for m in catalog if m.id]
        fuzzy = sum(1 for m in messages if m.fuzzy)
        missing = sum(1 for m in messages if not (all(m.string) if isinstance(m.string, tuple) else m.string))
        click.echo(f"{po_path.parts[-3]}: {len(messages)} entries, {missing} missing, {fuzzy} fuzzy")
