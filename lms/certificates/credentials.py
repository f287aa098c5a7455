"""Signed digital credentials: every certificate as an Open Badges 3.0 credential (W3C VC 2.0).

The proof is a Data Integrity proof with the eddsa-rdfc-2022 cryptosuite: the credential
without its proof and the proof options are each canonicalised with RDFC-1.0 (URDNA2015),
hashed with SHA-256, and the two hashes (options first) are signed with the site's Ed25519
key. The JSON-LD contexts are read from files shipped in contexts/, so signing and checking
never fetch anything: a credential can be verified offline.

The key is created on first use in the instance folder (CREDENTIAL_KEY_FILE): several app
hosts must share that file. Its public half is published at /.well-known/credential-issuer.json.
"""

import copy
import hashlib
import json
import logging
import os
from datetime import UTC
from pathlib import Path

from flask import current_app, url_for

from ..urls import public_url

logger = logging.getLogger(__name__)

CONTEXTS_DIR = Path(__file__).parent / "contexts"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
LOCAL_CONTEXTS = {VC_CONTEXT: "credentials-v2.jsonld", OB_CONTEXT: "ob-context-3.0.3.json"}
CRYPTOSUITE = "eddsa-rdfc-2022"
ED25519_MULTICODEC = b"\xed\x01"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class CredentialInvalid(ValueError):
    """A credential whose proof does not verify; the message says why, in plain words."""


# --- keys -----------------------------------------------------------------------------------


def key_path():
    return Path(current_app.config.get("CREDENTIAL_KEY_FILE") or Path(current_app.instance_path) / "credential-key.pem")


def signing_key():
    """The site's Ed25519 private key, created (once, also with several workers) if missing."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker created it a moment ago; use that one
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem)
            logger.info("Created the credential signing key %s", path)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_multibase(public_key):
    """An Ed25519 public key as Multikey 'z6Mk…' (base58btc of the multicodec-prefixed key)."""
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58_encode(ED25519_MULTICODEC + raw)


def public_key_from_multibase(value):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not value.startswith("z"):
        raise CredentialInvalid("The public key is not base58btc multibase ('z…').")
    raw = base58_decode(value[1:])
    if raw[:2] != ED25519_MULTICODEC or len(raw) != 34:
        raise CredentialInvalid("The public key is not an Ed25519 Multikey.")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def base58_encode(data):
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = BASE58[remainder] + encoded
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + encoded


def base58_decode(text):
    number = 0
    for char in text:
        index = BASE58.find(char)
        if index < 0:
            raise CredentialInvalid("The value is not base58.")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


# --- issuer ----------------------------------------------------------------------------------


def issuer_id():
    return public_url(url_for("certificates.issuer_document"))


def issuer_document():
    """The issuer's controller document: who signs, and with which public key."""
    identifier = issuer_id()
    key = public_key_multibase(signing_key().public_key())
    method = {"id": f"{identifier}#key-1", "type": "Multikey", "controller": identifier, "publicKeyMultibase": key}
    return {
        "@context": ["https://www.w3.org/ns/cid/v1"],
        "id": identifier,
        "name": current_app.config["ORGANISATION_NAME"],
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }


# --- credentials ----------------------------------------------------------------------------


