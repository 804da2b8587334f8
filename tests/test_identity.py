"""The installation's key, certificate and id (docs/protocol.md §1, §3.2 step 3)."""

from __future__ import annotations

import datetime
import hashlib
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

from lanchat.identity import (
    CERT_FILE,
    KEY_FILE,
    IdentityError,
    load_or_create,
    verify_client_cert,
)
from lanchat.transports.lanchat.protocol.handshake import client_auth_payload

NONCE = bytes(range(32))
SERVER_ID = "5e" * 32
PAYLOAD = client_auth_payload(NONCE, SERVER_ID)


def test_create_then_load_gives_the_same_identity(tmp_path: Path) -> None:
    created = load_or_create(tmp_path / "profile")
    loaded = load_or_create(tmp_path / "profile")
    assert loaded.id == created.id
    assert loaded.cert_der == created.cert_der
    assert loaded.key_path == tmp_path / "profile" / KEY_FILE
    assert loaded.cert_path == tmp_path / "profile" / CERT_FILE
    assert load_or_create(tmp_path / "other").id != created.id


def test_files_are_owner_only(tmp_path: Path) -> None:
    identity = load_or_create(tmp_path)
    for path in (identity.key_path, identity.cert_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*.tmp"))


def test_key_is_owner_only_even_over_a_leftover_temp_file(tmp_path: Path) -> None:
    leftover = tmp_path / (KEY_FILE + ".tmp")
    leftover.write_bytes(b"half a key from a crash")
    leftover.chmod(0o644)
    identity = load_or_create(tmp_path)
    assert stat.S_IMODE(identity.key_path.stat().st_mode) == 0o600


def test_id_is_sha256_of_the_certificate_der(tmp_path: Path) -> None:
    identity = load_or_create(tmp_path)
    cert = x509.load_pem_x509_certificate(identity.cert_path.read_bytes())
    der = cert.public_bytes(serialization.Encoding.DER)
    assert identity.cert_der == der
    assert identity.id == hashlib.sha256(der).hexdigest()
    assert len(identity.id) == 64 and identity.id == identity.id.lower()


def test_certificate_is_self_signed_p256_for_ten_years(tmp_path: Path) -> None:
    identity = load_or_create(tmp_path)
    cert = x509.load_der_x509_certificate(identity.cert_der)
    assert cert.version is x509.Version.v3
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)  # raises unless self-signed
    public = cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name == "secp256r1"
    assert public.public_numbers() == identity.key.public_key().public_numbers()
    now = datetime.datetime.now(datetime.UTC)
    assert cert.not_valid_before_utc <= now
    assert cert.not_valid_after_utc - now >= datetime.timedelta(days=3653)


def test_sign_and_verify(tmp_path: Path) -> None:
    identity = load_or_create(tmp_path)
    sig = identity.sign(PAYLOAD)
    assert verify_client_cert(identity.cert_der, identity.id, PAYLOAD, sig) is None


def test_wrong_id_fails(tmp_path: Path) -> None:
    identity, other = load_or_create(tmp_path / "a"), load_or_create(tmp_path / "b")
    sig = identity.sign(PAYLOAD)
    last_flipped = identity.id[:-1] + ("1" if identity.id.endswith("0") else "0")
    for claimed in (other.id, identity.id.upper(), "", last_flipped):
        reason = verify_client_cert(identity.cert_der, claimed, PAYLOAD, sig)
        assert isinstance(reason, str) and reason


def test_wrong_signature_fails(tmp_path: Path) -> None:
    identity, other = load_or_create(tmp_path / "a"), load_or_create(tmp_path / "b")
    wrong_payload = client_auth_payload(NONCE, "00" * 32)
    for sig in (
        identity.sign(wrong_payload),  # signed for another server
        other.sign(PAYLOAD),  # signed by another key
        b"",
        b"\x30\x06\x02\x01\x01\x02\x01\x01",  # a DER signature of (1, 1)
        b"not DER at all",
    ):
        reason = verify_client_cert(identity.cert_der, identity.id, PAYLOAD, sig)
        assert isinstance(reason, str) and reason


def _self_signed(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "not lanchat")])
    start = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650 * 3))
    )
    algorithm = None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(key, algorithm).public_bytes(serialization.Encoding.DER)


