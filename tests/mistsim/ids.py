# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Identifiers: the backends dialect's base58 backend id, and random hex ids/tokens."""

import hashlib
import secrets

# Lower case BEFORE upper case: not Bitcoin's order (MIST_API.md, "Backend id").
ALPHABET = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'


def b58encode(number):
    """Encode a non-negative integer with the mist.io base58 alphabet."""
    if number == 0:
        return ALPHABET[0]
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(ALPHABET[rest])
    return ''.join(reversed(digits))


def b58_sha1(*parts):
    """mist.io's get_id: base58(int(sha1(concat of parts).hexdigest(), 16))."""
    digest = hashlib.sha1(''.join(parts).encode('utf-8')).hexdigest()
    return b58encode(int(digest, 16))


def backend_id(provider, region, apikey):
    """The id of a provider+region+apikey backend (every provider but docker and bare metal,
    and, from B2, OpenStack and HP: see backends_api.id_fields)."""
    return b58_sha1(provider, region or '', apikey)


def hex_id(nbytes=16):
    """A random lowercase hex string (16 bytes -> 32 chars: cloud ids)."""
    return secrets.token_hex(nbytes)


def api_token():
    """A new API token: 64 lowercase hex characters."""
    return secrets.token_hex(32)


def stable_hex(*parts, length=32):
    """A deterministic hex string derived from parts (machine ids, user ids)."""
    return hashlib.sha256('\0'.join(str(part) for part in parts).encode('utf-8')).hexdigest()[:length]
