"""Signed credentials: Open Badges 3.0 schema, Ed25519 proof that breaks on any change, offline check."""

import json
import stat
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from lms.auth.models import User
from lms.catalog.models import Course
from lms.certificates import credentials
from lms.certificates.services import issue_certificate
from lms.extensions import db

STANDARDS = Path(__file__).parents[3] / "shared" / "standards"


@pytest.fixture
def owner_and_code(app, synced, create_user):
    user = create_user(locale="ar", legal_name="Mohammed Al-Ahmad", native_name="محمد الأحمد")
    with app.app_context():
        certificate = issue_certificate(db.session.get(User, user.id), db.session.scalar(select(Course)))
        db.session.commit()
        return user, certificate.display_code


def _download(client, user, code):
    client.login(user.email)
    response = client.get(f"/certificates/{code}.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    return response.get_data(as_text=True)


def test_credential_follows_open_badges_3_and_verifies(app, client, owner_and_code):
    user, code = owner_and_code
    credential = json.loads(_download(client, user, code))
    schema = json.loads((STANDARDS / "ob3-achievementcredential.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator(schema).validate(credential)
    names = [i["identityHash"] for i in credential["credentialSubject"]["identifier"]]
    assert names == ["Mohammed Al-Ahmad", "محمد الأحمد"]
    assert credential["credentialSubject"]["achievement"]["humanCode"] == code
    assert credential["id"] == f"https://lernen.example.org/verify/{code}"
    issuer = client.get("/.well-known/credential-issuer.json").get_json()
    key = issuer["verificationMethod"][0]["publicKeyMultibase"]
    assert credential["proof"][0]["verificationMethod"] == issuer["assertionMethod"][0]
    with app.app_context():
        credentials.verify_credential(credential, key)


@pytest.mark.parametrize(
    ("original", "changed"),
    [
        ("Mohammed Al-Ahmad", "Mohammad Al-Ahmad"),  # the name
        ("محمد الأحمد", "محمد الاحمد"),  # one letter of the name in its own script
        ('"hashed": false', '"hashed": true '),
        ('"validFrom": "20', '"validFrom": "21'),
        ("#version-", "#versiom-"),
    ],
)
def test_one_changed_byte_breaks_the_signature(app, client, owner_and_code, tmp_path, original, changed):
    user, code = owner_and_code
    text = _download(client, user, code)
    assert original in text
    tampered = text.replace(original, changed, 1)
    (tmp_path / "good.json").write_text(text, encoding="utf-8")
    (tmp_path / "bad.json").write_text(tampered, encoding="utf-8")
    runner = app.test_cli_runner()
    good = runner.invoke(args=["certificates", "verify", str(tmp_path / "good.json")])
    assert good.exit_code == 0 and "valid signature" in good.output
    bad = runner.invoke(args=["certificates", "verify", str(tmp_path / "bad.json")])
    assert bad.exit_code == 1 and "INVALID" in bad.output


def test_changed_proof_value_or_foreign_key_fails(app, client, owner_and_code):
    user, code = owner_and_code
    credential = json.loads(_download(client, user, code))
    with app.app_context():
        key = credentials.public_key_multibase(credentials.signing_key().public_key())
        proof = credential["proof"][0]
        last = proof["proofValue"][-1]
        proof["proofValue"] = proof["proofValue"][:-1] + ("2" if last != "2" else "3")
        with pytest.raises(credentials.CredentialInvalid):
            credentials.verify_credential(credential, key)
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        other = credentials.public_key_multibase(Ed25519PrivateKey.generate().public_key())
        fresh = json.loads(_download(client, user, code))
        with pytest.raises(credentials.CredentialInvalid):
            credentials.verify_credential(fresh, other)


def test_signing_key_is_created_once_and_private(app, tmp_path):
    with app.app_context():
        first = credentials.public_key_multibase(credentials.signing_key().public_key())
        second = credentials.public_key_multibase(credentials.signing_key().public_key())
        path = credentials.key_path()
    assert first == second and first.startswith("z6Mk")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unknown_context_is_refused_not_fetched(app, client, owner_and_code):
    user, code = owner_and_code
    credential = json.loads(_download(client, user, code))
    credential["@context"].append("https://example.org/evil-context.json")
    with app.app_context():
        key = credentials.public_key_multibase(credentials.signing_key().public_key())
        with pytest.raises(credentials.CredentialInvalid, match="JSON-LD"):
            credentials.verify_credential(credential, key)
