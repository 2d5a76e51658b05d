"""Industry template packs: data files under nlp/packs/, validated when loaded.

Every pack is merged over `base.json` (titles, departments, objection phrases shared by
all industries); an industry's own entries win where both name the same title. Adding an
industry is adding a JSON file: nothing here lists industries.

Phrase lists (objections, store script lines) may use `…` for "a few words here"
(价格…高 matches 价格有点高), so a pack says what it means without regular expressions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

ROLE_CATEGORIES: tuple[str, ...] = (
    "decision_maker", "procurement", "technical", "finance", "user", "approver", "other",
)
OBJECTION_TYPES: tuple[str, ...] = ("price", "delivery", "service", "other")
STORE_NODES: tuple[str, ...] = ("entered", "probed", "recommended", "objection_handled", "closed")
BASE_ID = "base"
SCHEMA = "actionproof.pack/1"
DEFAULT_SEGMENT = "default"

# `…` in a phrase: up to this many characters of anything but clause punctuation.
_GAP = r"[^，,。.!！?？;；\s]{0,6}?"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class PackError(ValueError):
    """A pack file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class StoreNode:
    """One golden action node of a store visit, with the script lines it requires."""

    seq: int
    node: str            # one of STORE_NODES
    name: str            # what the store calls it (迎宾, 需求探询, …)
    script_lines: tuple[str, ...]


@dataclass(frozen=True)
class Pack:
    """One industry's vocabulary and decision chain, merged over the base pack."""

    id: str
    name: str
    sources: tuple[str, ...]                         # file names, base first
    titles: Mapping[str, str]                        # title → role category
    departments: Mapping[str, str]                   # department word → role category
    rep_titles: frozenset[str]                       # titles of the selling side (ignored)
    segments: Mapping[str, frozenset[str]]           # segment → required role categories
    vocabulary: tuple[str, ...]                      # extra words for the segmenter
    need_words: tuple[str, ...]                      # need vocabulary (keywords, weak cues)
    objections: Mapping[str, tuple[str, ...]]        # type → phrases (may contain …)
    store_nodes: tuple[StoreNode, ...]

    def __hash__(self) -> int:
        # The mapping fields are unhashable; the id and its files identify a pack.
        return hash((self.id, self.sources))

    def required_roles(self, segment: str | None) -> frozenset[str]:
        """Role categories this segment's decision chain must include (CQI target chain)."""
        if segment and segment in self.segments:
            return self.segments[segment]
        return self.segments.get(DEFAULT_SEGMENT, frozenset())

    def dictionary_words(self) -> tuple[str, ...]:
        """Every word the segmenter must keep whole for this industry."""
        words = {*self.titles, *self.departments, *self.rep_titles, *self.vocabulary, *self.need_words}
        # Single characters need no dictionary entry, and titles such as 总 or 工 only make
        # sense after a surname (names.py joins those).
        return tuple(sorted(w for w in words if len(w) > 1))


def phrase_pattern(phrase: str) -> str:
    """The regular expression for a pack phrase: literal text, `…` for a short gap."""
    return _GAP.join(re.escape(part) for part in phrase.split("…"))


def packs_dir() -> Path:
    return Path(str(resources.files("nlp") / "packs"))


def available_industries(directory: Path | None = None) -> tuple[str, ...]:
    """Industry ids of the packs in `directory` (default: the packaged ones)."""
    d = directory or packs_dir()
    return tuple(sorted(p.stem for p in d.glob("*.json") if p.stem != BASE_ID))


