"""Evidence bundles: the manifest, the seal and the audit extract catch any changed byte."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.utils import translation

from yaojian.audit.models import AuditEvent
from yaojian.audit.services import record
from yaojian.documents.bundles import audit_extract, build_bundle, verify_bundle

FILES = [("letter.pdf", b"%PDF-1.4 letter"), ("evidence/photo.jpg", b"\xff\xd8\xff photo")]


@pytest.fixture(autouse=True)
def _english():
    """The problems are asserted in English (the catalog translates them)."""
    with translation.override("en"):
        yield


def _rewrite(bundle: bytes, member: str, change) -> bytes:
    """The bundle with ``member``'s content changed by ``change(bytes) -> bytes``."""
    source = zipfile.ZipFile(io.BytesIO(bundle))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == member else data)
    return out.getvalue()


def _flip_first(data: bytes) -> bytes:
    return bytes([data[0] ^ 0x01]) + data[1:]


@pytest.fixture
def bundle(db):
    record(actor=None, action="test.thing_done", object_type="test.thing", object_id="1")
    record(actor=None, action="test.thing_redone", object_type="test.thing", object_id="1")
    events = AuditEvent.objects.filter(object_type="test.thing").order_by("id")
    return build_bundle(
        FILES, {"referral": "abc", "case_number": "案2026-1"}, audit_extract(events)
    )


def test_a_fresh_bundle_verifies(bundle, tmp_path):
    path = tmp_path / "b.zip"
    path.write_bytes(bundle)

    assert verify_bundle(path, check_chain=True) == []
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert [f["name"] for f in manifest["files"]] == ["letter.pdf", "evidence/photo.jpg"]
    assert [e["action"] for e in manifest["audit"]] == ["test.thing_done", "test.thing_redone"]
    assert manifest["meta"]["case_number"] == "案2026-1"


@pytest.mark.parametrize(
    "member", ["manifest.json", "manifest.seal", "files/letter.pdf", "files/evidence/photo.jpg"]
)
def test_any_changed_byte_in_any_member_fails(bundle, tmp_path, member):
    source = zipfile.ZipFile(io.BytesIO(bundle))
    size = len(source.read(member))
    for position in (0, size // 2, size - 1):
        path = tmp_path / f"t{position}.zip"

        def change(data: bytes, at: int = position) -> bytes:
            return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]

        path.write_bytes(_rewrite(bundle, member, change))
        assert verify_bundle(path) != [], (member, position)


def _data_ranges(bundle: bytes) -> list[range]:
    """Where each member's (stored or compressed) bytes lie in the archive."""
    ranges = []
    for info in zipfile.ZipFile(io.BytesIO(bundle)).infolist():
        start = info.header_offset
        name_length = int.from_bytes(bundle[start + 26 : start + 28], "little")
        extra_length = int.from_bytes(bundle[start + 28 : start + 30], "little")
        data = start + 30 + name_length + extra_length
        ranges.append(range(data, data + info.compress_size))
    return ranges


def test_a_changed_byte_in_the_raw_archive_fails(bundle, tmp_path):
    path = tmp_path / "raw.zip"
    for member_bytes in _data_ranges(bundle):
        for position in member_bytes:
            raw = bundle[:position] + bytes([bundle[position] ^ 0xFF]) + bundle[position + 1 :]
            path.write_bytes(raw)
            assert verify_bundle(path) != [], position


def test_an_extra_member_fails(bundle, tmp_path):
    out = io.BytesIO(bundle)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("files/smuggled.txt", b"x")
    path = tmp_path / "b.zip"
    path.write_bytes(out.getvalue())

    assert verify_bundle(path) == ["files/smuggled.txt is not listed in the manifest."]


def test_an_audit_entry_not_in_this_chain_fails_the_chain_check(db, tmp_path):
    record(actor=None, action="test.thing_done", object_type="test.thing", object_id="1")
    entries = audit_extract(AuditEvent.objects.all())
    path = tmp_path / "b.zip"
    path.write_bytes(build_bundle(FILES, {}, entries))
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)  # another platform's bundle

    assert verify_bundle(path) == []
    assert len(verify_bundle(path, check_chain=True)) == len(entries)


def test_not_a_zip(tmp_path):
    path = tmp_path / "b.zip"
    path.write_bytes(b"hello")

    assert len(verify_bundle(path)) == 1


def test_duplicate_and_unsafe_names(db):
    with pytest.raises(ValueError, match="two bundle files"):
        build_bundle([("a", b"1"), ("./a", b"2")], {}, [])
    bundle = build_bundle([("../../etc/passwd", b"1")], {}, [])
    assert zipfile.ZipFile(io.BytesIO(bundle)).namelist()[-1] == "files/etc/passwd"


def test_command_exit_codes(bundle, tmp_path, capsys):
    good = tmp_path / "good.zip"
    good.write_bytes(bundle)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(_rewrite(bundle, "files/letter.pdf", _flip_first))

    call_command("verify_bundle", str(good))
    assert capsys.readouterr().out.strip() == "OK"
    with pytest.raises(SystemExit) as exited:
        call_command("verify_bundle", str(bad))
    assert exited.value.code == 1
    assert "files/letter.pdf does not match its SHA-256 in the manifest." in capsys.readouterr().err
