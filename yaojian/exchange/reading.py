"""Reading an uploaded file into rows: encoding detection, XLSX and CSV, header checks.

Anything that makes the whole file unusable raises :class:`UnreadableFileError` (a
``ValidationError`` with a clear message); nothing is applied from such a file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yaojian.exchange.sources import columns_for, header_index, normalise_header

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
#: The most characters one cell may hold: five times the longest field of any template (a
#: longer "cell" is a broken file, usually an unclosed CSV quote). Below 32,767, the length at
#: which spreadsheet programs (and calamine) cut a cell off without a word.
MAX_CELL_CHARS = 10000
XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*ref="[A-Z]+(\d+):[A-Z]+(\d+)"')


class UnreadableFileError(ValidationError):
    """The file as a whole cannot be used (empty, garbage, wrong headers, mixed encodings …)."""


def max_upload_bytes() -> int:
    """The size limit for one file (``EXCHANGE_MAX_UPLOAD_BYTES``, default 50 MB)."""
    return int(getattr(settings, "EXCHANGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))


@dataclass
class ParsedFile:
    """A readable file: its encoding, the column keys in file order and its data rows."""

    encoding: str
    keys: list[str | None]
    headers: list[str]
    rows: Iterator[tuple[int, dict[str, Any]]] = field(repr=False)
    estimated_rows: int = 0


def check_size(size: int) -> None:
    """Refuse empty files and files over the limit."""
    if size == 0:
        raise UnreadableFileError(_("The file is empty."), code="empty_file")
    limit = max_upload_bytes()
    if size > limit:
        raise UnreadableFileError(
            _("The file is larger than %(limit)s MB; split it into smaller files."),
            code="file_too_large",
            params={"limit": limit // (1024 * 1024)},
        )


def parse(kind: str, data: bytes) -> ParsedFile:
    """Open ``data`` (XLSX or CSV, detected from the content) for source ``kind``.

    The header is checked here; rows are read lazily by iterating ``rows``.
    """
    check_size(len(data))
    if data.startswith(XLSX_MAGIC):
        return _parse_xlsx(kind, data)
    return _parse_csv(kind, data)


def check(kind: str, data: bytes) -> ParsedFile:
    """Open ``data`` and read every row once, refusing what an import could not use.

    Used at upload, before anything is stored, so that a file whose import would fail as a
    whole (a header and no rows, a cell over :data:`MAX_CELL_CHARS`, a CSV that breaks after
    its header) is refused at once with the same message on the page, the API and the
    command line. The returned file has no rows left; ``estimated_rows`` is the exact count.
    """
    parsed = parse(kind, data)
    count = sum(1 for _row in parsed.rows)
    if count == 0:
        raise UnreadableFileError(_("The file has a header but no rows."), code="no_rows")
    parsed.estimated_rows = count
    parsed.rows = iter(())
    return parsed


def _cell_too_long(line: int) -> UnreadableFileError:
    return UnreadableFileError(
        _(
            "Line %(line)s has a cell longer than %(limit)s characters, more than any column "
            "may hold. Check the file: an unclosed quotation mark joins many cells into one."
        ),
        code="cell_too_long",
        params={"line": line, "limit": MAX_CELL_CHARS},
    )


# --- CSV -----------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): a BOM means UTF-8; else strict UTF-8; else GB18030.

    Mixed encodings (some lines UTF-8, some GBK) and undecodable bytes are refused.
    """
    if b"\x00" in data[:65536]:
        raise UnreadableFileError(
            _("The file cannot be read: it is neither a spreadsheet (XLSX) nor a text (CSV) file."),
            code="unreadable",
        )
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _mixed(data, exc.start) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    _refuse_mixed_lines(data)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _mixed(data, utf8_error) from exc


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _mixed(data: bytes, offset: int) -> UnreadableFileError:
    return UnreadableFileError(
        _(
            "The file cannot be read: line %(line)s is not in the file's encoding. Save the "
            "whole file as UTF-8 or GB18030 (GBK) and upload it again."
        ),
        code="mixed_encoding",
        params={"line": _line_of(data, offset)},
    )


