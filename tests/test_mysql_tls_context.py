"""The TLS context of PyMySQL's "preferred" TLS is built once per process
(dialects/mysql/catalog._connection_class); contexts for TLS options are built per connection
with those options, as PyMySQL builds them."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading

import pytest

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


def test_preferred_tls_context_is_pymysqls_without_the_ca_store():
    # PyMySQL's own context for this mode loads the system's CA store and then checks
    # nothing; ours skips the load, and is otherwise the same.
    ours = _unconnected().ctx
    theirs = pymysql_context()
    assert ours.cert_store_stats()["x509_ca"] == 0
    for name in ("verify_mode", "check_hostname", "options", "minimum_version",
                 "maximum_version", "protocol", "verify_flags"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert [c["name"] for c in ours.get_ciphers()] == [c["name"] for c in theirs.get_ciphers()]


def pymysql_context() -> ssl.SSLContext:
    import pymysql.connections

    conn = pymysql.connections.Connection(host="127.0.0.1", user="x", defer_connect=True)
    return conn.ctx


def test_preferred_tls_context_completes_a_handshake(tmp_path):
    # A server with a self-signed certificate, as MySQL and MariaDB make their own: the
    # preferred mode's context takes it (no CA, no check), as PyMySQL's does.
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=MariaDB_Server_Auto_Generated", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    done = []

    def serve():
        conn, _ = listener.accept()
        with server_ctx.wrap_socket(conn, server_side=True) as tls:
            done.append(tls.recv(5))
            tls.sendall(b"hello")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
                _unconnected().ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(b"query")
            assert tls.recv(5) == b"hello"
            assert tls.version() in ("TLSv1.2", "TLSv1.3")
    finally:
        thread.join(10)
        listener.close()
    assert done == [b"query"]
