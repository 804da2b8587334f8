"""This installation's key, certificate and id (docs/protocol.md §1)."""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

KEY_FILE = "identity.key"
CERT_FILE = "identity.crt"
VALIDITY_DAYS = 365 * 30

_T = TypeVar("_T")


class IdentityError(Exception):
    """The identity files cannot be read or are damaged; the message names the file."""


@dataclass(frozen=True)
class Identity:
    key: ec.EllipticCurvePrivateKey
    cert_der: bytes
    key_path: Path
    cert_path: Path

    @property
    def id(self) -> str:
        return hashlib.sha256(self.cert_der).hexdigest()

    def sign(self, data: bytes) -> bytes:
        """ECDSA-P256-SHA256 signature (DER) over `data`."""
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


def load_or_create(profile: Path) -> Identity:
    """The identity stored in `profile`, created there on first use.

    Raises:
        IdentityError: a file exists but cannot be read or is damaged. It is
            never replaced silently: that would change who we are.
    """
    key_path, cert_path = profile / KEY_FILE, profile / CERT_FILE
    if not key_path.exists() and not cert_path.exists():
        return _create(key_path, cert_path)
    for path in (key_path, cert_path):
        if not path.exists():
            raise IdentityError(
                f"{path} is missing while {key_path if path == cert_path else cert_path} "
                "exists. Restore it from a backup, or move both away to start "
                "with a new identity (contacts will see a new key)."
            )
    key = _read(key_path, _parse_key)
    cert = _read(cert_path, x509.load_pem_x509_certificate)
    public = cert.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey) or (
        public.public_numbers() != key.public_key().public_numbers()
    ):
        raise IdentityError(f"{cert_path} does not belong to the key in {key_path}.")
    return Identity(key, cert.public_bytes(serialization.Encoding.DER), key_path, cert_path)


def _read(path: Path, parse: Callable[[bytes], _T]) -> _T:
    """Parse the file at `path`; never changes it.

    Raises:
        IdentityError: naming the file, when it cannot be read or parsed.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IdentityError(f"Cannot read {path}: {e.strerror}.") from e
    try:
        return parse(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as e:
        raise IdentityError(
            f"{path} is damaged ({e}). lanchat will not replace it by itself; "
            "restore it from a backup, or move it away to start with a new identity."
        ) from e


def _parse_key(data: bytes) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("not an ECDSA P-256 key")
    return key


def _create(key_path: Path, cert_path: Path) -> Identity:
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lanchat")])
    start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=VALIDITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_private(key_path, key_pem)
    _write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    return Identity(key, cert.public_bytes(serialization.Encoding.DER), key_path, cert_path)


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if hasattr(os, "fchmod"):  # a leftover .tmp keeps its old mode through O_CREAT
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def verify_client_cert(cert_der: bytes, claimed_id: str, payload: bytes, sig: bytes) -> str | None:
    """Why a client's certificate, id or signature fails, or None when all verify."""
    if hashlib.sha256(cert_der).hexdigest() != claimed_id:
        return "the certificate does not match the id"
    try:
        cert = x509.load_der_x509_certificate(cert_der)
        public = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return "the certificate cannot be read"
    if not isinstance(public, ec.EllipticCurvePublicKey) or public.curve.name != "secp256r1":
        return "the certificate is not ECDSA P-256"
    try:
        public.verify(sig, payload, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return "the signature does not verify"
    return None
