"""SQL functions the workers need on both backends, compiled per dialect."""
from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

_HEX = frozenset("0123456789abcdef")


def is_hex64(value: object) -> bool:
    """A 64-bit hash as stored: 16 lower-case hex digits."""
    return isinstance(value, str) and len(value) == 16 and _HEX.issuperset(value)


def hex64_check(column: str) -> str:
    """CHECK constraint text for a hash column, valid on SQLite and PostgreSQL alike."""
    return f"{column} IS NULL OR (length({column}) = 16 AND ltrim({column}, '0123456789abcdef') = '')"


class hamming64(GenericFunction):
    """Differing bits between two 64-bit hashes of 16 lower-case hex digits.

    The database compares, so looking a photo up among an organisation's whole history
    moves only the near matches to the worker, not every earlier hash. Stored hashes are
    kept well formed by CHECK constraints; callers pass only values `is_hex64` accepts
    (SQLite gives NULL for anything else, PostgreSQL an error).
    """

    type = Integer()
    name = "ap_hamming64"
    inherit_cache = True


@compiles(hamming64, "postgresql")
def _hamming64_pg(element, compiler, **kw) -> str:
    a, b = (f"(('x' || {compiler.process(c, **kw)})::bit(64))" for c in element.clauses)
    version = compiler.dialect.server_version_info or (0,)
    if version >= (14,):
        return f"bit_count({a} # {b})"
    # Before PostgreSQL 14: count the ones in the XOR's text form (about 5 times slower).
    return f"length(replace(({a} # {b})::text, '0', ''))"


def hamming64_py(a: object, b: object) -> int | None:
    """The same function for SQLite, registered on each connection."""
    if not (is_hex64(a) and is_hex64(b)):
        return None
    return (int(a, 16) ^ int(b, 16)).bit_count()  # type: ignore[arg-type]
