"""SQL functions the workers need on both backends, compiled per dialect."""
from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, and_, case, column, false, func, true
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


def hash_chunks16(value: object) -> tuple[int | None, ...]:
    """The four 16-bit chunks of a 64-bit hash, its first four hex digits first; four None for
    anything `is_hex64` refuses (the hash's own CHECK constraint refuses such a row)."""
    if not is_hex64(value):
        return (None,) * 4
    n = int(value, 16)  # type: ignore[arg-type]
    return tuple((n >> (16 * (3 - i))) & 0xFFFF for i in range(4))


class hash_chunk16(GenericFunction):
    """SQL: the `index`-th 16-bit chunk of a 64-bit hash of 16 lower-case hex digits (0 = its first
    four digits), as an integer 0-65535; NULL for NULL. `hash_chunks16` in SQL, for the migration's
    backfill and the CHECK constraint that keeps `ap_photos.phash_c0` … `phash_c3` equal to the hash."""

    type = Integer()
    name = "ap_hash_chunk16"
    inherit_cache = True


@compiles(hash_chunk16)
def _hash_chunk16_default(element, compiler, **kw) -> str:
    # SQLite parses no hex: each digit's position in the hex alphabet.
    value, index = (compiler.process(c, **kw) for c in element.clauses)
    digits = [f"(instr('0123456789abcdef', substr({value}, {index} * 4 + {k + 1}, 1)) - 1) * {16 ** (3 - k)}"
              for k in range(4)]
    return "(" + " + ".join(digits) + ")"


@compiles(hash_chunk16, "postgresql")
def _hash_chunk16_pg(element, compiler, **kw) -> str:
    value, index = (compiler.process(c, **kw) for c in element.clauses)
    return f"(('x' || substr({value}, {index} * 4 + 1, 4))::bit(16))::integer"


def hash_chunks_check(hash_column: str, chunk_columns: tuple[str, ...]) -> ColumnElement[bool]:
    """CHECK constraint: the chunk columns hold `hash_chunks16` of the hash column (all NULL when it
    is NULL). A malformed hash is left to the hash's own CHECK (`hex64_check`)."""
    h = column(hash_column)
    chunks = [column(c) for c in chunk_columns]
    return case(
        (h.is_(None), and_(*(c.is_(None) for c in chunks))),
        # hex64_check as an expression (a literal text would hide the column from Alembic's batch mode)
        (and_(func.length(h) == 16, func.ltrim(h, "0123456789abcdef") == ""),
         func.coalesce(and_(*(c == hash_chunk16(h, i) for i, c in enumerate(chunks))), false())),
        else_=true())