def _refuse_mixed_lines(data: bytes) -> None:
    """Refuse a file in which some lines are (non-ASCII) UTF-8 and others are not UTF-8."""
    utf8_line = other_line = 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:
            utf8_line = utf8_line or number
        if utf8_line and other_line:
            raise UnreadableFileError(
                _(
                    "The file mixes encodings: line %(utf8)s is UTF-8 but line %(other)s is "
                    "not. Save the whole file in one encoding and upload it again."
                ),
                code="mixed_encoding",
                params={"utf8": utf8_line, "other": other_line},
            )


def _parse_csv(kind: str, data: bytes) -> ParsedFile:
    text, encoding = decode(data)
    if not text.strip():
        raise UnreadableFileError(_("The file is empty."), code="empty_file")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = next(reader)
    except csv.Error as exc:
        raise UnreadableFileError(
            _("The file cannot be read as CSV: %(error)s"),
            code="unreadable",
            params={"error": str(exc)},
        ) from exc
    keys = check_header(kind, header)

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        previous_end = reader.line_num
        try:
            for values in reader:
                start = previous_end + 1
                previous_end = reader.line_num
                row = _row(keys, values, start)
                if row is not None:
                    yield start, row
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _cell_too_long(previous_end + 1) from exc
            raise UnreadableFileError(
                _("The file cannot be read as CSV after line %(line)s: %(error)s"),
                code="unreadable",
                params={"line": previous_end, "error": str(exc)},
            ) from exc

    return ParsedFile(
        encoding=encoding,
        keys=keys,
        headers=[str(h) for h in header],
        rows=rows(),
        estimated_rows=max(text.count("\n") - 1, 1),
    )


# --- XLSX ----------------------------------------------------------------------------------


def _parse_xlsx(kind: str, data: bytes) -> ParsedFile:
    """An XLSX file: read with calamine (fast, Rust) unless a cell holds a formula.

    One streaming pass over the first sheet's XML finds formulas and merged header cells.
    Calamine returns a formula's cached value (or nothing), so a sheet with formulas is read
    with openpyxl instead, which yields the formula text and lets validation refuse it.
    """
    path, has_formulas = _inspect_xlsx(data)
    if has_formulas or not path:
        return _parse_xlsx_openpyxl(kind, data, check_merges=not path)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as exc:  # CalamineError, or a damaged archive
        raise _not_a_spreadsheet() from exc
    iterator = sheet.iter_rows()  # from row 1 (leading empty rows included)
    return _xlsx_file(kind, iterator, estimated_rows=sheet.height - 1, close=workbook.close)


def _parse_xlsx_openpyxl(kind: str, data: bytes, *, check_merges: bool) -> ParsedFile:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        path = getattr(sheet, "_worksheet_path", "")
    except Exception as exc:  # openpyxl raises many kinds of errors for a damaged file
        raise _not_a_spreadsheet() from exc
    if check_merges:
        _refuse_merged_header(data, path)
    # The dimension tag when the file has one; never a scan of the whole sheet for its size.
    size = sheet.max_row if getattr(sheet, "_max_row", None) else 0
    return _xlsx_file(
        kind,
        sheet.iter_rows(values_only=True),
        estimated_rows=(size or 1) - 1,
        close=workbook.close,
    )


def _xlsx_file(
    kind: str, iterator: Iterator[Any], *, estimated_rows: int, close: Any
) -> ParsedFile:
    header = next(iterator, None)
    if header is None or all(v is None or str(v).strip() == "" for v in header):
        close()
        raise UnreadableFileError(_("The file is empty."), code="empty_file")
    # Trailing empty header cells (formatting only) are not columns.
    header_list = list(header)
    while header_list and (header_list[-1] is None or str(header_list[-1]).strip() == ""):
        header_list.pop()
    try:
        keys = check_header(kind, header_list)
    except UnreadableFileError:
        close()
        raise

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for number, values in enumerate(iterator, start=2):
                row = _row(keys, values, number)
                if row is not None:
                    yield number, row
        finally:
            close()

    return ParsedFile(
        encoding="xlsx",
        keys=keys,
        headers=[str(h) for h in header_list],
        rows=rows(),
        estimated_rows=max(estimated_rows, 1),
    )


