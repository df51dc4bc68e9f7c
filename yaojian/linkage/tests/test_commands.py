"""manage.py link_files LEFT RIGHT --out PAIRS.csv."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


def test_link_files_writes_pairs(tmp_path, capsys):
    left = tmp_path / "left.csv"
    right = tmp_path / "right.csv"
    left.write_text(
        "编号,单位,地址\n1,广州市康仁大药房有限公司,天河区人民路1号\n2,雪域诊所,江苏路3号\n",
        encoding="gb18030",
    )
    right.write_text("id,单位,地址\nx,康仁药店,广州市天河区人民路１号\n", encoding="utf-8-sig")
    out = tmp_path / "pairs.csv"
    call_command("link_files", str(left), str(right), "--out", str(out), "--name-col", "单位")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("左侧编号,右侧编号,结果,匹配概率,")
    assert lines[1].startswith("1,x,同一主体（自动）,")
    assert "名称 +" in lines[1]
    assert "name=" not in lines[1]
    printed = capsys.readouterr().out
    assert "left 2 rows, right 1 rows: 1 automatic links, 0 to review" in printed


def test_link_files_clear_error_for_a_missing_column(tmp_path):
    left = tmp_path / "left.csv"
    left.write_text("名称\n康仁\n", encoding="utf-8")
    with pytest.raises(CommandError, match="没有“addr”列"):
        call_command(
            "link_files",
            str(left),
            str(left),
            "--out",
            str(tmp_path / "o.csv"),
            "--address-col",
            "addr",
        )
