"""The pure-Python catalog compiler produces .mo files that gettext reads."""

from __future__ import annotations

import gettext
import shutil
import subprocess

import pytest

from yaojian.core.catalogs import compile_catalog

PO = r"""# comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=1; plural=0;\n"

msgid "Entity %(name)s was created."
msgstr "监管对象%(name)s已创建。"

msgctxt "legal"
msgid "Case"
msgstr "案件"

msgid "one file"
msgid_plural "%(n)s files"
msgstr[0] "%(n)s 个文件"

#, fuzzy
msgid "Fuzzy"
msgstr "模糊"

msgid "Untranslated"
msgstr ""

msgid ""
"Long "
"message"
msgstr ""
"长"
"消息"
"""


def test_compiled_catalog_translates(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(PO, encoding="utf-8")
    with compile_catalog(po).open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Entity %(name)s was created.") == "监管对象%(name)s已创建。"
    assert catalog.pgettext("legal", "Case") == "案件"
    assert catalog.ngettext("one file", "%(n)s files", 3) == "%(n)s 个文件"
    assert catalog.gettext("Fuzzy") == "Fuzzy"
    assert catalog.gettext("Untranslated") == "Untranslated"
    assert catalog.gettext("Long message") == "长消息"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_same_translations_as_msgfmt(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(PO, encoding="utf-8")
    ours = compile_catalog(po).read_bytes()
    theirs_path = tmp_path / "gnu.mo"
    subprocess.run(["msgfmt", "-o", str(theirs_path), str(po)], check=True)  # noqa: S603, S607
    with theirs_path.open("rb") as handle:
        gnu = gettext.GNUTranslations(handle)
    import io

    mine = gettext.GNUTranslations(io.BytesIO(ours))
    for msgid in ["Entity %(name)s was created.", "Long message", "Fuzzy", "Untranslated"]:
        assert mine.gettext(msgid) == gnu.gettext(msgid)
    assert mine.pgettext("legal", "Case") == gnu.pgettext("legal", "Case")
