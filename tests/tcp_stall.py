"""A loopback TCP proxy that stops answering: a real server that goes silent mid-session.

``StallProxy(port, trigger=b"pg_index", after=4096)`` listens on 127.0.0.1 (a free port) and
forwards every connection to 127.0.0.1:``port``. Client bytes always go through. Server
bytes go through until the client has sent ``trigger`` (a query's text: the protocols
carry it in the clear when TLS is off) and ``after`` more server bytes were forwarded;
from then on the proxy forwards nothing more and holds the connection open, like a
server that hangs mid-result (``after=0``: right after the handshake, before the answer).
``trigger=None`` never stalls.

Threads only, bounded: at most ``max_connections`` connections, every socket closed and
every thread joined when the ``with`` block ends.
"""

from __future__ import annotations

import socket
import threading


class StallProxy:
    """A proxy to a local server port that stalls the answer to a chosen query."""

    def __init__(self, port: int, trigger: bytes | None, after: int = 0, *,
                 max_connections: int = 16) -> None:
        self.upstream = port
        self.trigger = trigger
        self.after = after
        self.max_connections = max_connections
        self.stalled = threading.Event()  # set once a connection went silent
        self.connections = 0
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]

    def __enter__(self) -> StallProxy:
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _keep(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._keep(client)
            if self.connections >= self.max_connections:
                client.close()
                continue
            self.connections += 1
            try:
                server = socket.create_connection(("127.0.0.1", self.upstream), timeout=5)
            except OSError:
                client.close()
                continue
            self._keep(server)
            state = {"seen": b"", "triggered": False, "sent": 0}
            self._spawn(self._client_to_server, client, server, state)
            self._spawn(self._server_to_client, server, client, state)

    def _client_to_server(self, client, server, state) -> None:
        client.settimeout(0.2)
        while not self._closing.is_set():
            try:
                data = client.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                self._shut(server)
                return
            if self.trigger is not None and not state["triggered"]:
                # Keep a tail so a trigger split across two reads is still seen.
                seen = state["seen"] + data
                if self.trigger in seen:
                    state["triggered"] = True
                state["seen"] = seen[-len(self.trigger):]
            try:
                server.sendall(data)
            except OSError:
                return

    def _server_to_client(self, server, client, state) -> None:
        server.settimeout(0.2)
        while not self._closing.is_set():
            if state["triggered"] and state["sent"] >= self.after:
                # Silent from now on: read nothing more, answer nothing, hold the socket.
                self.stalled.set()
                self._closing.wait(0.2)
                continue
            try:
                data = server.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                self._shut(client)
                return
            if state["triggered"]:
                # The trigger is noted before the query is passed on, so everything read
                # now is the answer: pass on only what is left of ``after``.
                data = data[:max(0, self.after - state["sent"])]
                state["sent"] += len(data)
            try:
                client.sendall(data)
            except OSError:
                return

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        """Close every socket and join every thread (a few tenths of a second)."""
        self._closing.set()
        self._listener.close()
        with self._lock:
            sockets, threads = list(self._sockets), list(self._threads)
        for sock in sockets:
            try:
                sock.close()
            except OSError:
                pass
        for thread in threads:
            thread.join(timeout=2)
