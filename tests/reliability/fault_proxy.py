"""A TCP proxy that injects faults between a service and a real server (here: PostgreSQL).

The servers stay real; only the network between them misbehaves, as it does in production:
`cut()` closes every connection and refuses new ones (the database is unreachable),
`slow(seconds)` delays every chunk of data (the database hangs), `restore()` heals both.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

CHUNK = 65536


class FaultProxy:
    def __init__(self, target_port: int, listen_port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, target_port)
        self.listen_port = listen_port
        self.delay_s = 0.0
        self._cut = threading.Event()
        self._stopped = threading.Event()
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._server = socket.create_server((host, listen_port), reuse_port=False)
        self._server.settimeout(0.2)
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        self._server.close()
        self._close_all()

    def cut(self) -> None:
        self._cut.set()
        self._close_all()

    def slow(self, seconds: float) -> None:
        self.delay_s = seconds

    def restore(self) -> None:
        self.delay_s = 0.0
        self._cut.clear()

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self._cut.is_set():
                client.close()
                continue
            self._connect(client)

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        with self._lock:
            self._connections.update((client, upstream))
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(CHUNK):
                if self.delay_s:
                    time.sleep(self.delay_s)
                if self._cut.is_set():
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(sink)

    def _close(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
        connection.close()

    def _close_all(self) -> None:
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            self._close(connection)
