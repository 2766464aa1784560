"""The TLS context of PyMySQL's "preferred" TLS is built once per process
(dialects/mysql/catalog._connection_class); contexts for TLS options are built per connection
with those options, as PyMySQL builds them."""

from __future__ import annotations

import ssl

from indexdrift.dialects.mysql.catalog import _connection_class


def _unconnected(**kwargs):
    return _connection_class()(host="127.0.0.1", user="x", defer_connect=True, **kwargs)


def test_preferred_tls_shares_one_context():
    first, second = _unconnected(), _unconnected()
    assert first.ssl and not first._ssl_required  # still tries TLS, as PyMySQL does
    assert isinstance(first.ctx, ssl.SSLContext) and first.ctx is second.ctx
    # PyMySQL's settings for this mode: no CA given, so no certificate or name check.
    assert first.ctx.verify_mode == ssl.CERT_NONE and not first.ctx.check_hostname


def test_tls_options_get_a_context_of_their_own():
    shared = _unconnected().ctx
    first, second = _unconnected(ssl_verify_cert=True), _unconnected(ssl_verify_cert=True)
    assert first._ssl_required
    assert first.ctx is not second.ctx and shared not in (first.ctx, second.ctx)
    assert not _unconnected(ssl_disabled=True).ssl
