"""Compile gettext catalogs (.po → .mo) in pure Python, so `make run` needs no gettext tools.

The i18n gate in `make test` still checks catalogs with GNU ``msgfmt --check``.
Follows CPython's Tools/i18n/msgfmt.py (plural forms and contexts included).
"""

from __future__ import annotations

import array
import ast
import os
import struct
from pathlib import Path


def parse_po(text: str) -> dict[bytes, bytes]:
    """Parse a .po file's text into {msgid: msgstr} (fuzzy entries skipped)."""
    messages: dict[bytes, bytes] = {}
    section = None
    fuzzy = False
    msgctxt: str | None = None
    msgid = msgid_plural = ""
    msgstr: dict[int, str] = {}
    is_plural = False

    def flush() -> None:
        nonlocal msgctxt, msgid, msgid_plural, msgstr, is_plural, fuzzy
        if section is not None and not fuzzy and any(msgstr.values()):
            key = msgid
            if is_plural:
                key = f"{msgid}\x00{msgid_plural}"
                value = "\x00".join(msgstr[i] for i in sorted(msgstr))
            else:
                value = msgstr.get(0, "")
            if msgctxt is not None:
                key = f"{msgctxt}\x04{key}"
            messages[key.encode("utf-8")] = value.encode("utf-8")
        msgctxt, msgid, msgid_plural, msgstr, is_plural, fuzzy = None, "", "", {}, False, False

    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            if section == "msgstr":
                flush()
                section = None
            fuzzy = True
            continue
        if line.startswith("#"):
            continue
        if line.startswith("msgctxt"):
            if section == "msgstr":
                flush()
            section, msgctxt = "msgctxt", ast.literal_eval(line[7:].strip())
        elif line.startswith("msgid_plural"):
            section, is_plural = "msgid_plural", True
            msgid_plural = ast.literal_eval(line[12:].strip())
        elif line.startswith("msgid"):
            if section == "msgstr":
                flush()
            section, msgid = "msgid", ast.literal_eval(line[5:].strip())
        elif line.startswith("msgstr"):
            section = "msgstr"
            if line.startswith("msgstr["):
                index = int(line[7 : line.index("]")])
                msgstr[index] = ast.literal_eval(line[line.index("]") + 1 :].strip())
            else:
                msgstr[0] = ast.literal_eval(line[6:].strip())
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if section == "msgctxt":
                msgctxt = (msgctxt or "") + value
            elif section == "msgid":
                msgid += value
            elif section == "msgid_plural":
                msgid_plural += value
            elif section == "msgstr":
                last = max(msgstr) if msgstr else 0
                msgstr[last] = msgstr.get(last, "") + value
        elif not line and section == "msgstr":
            flush()
            section = None
    # The header (msgid "") is kept even though its msgid is empty.
    return messages


def mo_bytes(messages: dict[bytes, bytes]) -> bytes:
    """Serialise messages in the GNU .mo format."""
    keys = sorted(messages)
    offsets = []
    ids = strs = b""
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(messages[key])))
        ids += key + b"\0"
        strs += messages[key] + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return header + array.array("i", koffsets + voffsets).tobytes() + ids + strs


def compile_catalog(po_path: Path) -> Path:
    """Write the .mo beside ``po_path``; returns its path."""
    mo_path = po_path.with_suffix(".mo")
    # Write then rename: parallel test workers may compile the same catalog at once.
    tmp_path = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.tmp")
    tmp_path.write_bytes(mo_bytes(parse_po(po_path.read_text(encoding="utf-8"))))
    os.replace(tmp_path, mo_path)
    return mo_path
