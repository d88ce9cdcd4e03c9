"""Encryption at rest: the key ring, the AES-GCM envelopes and the CPR blind index.

How to read and write encrypted fields: you do not. Columns holding personal data are declared
with the types of ``forms_service.cases.encrypted`` (``EncryptedText``, ``EncryptedJSON``,
``EncryptedBytes``); the ORM and Core statements on the mapped tables encrypt on write and
decrypt on read, so code keeps using ``case.cpr``, ``answer_set.answers``, ``insert(ChunkRow)``
as before. What changes:

- an encrypted column cannot be compared or sorted in SQL (every encryption of the same value
  differs): look a citizen up by ``Case.cpr_index == blind_index(cpr)``, never ``Case.cpr ==``;
- ``cases.cpr_index`` follows ``cpr`` on insert (a column default) and on an ORM update (a
  mapper event); a Core ``update(Case)`` that changes or clears ``cpr`` sets ``cpr_index``
  itself (``blind_index(new)`` or None);
- erasing personal data: set the column to None (or a neutral value) like any other; the
  envelope goes with it, nothing else holds the value;
- raw SQL (``text()``, a ``table()`` without the types) sees the envelopes, not the values:
  decrypt them with ``decrypt_text`` / ``decrypt_bytes`` (migrations and ``keys rotate`` do);
- the process must be configured (``configure`` or ``configure_lazily``) before the first
  read or write; the app factory and the CLI do it (``forms_service.cases.keys``).

Envelopes carry the id of the key that made them, so a ring ``k2:…,k1:…`` (first is current)
reads data under both keys and writes under k2; ``forms-service keys rotate`` moves old rows.

- text:  ``fse1:<key id>:<urlsafe base64 of nonce(12) + ciphertext + tag(16)>``
- bytes: ``FSE1`` + one byte key-id length + key id + nonce + ciphertext + tag

The blind index is HMAC-SHA256 of the ten CPR digits under a key of its own (not in the ring:
rotating the data keys leaves every index valid).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENV_KEYS = "FORMS_SERVICE_ENCRYPTION_KEYS"
ENV_INDEX_KEY = "FORMS_SERVICE_BLIND_INDEX_KEY"
TEXT_PREFIX = "fse1:"
BYTES_PREFIX = b"FSE1"
NONCE_BYTES = 12
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
KEY_BYTES = (16, 24, 32)
# text envelopes carry URL-safe base64 (binascii and a translation: a case list decrypts many)
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_FROM_URLSAFE = bytes.maketrans(b"-_", b"+/")


class EncryptionError(RuntimeError):
    """Keys missing, malformed or not the ones the data was encrypted with (message in Danish)."""


class KeyMismatchError(EncryptionError):
    """A value does not decrypt under the key its envelope names: a wrong key, or tampering."""


@dataclass(frozen=True)
class KeyRing:
    """Data keys by id (the first is current: every new value is encrypted with it) and the
    blind-index key."""

    keys: tuple[tuple[str, bytes], ...]
    index_key: bytes

    def __post_init__(self) -> None:
        if not self.keys:
            raise EncryptionError("Nøgleringen er tom: angiv mindst én nøgle.")
        ids = [key_id for key_id, _ in self.keys]
        if len(set(ids)) != len(ids):
            raise EncryptionError("Nøgleringen nævner samme nøgle-id to gange.")

    @property
    def current_id(self) -> str:
        return self.keys[0][0]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(key_id for key_id, _ in self.keys)

    def key(self, key_id: str) -> bytes:
        for candidate, secret in self.keys:
            if candidate == key_id:
                return secret
        raise EncryptionError(
            f"Data er krypteret med nøglen '{key_id}', som ikke er i "
            "FORMS_SERVICE_ENCRYPTION_KEYS; tilføj den (bag den nuværende nøgle)."
        )

    @cached_property
    def _ciphers(self) -> dict[str, AESGCM]:
        return {key_id: AESGCM(secret) for key_id, secret in self.keys}

    def cipher(self, key_id: str) -> AESGCM:
        """The AES-GCM of a key id, made once per ring (a case list decrypts many values)."""
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            self.key(key_id)  # raises, naming the missing key
        return cipher  # type: ignore[return-value]


def parse_key_ring(spec: str, index_key: str) -> KeyRing:
    """``k2:<base64>,k1:<base64>`` and a base64 index key → KeyRing (clear errors, no echo of
    key material)."""
    keys: list[tuple[str, bytes]] = []
    for position, part in enumerate(p.strip() for p in spec.split(",") if p.strip()):
        key_id, sep, encoded = part.partition(":")
        if not sep or not KEY_ID.match(key_id):
            raise EncryptionError(
                f"FORMS_SERVICE_ENCRYPTION_KEYS: nøgle nr. {position + 1} skal skrives "
                "'<id>:<base64>' med et id af bogstaver, tal, '-' og '_'."
            )
        keys.append((key_id, _decode_key(encoded, f"nøglen '{key_id}'")))
    return KeyRing(tuple(keys), _decode_key(index_key, "blindindeks-nøglen"))


def _decode_key(encoded: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(encoded.strip(), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) not in KEY_BYTES:
        raise EncryptionError(f"{what} er ikke 16, 24 eller 32 bytes i base64.")
    return raw


def new_key() -> str:
    """A fresh 256-bit key in base64 (for the dev key and 'forms-service keys new')."""
    return base64.b64encode(os.urandom(32)).decode("ascii")


# --- the process's key ring -----------------------------------------------------------------

_lock = threading.Lock()
_ring: KeyRing | None = None
_loader: Callable[[], KeyRing] | None = None


def configure(ring: KeyRing | None) -> None:
    """Set (or with None, forget) the process's key ring."""
    global _ring, _loader
    with _lock:
        _ring = ring
        _loader = None


