"""`flask certificates …`: check a signed credential offline, show the site's public key."""

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from . import credentials

certificates_cli = AppGroup("certificates", help="Signed certificate credentials.")


@certificates_cli.command("verify")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    help="The issuer's key (publicKeyMultibase 'z6Mk…'); default: this site's own key.",
)
def verify_command(path, public_key):
    """Check the signature of a credential file (.json) offline."""
    try:
        credential = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        click.echo(f"{path}: not a credential: {exc}", err=True)
        sys.exit(1)
    key = public_key or credentials.public_key_multibase(credentials.signing_key().public_key())
    try:
        credentials.verify_credential(credential, key)
    except credentials.CredentialInvalid as exc:
        click.echo(f"{path}: INVALID: {exc}", err=True)
        sys.exit(1)
    subject = credential.get("credentialSubject", {})
    names = ", ".join(i.get("identityHash", "") for i in subject.get("identifier", []))
    achievement = subject.get("achievement", {})
    click.echo(f"{path}: valid signature")
    click.echo(f"  {credential.get('name')} – {names} – {achievement.get('humanCode')} – {credential.get('validFrom')}")
    click.echo(f"  Revocation is not part of the signature: check {credential.get('id')}")


@certificates_cli.command("public-key")
def public_key_command():
    """Print the site's public key (created with the signing key if there is none yet)."""
    click.echo(credentials.public_key_multibase(credentials.signing_key().public_key()))
