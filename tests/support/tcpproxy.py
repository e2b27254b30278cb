"""A tiny TCP proxy on loopback that a test can cut and restore: the database "goes away"."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from types import TracebackType


class TcpProxy:
    """Forwards 127.0.0.1:<port> to (host, port) until `cut()`; `restore()` brings it back.

    `cut()` behaves like a database server that stopped: open connections are reset and new
    ones are refused. `blackhole()` behaves like a network that swallows packets: new connections
    are accepted but nothing is ever forwarded (so only client timeouts end the wait). `freeze()`
    behaves like a server stopped with SIGSTOP: every connection stays open and is acknowledged, but
    nothing moves until `thaw()`.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._mode = "up"  # up | cut | blackhole
        self._listener: socket.socket | None = None
        self._stopped = threading.Event()
        self._flowing = threading.Event()
        self._flowing.set()
        self.port = 0
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept_loop, args=(listener,), daemon=True, name="tcpproxy").start()

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # listener closed by cut() or stop()
            with self._lock:
                mode = self._mode
                self._sockets.add(client)
            if mode == "blackhole":
                continue  # keep it open, never answer
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                self._close(client)
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets.add(upstream)
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                self._flowing.wait()
                dst.sendall(data)
        except OSError:
            pass
        finally:
            self._close(src)
            self._close(dst)

    def _close(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        with contextlib.suppress(OSError):
            # SO_LINGER 0: the peer sees a reset, as when a server process dies.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv() on it
        with contextlib.suppress(OSError):
            sock.close()

    def _drop_all(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            self._close(sock)

    def cut(self) -> None:
        """Reset every connection and refuse new ones."""
        with self._lock:
            self._mode = "cut"
            listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            listener.close()
        self._drop_all()

    def blackhole(self) -> None:
        """Reset every connection; accept new ones but never forward a byte."""
        self.cut()
        with self._lock:
            self._mode = "blackhole"
        self._listen()

    def freeze(self) -> None:
        """Keep every connection open, accept new ones, forward nothing (the server is SIGSTOPped)."""
        self._flowing.clear()

    def thaw(self) -> None:
        """Forward what waited, and everything after it."""
        self._flowing.set()

    def restore(self) -> None:
        """Forward again, on the same port."""
        self.cut()
        with self._lock:
            self._mode = "up"
        self._listen()

    def stop(self) -> None:
        self._flowing.set()
        self.cut()

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
