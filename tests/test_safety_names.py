"""Foreign-key and AUTO_INCREMENT checks match column names under the source's case rule."""

from __future__ import annotations

from indexdrift.model.tables import ForeignKey, Index, KeyPart
from indexdrift.plan.safety import leads_with, supports_foreign_key


def _index(column: str, *, exact: bool) -> Index:
    return Index("orders", "ix", (KeyPart(column, exact_column=exact),
                                  KeyPart("created_at", exact_column=exact)),
                 exact_name=exact)


def test_mysql_family_columns_match_in_any_case():
    index = _index("User_Id", exact=False)
    assert supports_foreign_key(index, ForeignKey("orders", "fk_user", ("user_id",)))
    assert leads_with(index, "USER_ID")


def test_postgresql_columns_match_only_as_written():
    index = _index("UserId", exact=True)
    assert supports_foreign_key(index, ForeignKey("orders", "fk", ("UserId",)))
    assert not supports_foreign_key(index, ForeignKey("orders", "fk", ("userid",)))
    assert leads_with(index, "UserId") and not leads_with(index, "userid")


def test_prefix_and_fulltext_never_serve_a_foreign_key():
    prefixed = Index("t", "ix", (KeyPart("code", sub_part=10),))
    assert not supports_foreign_key(prefixed, ForeignKey("t", "fk", ("code",)))
    fulltext = Index("t", "ft", (KeyPart("note"),), index_type="FULLTEXT")
    assert not supports_foreign_key(fulltext, ForeignKey("t", "fk", ("note",)))
    assert not leads_with(fulltext, "note")