def _not_a_spreadsheet() -> UnreadableFileError:
    return UnreadableFileError(
        _("The file cannot be read: it is not a valid spreadsheet (XLSX)."), code="unreadable"
    )


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")
_CHUNK = 1 << 20


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The archive path of the workbook's first sheet ("" when it cannot be found)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return ""
    first = _SHEET_TAG.search(workbook)
    if first is None:
        return ""
    for tag in _RELATIONSHIP.findall(rels):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get(b"Id") == first.group(1):
            target = attributes.get(b"Target", b"").decode()
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return path if path in archive.namelist() else ""
    return ""


def _inspect_xlsx(data: bytes) -> tuple[str, bool]:
    """(first sheet's path, whether it holds formulas); refuses merged header cells.

    Streams the sheet's XML in 1 MB pieces (never the whole sheet in memory at once).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            path = _first_sheet_path(archive)
            if not path:
                return "", False
            has_formulas = False
            tail = b""
            after_data: bytes | None = None
            with archive.open(path) as stream:
                while piece := stream.read(_CHUNK):
                    window = tail + piece
                    if after_data is not None:
                        after_data += piece
                    else:
                        if not has_formulas and _FORMULA.search(window):
                            has_formulas = True
                        end = _SHEET_DATA_END.search(window)
                        if end is not None:
                            after_data = window[end.end() :]
                    tail = window[-32:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _not_a_spreadsheet() from exc
    except Exception as exc:  # zlib.error and other damage inside the archive
        raise _not_a_spreadsheet() from exc
    _refuse_merged_cells(after_data or b"")
    return path, has_formulas


def _refuse_merged_header(data: bytes, path: str) -> None:
    """Merged cells in the header row make the columns ambiguous: refuse them."""
    if not path:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile):
        return
    _refuse_merged_cells(xml[xml.rfind(b"</sheetData>") :] if b"</sheetData>" in xml else xml)


def _refuse_merged_cells(tail: bytes) -> None:
    for match in _MERGE_REF.finditer(tail):
        if int(match.group(1)) <= 1 <= int(match.group(2)):
            raise UnreadableFileError(
                _(
                    "The header row contains merged cells. Use the template: one header in "
                    "each cell of the first row."
                ),
                code="merged_header",
            )


# --- header and rows -----------------------------------------------------------------------


def check_header(kind: str, header: list[Any]) -> list[str | None]:
    """The field key of each column; refuses unknown, duplicate and missing headers."""
    index = header_index(kind)
    expected = "、".join(c.header for c in columns_for(kind))
    keys: list[str | None] = []
    unknown: list[str] = []
    blank_columns = 0
    for cell in header:
        text = normalise_header(cell)
        if not text:
            blank_columns += 1
            keys.append(None)
            continue
        key = index.get(text)
        if key is None:
            unknown.append(str(cell)[:40])
        elif key in keys:
            raise UnreadableFileError(
                _("The column “%(header)s” appears twice in the header row."),
                code="duplicate_header",
                params={"header": str(cell)[:40]},
            )
        keys.append(key)
    if unknown:
        raise UnreadableFileError(
            _(
                "The header row has unknown columns: %(unknown)s. The expected columns are: "
                "%(expected)s. Download the template for this data source."
            ),
            code="unknown_header",
            params={"unknown": "、".join(unknown), "expected": expected},
        )
    if blank_columns and not any(keys):
        raise UnreadableFileError(_("The file is empty."), code="empty_file")
    missing = [c.header for c in columns_for(kind) if c.required and c.key not in keys]
    if missing:
        raise UnreadableFileError(
            _(
                "Required columns are missing: %(missing)s. The expected columns are: "
                "%(expected)s. Download the template for this data source."
            ),
            code="missing_header",
            params={"missing": "、".join(missing), "expected": expected},
        )
    return keys


def _row(keys: list[str | None], values: Any, line: int) -> dict[str, Any] | None:
    """The row (on ``line`` of the file) as ``{key: value}``; ``None`` for an empty row."""
    row: dict[str, Any] = {}
    empty = True
    for key, value in zip(keys, values, strict=False):
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise _cell_too_long(line)
        if key is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        if value is not None and value != "":
            empty = False
        row[key] = value
    return None if empty else row
