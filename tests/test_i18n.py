"""Text catalogs: every key has both languages; singular forms where English needs them."""

from __future__ import annotations

import json
from importlib import resources

from indexdrift.core.i18n import Catalog


def _texts(lang: str) -> dict[str, str]:
    return json.loads(resources.files("indexdrift.core.i18n").joinpath(f"{lang}.json")
                      .read_text(encoding="utf-8"))


def test_every_key_has_both_languages_except_english_singulars():
    en, ko = _texts("en"), _texts("ko")
    plain_en = {k for k in en if not k.endswith(".one")}
    assert plain_en - set(ko) == set()
    assert set(ko) - set(en) == set()
    assert all(k[:-4] in en for k in en if k.endswith(".one"))


def test_one_index_is_singular_in_english_and_korean_needs_no_singular():
    en, ko = Catalog("en"), Catalog("ko")
    assert en.t("note.table_extra", env="dev", count=1) == \
        "dev: table only in dev (1 index); schema work beyond indexes"
    assert en.t("note.table_extra", env="dev", count=2) == \
        "dev: table only in dev (2 indexes); schema work beyond indexes"
    assert en.t("note.table_missing", env="stg", baseline="prd", count=1).startswith(
        "stg: table missing (1 index in prd)")
    assert en.t("usage.days", count="1") == "1 day"
    assert en.t("usage.days", count="41") == "41 days"
    assert ko.t("note.table_extra", env="dev", count=1) == \
        ko.t("note.table_extra", env="dev", count=2).replace("2", "1")
