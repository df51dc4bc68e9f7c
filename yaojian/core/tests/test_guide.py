"""The user guide page and its small Markdown reader."""

from __future__ import annotations

from typing import Any

from django.test import Client

from yaojian.accounts.choices import Role
from yaojian.core import guide, pagehelp


def test_headings_get_github_anchors_and_text_is_escaped() -> None:
    html, toc = guide.render("## 查找监管对象\n\n<script>x</script> **粗** `a<b` [目录](#登录)\n")
    assert toc == [("查找监管对象", "查找监管对象")]
    assert '<h2 id="查找监管对象">查找监管对象</h2>' in html
    assert "&lt;script&gt;x&lt;/script&gt; <strong>粗</strong> <code>a&lt;b</code>" in html
    assert '<a href="#登录">目录</a>' in html
    assert guide.slug("API 令牌") == "api-令牌"
    assert guide.slug("数据导入（数据交换）") == "数据导入数据交换"


def test_lists_nest_and_close() -> None:
    html, _toc = guide.render("1. one\n   - a\n   - b\n2. two\n\ntext\n")
    assert html == "<ol><li>one<ul><li>a</li><li>b</li></ul></li><li>two</li></ol><p>text</p>"


def test_every_page_help_anchor_exists_in_the_guide() -> None:
    _html, toc = guide.user_guide()
    anchors = {anchor for anchor, _title in toc}
    for name, entry in pagehelp.registered().items():
        assert entry.anchor in anchors, name


def test_the_help_page_renders_the_guide(user_in_department: Any) -> None:
    client = Client()
    client.force_login(user_in_department(role=Role.INSPECTOR))
    response = client.get("/help/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="案件办理">案件办理</h2>' in html
    assert html.count('data-testid="guide-toc"') == 1
