"""Fixtures of the documents tests."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest

DECISION_CONTEXT: dict[str, Any] = {
    "number": "城市监罚〔2026〕12号",
    "department_name": "拉萨市城关区市场监督管理局",
    "party_name": "拉萨奇正大药房有限公司",
    "party_credit_code": "91540100MA6T12345X",
    "party_address": "拉萨市城关区北京中路1号",
    "legal_representative": "张三",
    "facts": "当事人销售的阿莫西林胶囊经检验含量不符合规定，为劣药。",
    "evidence_summary": "检验报告、现场笔录。",
    "legal_basis": "《中华人民共和国药品管理法》第一百一十七条第一款",
    "penalties": ["没收违法销售的药品", "罚款人民币200,000.00元"],
    "fine_amount": Decimal("200000"),
    "decided_on": dt.date(2026, 11, 20),
}


def pdf_text(content: bytes, tmp_path: Any) -> str:
    """The text of a PDF, extracted by poppler's pdftotext (scripts/install-fonts.sh)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: run scripts/install-fonts.sh")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
    )
    return out.stdout.decode("utf-8")
