"""Personal data at rest: one cipher interface, the data keys and the lookup keys.

* **Encryption.** Phones, ID numbers and home addresses are stored encrypted (`gongzhi.core.fields.EncryptedCharField`).
  The stored text is ``<key id>:<base64 of nonce + ciphertext + tag>``; the key id names the data key that wrote it,
  so values written under an old key still decrypt while `gongzhi manage rotate_keys` re-encrypts them under the
  current one. The cipher is a class named by the setting ``GONGZHI_CIPHER`` (default AES-256-GCM from
  `cryptography`; `SM4GCMCipher` is there for a deployment that must use the national standard), behind the small
  `Cipher` protocol: any class with ``key_size``, ``encrypt(plaintext)`` and ``decrypt(data)`` fits.
* **Lookups.** An encrypted column can't be searched, so the fields looked up by value carry a keyed hash beside them
  (`gongzhi.core.fields.LookupHashField`): ``<key id>:<HMAC-SHA256 hex>`` of the normalised value. `lookup_hashes`
  gives the hashes of a value under every configured lookup key, so a look-up keeps working while a new key is
  being rolled out (``filter(phone_hash__in=lookup_hashes(phone))``).
* **Keys** come from the environment: ``GONGZHI_DATA_KEYS`` and ``GONGZHI_LOOKUP_KEYS``, each a comma-separated list
  of ``id:secret`` pairs, the current key first (older keys after it are only read). A secret is any long random
  string; the cipher key is derived from it with HKDF-SHA256. Without them the settings refuse to start unless
  DEBUG is on or the test suite / demo runs (then built-in development keys are used).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from functools import cache
from typing import Protocol

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher as _Cipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class Cipher(Protocol):
    """An authenticated cipher with one key. ``decrypt`` raises on a forged or damaged value."""

    key_size: int  # bytes

    def __init__(self, key: bytes) -> None: ...

    def encrypt(self, plaintext: bytes) -> bytes: ...

    def decrypt(self, data: bytes) -> bytes: ...


class AESGCMCipher:
    """AES-256-GCM; a random 96-bit nonce is stored before the ciphertext."""

    key_size = 32

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext, None)

    def decrypt(self, data: bytes) -> bytes:
        return self._aead.decrypt(data[:12], data[12:], None)


class SM4GCMCipher:
    """SM4-GCM (GB/T 32907), for deployments bound to the national cryptographic standards. Needs an OpenSSL
    built with SM4 (Debian's and the `cryptography` wheels' are)."""

    key_size = 16

    def __init__(self, key: bytes) -> None:
        self._key = key

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        enc = _Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        body = enc.update(plaintext) + enc.finalize()
        return nonce + body + enc.tag

    def decrypt(self, data: bytes) -> bytes:
        nonce, body, tag = data[:12], data[12:-16], data[-16:]
        dec = _Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
        return dec.update(body) + dec.finalize()


def parse_keys(value: str, setting: str) -> list[tuple[str, str]]:
    """``"k2:secret,k1:older"`` → ``[("k2", "secret"), ("k1", "older")]`` (current key first)."""
    keys = []
    for part in (p.strip() for p in (value or "").split(",")):
        if not part:
            continue
        kid, sep, secret = part.partition(":")
        if not sep or not KEY_ID.match(kid) or len(secret) < 16:
            raise ImproperlyConfigured(f"{setting}: each key is 'id:secret' (id: letters/digits, secret ≥ 16 chars)")
        keys.append((kid, secret))
    if not keys:
        raise ImproperlyConfigured(f"{setting} names no key")
    if len({k for k, _ in keys}) != len(keys):
        raise ImproperlyConfigured(f"{setting}: key ids must differ")
    return keys


@cache
def _ciphers(cipher_path: str, keys: str) -> tuple[str, dict[str, Cipher]]:
    cls = import_string(cipher_path)
    ciphers = {}
    for kid, secret in parse_keys(keys, "GONGZHI_DATA_KEYS"):
        key = HKDF(algorithm=hashes.SHA256(), length=cls.key_size, salt=None,
                   info=f"gongzhi data key {kid}".encode()).derive(secret.encode())
        ciphers[kid] = cls(key)
    return next(iter(ciphers)), ciphers


def _data_keys() -> tuple[str, dict[str, Cipher]]:
    return _ciphers(settings.GONGZHI_CIPHER, settings.GONGZHI_DATA_KEYS)


def current_key_id() -> str:
    return _data_keys()[0]


def encrypt(plaintext: str) -> str:
    """``plaintext`` encrypted under the current data key, as ``<key id>:<base64>``. Blanks stay blank."""
    if not plaintext:
        return plaintext
    kid, ciphers = _data_keys()
    return f"{kid}:{base64.b64encode(ciphers[kid].encrypt(plaintext.encode())).decode()}"


def decrypt(stored: str) -> str:
    """The plaintext of a value `encrypt` wrote under any configured data key."""
    if not stored:
        return stored
    kid, sep, body = stored.partition(":")
    ciphers = _data_keys()[1]
    if not sep or kid not in ciphers:
        raise ImproperlyConfigured(f"no data key {kid!r} in GONGZHI_DATA_KEYS to decrypt a stored value")
    return ciphers[kid].decrypt(base64.b64decode(body)).decode()


def key_id_of(stored: str) -> str:
    return (stored or "").partition(":")[0]


# --- lookup hashes ---------------------------------------------------------------------------------------------

def normalize(value: str) -> str:
    """The form a value is hashed in: no spaces or dashes, no +86 / 0086 prefix on a mobile number."""
    text = re.sub(r"[\s\-()]", "", value or "")
    return re.sub(r"^(?:\+86|0086)(?=1\d{10}$)", "", text).upper()


@cache
def _lookup_keys(keys: str) -> list[tuple[str, bytes]]:
    return [(kid, secret.encode()) for kid, secret in parse_keys(keys, "GONGZHI_LOOKUP_KEYS")]


def _hash(kid: str, key: bytes, value: str) -> str:
    return f"{kid}:{hmac.new(key, value.encode(), hashlib.sha256).hexdigest()}"


def lookup_hash(value: str) -> str:
    """The keyed hash of ``value`` under the current lookup key (blank for a blank value)."""
    value = normalize(value)
    if not value:
        return ""
    kid, key = _lookup_keys(settings.GONGZHI_LOOKUP_KEYS)[0]
    return _hash(kid, key, value)


def lookup_hashes(value: str) -> list[str]:
    """The hashes ``value`` may be stored under (every configured lookup key): filter with ``__in``."""
    value = normalize(value)
    if not value:
        return []
    return [_hash(kid, key, value) for kid, key in _lookup_keys(settings.GONGZHI_LOOKUP_KEYS)]