def configure_lazily(loader: Callable[[], KeyRing]) -> None:
    """Load the ring on first use (the CLI: a command that never touches the database needs
    no keys). An explicitly configured ring wins."""
    global _loader
    with _lock:
        if _ring is None:
            _loader = loader


def ring() -> KeyRing:
    """The process's key ring. Nothing configured: the environment's keys (a process that never
    went through the app factory or the CLI, e.g. a plain ``alembic`` run)."""
    global _ring
    if _ring is not None:
        return _ring
    with _lock:
        if _ring is None:
            _ring = _loader() if _loader is not None else _from_environment()
        return _ring


def _from_environment() -> KeyRing:
    spec = os.environ.get(ENV_KEYS, "").strip()
    index = os.environ.get(ENV_INDEX_KEY, "").strip()
    if not spec or not index:
        raise EncryptionError(
            f"Krypteringsnøglerne er ikke indlæst: sæt {ENV_KEYS} og {ENV_INDEX_KEY}."
        )
    return parse_key_ring(spec, index)


# --- envelopes ------------------------------------------------------------------------------


def encrypt_bytes(plain: bytes, key_ring: KeyRing | None = None) -> bytes:
    key_ring = key_ring or ring()
    key_id = key_ring.current_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = key_ring.cipher(key_id).encrypt(nonce, plain, None)
    label = key_id.encode("ascii")
    return BYTES_PREFIX + bytes([len(label)]) + label + nonce + sealed


def bytes_key_id(envelope: bytes) -> str:
    if not envelope.startswith(BYTES_PREFIX) or len(envelope) < len(BYTES_PREFIX) + 1:
        raise EncryptionError("Værdien er ikke krypteret (ukendt format).")
    length = envelope[len(BYTES_PREFIX)]
    return envelope[len(BYTES_PREFIX) + 1 : len(BYTES_PREFIX) + 1 + length].decode("ascii")


def decrypt_bytes(envelope: bytes, key_ring: KeyRing | None = None) -> bytes:
    key_ring = key_ring or ring()
    key_id = bytes_key_id(envelope)
    start = len(BYTES_PREFIX) + 1 + len(key_id)
    return _open(
        key_ring, key_id, envelope[start : start + NONCE_BYTES], envelope[start + NONCE_BYTES :]
    )


def encrypt_text(plain: str, key_ring: KeyRing | None = None) -> str:
    key_ring = key_ring or ring()
    key_id = key_ring.current_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = key_ring.cipher(key_id).encrypt(nonce, plain.encode("utf-8"), None)
    body = binascii.b2a_base64(nonce + sealed, newline=False).translate(_TO_URLSAFE)
    return f"{TEXT_PREFIX}{key_id}:{body.decode('ascii')}"


def text_key_id(envelope: str) -> str:
    return _split_text(envelope)[0]


def _split_text(envelope: str) -> tuple[str, str]:
    prefix, _, rest = envelope.partition(":")
    key_id, sep, body = rest.partition(":")
    if prefix != TEXT_PREFIX[:-1] or not sep:
        raise EncryptionError("Værdien er ikke krypteret (ukendt format).")
    return key_id, body


def decrypt_text(envelope: str, key_ring: KeyRing | None = None) -> str:
    key_ring = key_ring or ring()
    key_id, body = _split_text(envelope)
    try:
        raw = binascii.a2b_base64(body.encode("ascii").translate(_FROM_URLSAFE))
    except (binascii.Error, ValueError):  # UnicodeEncodeError is a ValueError
        raise KeyMismatchError("En krypteret værdi er beskadiget (base64).") from None
    return _open(key_ring, key_id, raw[:NONCE_BYTES], raw[NONCE_BYTES:]).decode("utf-8")


def _open(key_ring: KeyRing, key_id: str, nonce: bytes, sealed: bytes) -> bytes:
    try:
        return key_ring.cipher(key_id).decrypt(nonce, sealed, None)
    except InvalidTag:
        raise KeyMismatchError(
            f"En værdi krypteret med nøglen '{key_id}' kan ikke dekrypteres: nøglen med det id "
            "i FORMS_SERVICE_ENCRYPTION_KEYS er ikke den, data blev krypteret med (eller "
            "værdien er ændret uden om tjenesten)."
        ) from None


# --- blind index ----------------------------------------------------------------------------


def blind_index(cpr: str, key_ring: KeyRing | None = None) -> str:
    """HMAC-SHA256 (hex) of a normalised CPR number (ten digits, no dash)."""
    key_ring = key_ring or ring()
    return hmac.new(key_ring.index_key, cpr.encode("ascii"), hashlib.sha256).hexdigest()


CHECK_PLAINTEXT = "forms-service key check"


def index_key_check(key_ring: KeyRing | None = None) -> str:
    """What the database keeps to recognise the blind-index key (not the key)."""
    key_ring = key_ring or ring()
    return hmac.new(key_ring.index_key, CHECK_PLAINTEXT.encode(), hashlib.sha256).hexdigest()
