"""Write small repository CARs for tests, from invented records (DAG-CBOR via libipld, the codec the
atproto SDK uses). One MST node holds every entry: a valid tree for a handful of keys."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import libipld

_CID_PREFIX = bytes([0x01, 0x71, 0x12, 0x20])  # CIDv1, dag-cbor, sha2-256, 32 bytes


class Link(bytes):
    """A CID to be written as a DAG-CBOR link (tag 42)."""


def encode(value: Any) -> bytes:
    # libipld writes bytes as byte strings; a link is tag 42 over 0x00 + the CID's bytes, so write the
    # links as unique placeholders first and swap the tag in.
    links: list[Link] = []

    def strip(v: Any) -> Any:
        if isinstance(v, Link):
            links.append(v)
            return bytes(v)
        if isinstance(v, Mapping):
            return {k: strip(x) for k, x in v.items()}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v

    data = libipld.encode_dag_cbor(strip(value))
    for link in links:
        data = data.replace(b"\x58\x24" + link, b"\xd8\x2a\x58\x25\x00" + link)
    return data


def cid_of(block: bytes) -> Link:
    return Link(_CID_PREFIX + hashlib.sha256(block).digest())


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def car_bytes(root: Link, blocks: list[tuple[Link, bytes]]) -> bytes:
    header = encode({"version": 1, "roots": [root]})
    out = bytearray(varint(len(header)) + header)
    for cid, block in blocks:
        out += varint(len(cid) + len(block)) + cid + block
    return bytes(out)


def build_car(
    did: str, records: Mapping[str, Any], rev: str | None = "3kxyzabcdefgh", drop: tuple[str, ...] = ()
) -> bytes:
    """A CAR of ``records`` (``collection/rkey`` → record); keys in ``drop`` keep their tree entry but
    lose their block, as in a partial export."""
    blocks: list[tuple[Link, bytes]] = []
    entries = []
    for key in sorted(records):
        block = encode(records[key])
        cid = cid_of(block)
        if key not in drop:
            blocks.append((cid, block))
        entries.append({"p": 0, "k": key.encode(), "v": cid, "t": None})
    node = encode({"l": None, "e": entries})
    node_cid = cid_of(node)
    commit: dict[str, Any] = {"did": did, "version": 3, "data": node_cid, "prev": None, "sig": b"\x00" * 64}
    if rev:
        commit["rev"] = rev
    commit_block = encode(commit)
    root = cid_of(commit_block)
    return car_bytes(root, [(root, commit_block), (node_cid, node), *blocks])
