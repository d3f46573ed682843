"""The hashes iacguard uses, taken from the implementations CPython builds in.

Importing `hashlib` or `hmac` loads OpenSSL's libcrypto: 3 ms of the 73 ms that a
check of one Dockerfile took (`python -X importtime`, on the benchmarks' machine),
for a check that needs neither OpenSSL nor its speed. CPython builds SHA-256 and
BLAKE2 in (`_sha2` from 3.12, `_sha256` before; `_blake2`), and hashlib hands out
those same objects where OpenSSL lacks them, so they are taken directly; an
interpreter built without them (a FIPS build, say) gets hashlib's.

`sha256` is for what outlives a run outside the cache (finding fingerprints, held by
baselines and code-scanning alerts; the cache folder of a scan root), so it never
changes. `blake2b` hashes file contents for the cache (1.4 GB/s on that machine, where
the built-in SHA-256 gives 0.37 and OpenSSL's 2.0) and, given a key, signs the
cache's entries: BLAKE2's keyed mode is a MAC by design (RFC 7693), where HMAC builds
one around a plain hash.
"""

try:
    from _sha2 import sha256
except ImportError:
    try:
        from _sha256 import sha256
    except ImportError:
        from hashlib import sha256

try:
    from _blake2 import blake2b
except ImportError:
    from hashlib import blake2b

try:
    from _operator import _compare_digest as compare_digest  # what `hmac.compare_digest` is
except ImportError:
    from hmac import compare_digest

__all__ = ["blake2b", "compare_digest", "sha256"]