def test_certificate_that_is_not_p256_fails() -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_der = _self_signed(rsa_key)
    rsa_sig = rsa_key.sign(PAYLOAD, padding.PKCS1v15(), hashes.SHA256())
    p384_key = ec.generate_private_key(ec.SECP384R1())
    p384_der = _self_signed(p384_key)
    p384_sig = p384_key.sign(PAYLOAD, ec.ECDSA(hashes.SHA256()))
    ed_key = ed25519.Ed25519PrivateKey.generate()
    ed_der = _self_signed(ed_key)
    for der, sig in ((rsa_der, rsa_sig), (p384_der, p384_sig), (ed_der, ed_key.sign(PAYLOAD))):
        reason = verify_client_cert(der, hashlib.sha256(der).hexdigest(), PAYLOAD, sig)
        assert isinstance(reason, str) and reason


def test_garbage_certificate_fails() -> None:
    for der in (b"", b"\x30\x03\x02\x01\x01", bytes(range(256)), b"\x30\x82\x01\x00" + bytes(256)):
        reason = verify_client_cert(der, hashlib.sha256(der).hexdigest(), PAYLOAD, b"\x30\x00")
        assert isinstance(reason, str) and reason


@pytest.mark.parametrize("name", [KEY_FILE, CERT_FILE])
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"garbage\n", id="garbage"),
        pytest.param(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", id="bad-pem"),
        pytest.param(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", id="bad-cert-pem"),
    ],
)
def test_damaged_file_raises_and_is_left_alone(tmp_path: Path, name: str, damage: bytes) -> None:
    load_or_create(tmp_path)
    path = tmp_path / name
    path.write_bytes(damage)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(IdentityError) as e:
        load_or_create(tmp_path)
    assert str(path) in str(e.value)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_truncated_key_file_raises_and_is_left_alone(tmp_path: Path) -> None:
    identity = load_or_create(tmp_path)
    damaged = identity.key_path.read_bytes()[:100]
    identity.key_path.write_bytes(damaged)
    with pytest.raises(IdentityError) as e:
        load_or_create(tmp_path)
    assert str(identity.key_path) in str(e.value)
    assert identity.key_path.read_bytes() == damaged


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(lambda: ec.generate_private_key(ec.SECP384R1()), id="p384"),
        pytest.param(lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024), id="rsa"),
    ],
)
def test_key_of_the_wrong_kind_raises(tmp_path: Path, key: object) -> None:
    load_or_create(tmp_path)
    assert callable(key)
    pem = key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / KEY_FILE).write_bytes(pem)
    with pytest.raises(IdentityError, match=KEY_FILE):
        load_or_create(tmp_path)
    assert (tmp_path / KEY_FILE).read_bytes() == pem


def test_certificate_of_another_key_raises(tmp_path: Path) -> None:
    load_or_create(tmp_path / "a")
    other = load_or_create(tmp_path / "b")
    foreign = other.cert_path.read_bytes()
    (tmp_path / "a" / CERT_FILE).write_bytes(foreign)
    with pytest.raises(IdentityError, match=CERT_FILE):
        load_or_create(tmp_path / "a")
    assert (tmp_path / "a" / CERT_FILE).read_bytes() == foreign


def test_missing_certificate_with_key_present_raises(tmp_path: Path) -> None:
    identity = load_or_create(tmp_path)
    key_bytes = identity.key_path.read_bytes()
    identity.cert_path.unlink()
    with pytest.raises(IdentityError, match=CERT_FILE):
        load_or_create(tmp_path)
    assert identity.key_path.read_bytes() == key_bytes
    assert not identity.cert_path.exists()  # not silently recreated


def test_missing_key_with_certificate_present_raises(tmp_path: Path) -> None:
    identity = load_or_create(tmp_path)
    identity.key_path.unlink()
    with pytest.raises(IdentityError, match=KEY_FILE):
        load_or_create(tmp_path)
    assert not identity.key_path.exists()


def test_unreadable_key_file_raises(tmp_path: Path) -> None:
    identity = load_or_create(tmp_path)
    identity.key_path.unlink()
    identity.key_path.mkdir()  # exists, but cannot be read as a file
    with pytest.raises(IdentityError, match=KEY_FILE):
        load_or_create(tmp_path)