def unsigned_credential(certificate):
    """The certificate's printed fields as an Open Badges 3.0 AchievementCredential."""
    kind_de = "Zertifikat" if certificate.kind == "completion" else "Teilnahmebescheinigung"
    identifiers = [_identity(certificate.printed_name)]
    if certificate.native_name:
        identifiers.append(_identity(certificate.native_name))
    modules = "; ".join(
        f"{m['title']} ({m['units']} UE)" if m.get("units") else m["title"] for m in certificate.modules or []
    )
    criteria = (
        "Alle Module des Kurses mit ihren Quizfragen bestanden."
        if certificate.kind == "completion"
        else "Teilnahme an der Präsenzveranstaltung, festgestellt von der Koordination."
    )
    subject = {
        "type": ["AchievementSubject"],
        "identifier": identifiers,
        "achievement": {
            "id": public_url(url_for("catalog.show_course", slug=certificate.course.slug))
            + f"#version-{certificate.course_version}",
            "type": ["Achievement"],
            "achievementType": "CertificateOfCompletion" if certificate.kind == "completion" else "Certificate",
            "name": certificate.course_title_de,
            "description": f"{kind_de}: {certificate.course_title_de}. Umfang {_plain(certificate.hours)} UE"
            + (f". Inhalte: {modules}" if modules else "")
            + f". Stand der Rechtslage {certificate.legal_status.isoformat()}.",
            "criteria": {"narrative": criteria},
            "version": certificate.course_version,
            "inLanguage": "de",
            "humanCode": certificate.display_code,
        },
    }
    if certificate.event_start:
        subject["activityStartDate"] = f"{certificate.event_start.isoformat()}T00:00:00Z"
        subject["activityEndDate"] = f"{(certificate.event_end or certificate.event_start).isoformat()}T00:00:00Z"
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": public_url(url_for("certificates.verify", code=certificate.display_code)),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{kind_de}: {certificate.course_title_de}",
        "issuer": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": certificate.organisation_name or current_app.config["ORGANISATION_NAME"],
            "url": public_url("/"),
        },
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": subject,
    }


def _plain(number):
    return format(number.normalize(), "f")


def _identity(name):
    return {"type": "IdentityObject", "identityHash": name, "identityType": "name", "hashed": False}


def _timestamp(moment):
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def signed_credential(certificate):
    """The certificate as a signed credential (a dict ready for JSON)."""
    credential = unsigned_credential(certificate)
    key = signing_key()
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(certificate.issued_at),
        "verificationMethod": f"{issuer_id()}#key-1",
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(credential, options))
    return {**credential, "proof": [{**options, "proofValue": "z" + base58_encode(signature)}]}


def verify_credential(credential, public_key_multibase_value):
    """Check a signed credential against a public key; raise CredentialInvalid saying why."""
    if not isinstance(credential, dict):
        raise CredentialInvalid("The file does not contain a credential (a JSON object).")
    proofs = credential.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not proofs or not isinstance(proofs, list) or not isinstance(proofs[0], dict):
        raise CredentialInvalid("The credential has no proof.")
    proof = proofs[0]
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise CredentialInvalid(f"Only DataIntegrityProof with {CRYPTOSUITE} is supported.")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise CredentialInvalid("The proof value is missing or not base58btc.")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    document = {k: v for k, v in credential.items() if k != "proof"}
    public_key = public_key_from_multibase(public_key_multibase_value)
    from cryptography.exceptions import InvalidSignature

    try:
        public_key.verify(base58_decode(value[1:]), _hash_data(document, options))
    except InvalidSignature as exc:
        raise CredentialInvalid(
            "The signature does not match: the credential was changed or signed by another key."
        ) from exc
    except ValueError as exc:  # canonicalisation refused the document
        raise CredentialInvalid(f"The credential cannot be read as JSON-LD: {exc}") from exc


def _hash_data(document, options):
    """SHA-256 of the canonical proof options, then of the canonical document (eddsa-rdfc-2022)."""
    proof_config = {"@context": document.get("@context"), **copy.deepcopy(options)}
    return hashlib.sha256(_canonical(proof_config)).digest() + hashlib.sha256(_canonical(document)).digest()


def _canonical(document):
    from pyld import jsonld

    try:
        nquads = jsonld.normalize(
            document,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _load_context},
        )
    except jsonld.JsonLdError as exc:
        raise ValueError(str(exc).splitlines()[0]) from exc
    return nquads.encode("utf-8")


def _load_context(url, options=None):
    """Serve the two known contexts from files; refuse every other URL (no network)."""
    name = LOCAL_CONTEXTS.get(url)
    if name is None:
        from pyld import jsonld

        raise jsonld.JsonLdError(f"Unknown context {url}", "jsonld.LoadDocumentError", code="loading document failed")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": _context_document(name),
    }


_CONTEXT_CACHE = {}


def _context_document(name):
    if name not in _CONTEXT_CACHE:
        _CONTEXT_CACHE[name] = json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))
    return copy.deepcopy(_CONTEXT_CACHE[name])