@lru_cache(maxsize=None)
def _read(path: Path) -> Mapping[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise PackError(f"{path.name}: cannot be read: {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise PackError(f"{path.name}: not JSON: {e.msg} at line {e.lineno} column {e.colno}") from e
    return _validate(raw, path.name)


def _fail(file: str, field: str, problem: str) -> PackError:
    return PackError(f"{file}: {field}: {problem}")


def _strings(value: Any, file: str, field: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _fail(file, field, "expected a list of strings")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise _fail(file, f"{field}[{i}]", "expected a non-empty string")
        if item != item.strip():
            raise _fail(file, f"{field}[{i}]", f"surrounding spaces in {item!r}")
    return tuple(value)


def _validate(raw: Any, file: str) -> Mapping[str, Any]:
    """Check a pack's shape and return it as plain, normalised values."""
    if not isinstance(raw, dict):
        raise _fail(file, "(top level)", "expected a JSON object")
    known = {"schema", "id", "name", "roles", "rep_titles", "segments", "vocabulary", "need_words",
             "objections", "store_nodes", "notes"}
    for key in raw:
        if key not in known:
            raise _fail(file, key, f"unknown field (known: {', '.join(sorted(known))})")
    if raw.get("schema") != SCHEMA:
        raise _fail(file, "schema", f"expected {SCHEMA!r}, got {raw.get('schema')!r}")
    pack_id = raw.get("id")
    if not isinstance(pack_id, str) or not _ID.match(pack_id):
        raise _fail(file, "id", "expected a lower-case identifier such as 'medical_devices'")
    if pack_id != Path(file).stem:
        raise _fail(file, "id", f"{pack_id!r} differs from the file name")
    if not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise _fail(file, "name", "expected a non-empty string")

    titles: dict[str, str] = {}
    departments: dict[str, str] = {}
    roles = raw.get("roles", {})
    if not isinstance(roles, dict):
        raise _fail(file, "roles", "expected an object of role category → {titles, departments}")
    for role, spec in roles.items():
        if role not in ROLE_CATEGORIES:
            raise _fail(file, f"roles.{role}", f"unknown role category (use one of {', '.join(ROLE_CATEGORIES)})")
        if not isinstance(spec, dict):
            raise _fail(file, f"roles.{role}", "expected an object with titles and/or departments")
        for key in spec:
            if key not in ("titles", "departments"):
                raise _fail(file, f"roles.{role}.{key}", "unknown field (known: departments, titles)")
        for key, target in (("titles", titles), ("departments", departments)):
            for i, word in enumerate(_strings(spec.get(key, []), file, f"roles.{role}.{key}")):
                if word in target and target[word] != role:
                    raise _fail(file, f"roles.{role}.{key}[{i}]", f"{word!r} is already listed under {target[word]}")
                target[word] = role

    segments: dict[str, frozenset[str]] = {}
    raw_segments = raw.get("segments", {})
    if not isinstance(raw_segments, dict):
        raise _fail(file, "segments", "expected an object of segment → {required_roles}")
    for seg, spec in raw_segments.items():
        if not isinstance(spec, dict) or set(spec) - {"required_roles", "notes"}:
            raise _fail(file, f"segments.{seg}", "expected an object with required_roles")
        req = _strings(spec.get("required_roles", []), file, f"segments.{seg}.required_roles")
        for i, role in enumerate(req):
            if role not in ROLE_CATEGORIES:
                raise _fail(file, f"segments.{seg}.required_roles[{i}]", f"unknown role category {role!r}")
        segments[seg] = frozenset(req)

    objections: dict[str, tuple[str, ...]] = {}
    raw_obj = raw.get("objections", {})
    if not isinstance(raw_obj, dict):
        raise _fail(file, "objections", "expected an object of type → phrases")
    for kind, phrases in raw_obj.items():
        if kind not in OBJECTION_TYPES:
            raise _fail(file, f"objections.{kind}", f"unknown objection type (use one of {', '.join(OBJECTION_TYPES)})")
        objections[kind] = _strings(phrases, file, f"objections.{kind}")
        for i, phrase in enumerate(objections[kind]):
            if phrase.startswith("…") or phrase.endswith("…"):
                raise _fail(file, f"objections.{kind}[{i}]", "… belongs between words, not at an end")

    nodes: list[StoreNode] = []
    raw_nodes = raw.get("store_nodes", [])
    if not isinstance(raw_nodes, list):
        raise _fail(file, "store_nodes", "expected a list")
    for i, node in enumerate(raw_nodes):
        field = f"store_nodes[{i}]"
        if not isinstance(node, dict):
            raise _fail(file, field, "expected an object with seq, node, name, script_lines")
        if node.get("node") not in STORE_NODES:
            raise _fail(file, f"{field}.node", f"expected one of {', '.join(STORE_NODES)}")
        if not isinstance(node.get("seq"), int) or node["seq"] != i + 1:
            raise _fail(file, f"{field}.seq", f"expected {i + 1} (nodes are listed in order from 1)")
        if not isinstance(node.get("name"), str) or not node["name"].strip():
            raise _fail(file, f"{field}.name", "expected a non-empty string")
        lines = _strings(node.get("script_lines"), file, f"{field}.script_lines")
        if not lines:
            raise _fail(file, f"{field}.script_lines", "a node needs at least one required script line")
        nodes.append(StoreNode(node["seq"], node["node"], node["name"], lines))

    return MappingProxyType({
        "id": pack_id,
        "name": raw["name"],
        "titles": titles,
        "departments": departments,
        "rep_titles": _strings(raw.get("rep_titles", []), file, "rep_titles"),
        "segments": segments,
        "vocabulary": _strings(raw.get("vocabulary", []), file, "vocabulary"),
        "need_words": _strings(raw.get("need_words", []), file, "need_words"),
        "objections": objections,
        "store_nodes": tuple(nodes),
    })


def load_pack_file(path: Path, base: Path | None = None) -> Pack:
    """Load and validate one pack file merged over the base pack beside it (or `base`)."""
    base_path = base or path.with_name(f"{BASE_ID}.json")
    b = _read(base_path)
    ind = _read(path) if path.resolve() != base_path.resolve() else b
    titles = {**b["titles"], **ind["titles"]}
    departments = {**b["departments"], **ind["departments"]}
    # An industry may claim a title the base pack gives to the selling side (区域经理 is a
    # chain store's approver in mother-and-baby retail).
    rep_titles = (frozenset(b["rep_titles"]) - frozenset(ind["titles"])) | frozenset(ind["rep_titles"])
    for t in rep_titles:
        titles.pop(t, None)
    objections = {k: tuple(dict.fromkeys(b["objections"].get(k, ()) + ind["objections"].get(k, ())))
                  for k in OBJECTION_TYPES}
    return Pack(
        id=ind["id"],
        name=ind["name"],
        sources=tuple(dict.fromkeys((base_path.name, path.name))),
        titles=MappingProxyType(titles),
        departments=MappingProxyType(departments),
        rep_titles=rep_titles,
        segments=MappingProxyType({**b["segments"], **ind["segments"]}),
        vocabulary=tuple(dict.fromkeys(b["vocabulary"] + ind["vocabulary"])),
        need_words=tuple(dict.fromkeys(b["need_words"] + ind["need_words"])),
        objections=MappingProxyType(objections),
        store_nodes=ind["store_nodes"] or b["store_nodes"],
    )


@lru_cache(maxsize=None)
def load_pack(industry: str | None) -> Pack:
    """The packaged pack for `industry` (None: the base pack alone). Cached per process.

    Raises PackError for an industry without a pack file, naming the ones available.
    """
    d = packs_dir()
    if industry is None or industry == BASE_ID:
        return load_pack_file(d / f"{BASE_ID}.json")
    path = d / f"{industry}.json"
    if not _ID.match(industry) or not path.is_file():
        raise PackError(f"{industry}.json: no pack for industry {industry!r} "
                        f"(available: {', '.join(available_industries(d))})")
    return load_pack_file(path)


def required_roles(industry: str | None, segment: str | None = None) -> frozenset[str]:
    """Role categories the industry pack requires for a customer segment (CQI target chain)."""
    return load_pack(industry).required_roles(segment)
