"""A minimal WebSocket server on loopback standing in for Slack's Socket Mode endpoint.

Enough of RFC 6455 for slack_sdk's built-in client: the handshake, a `hello` text frame, pong
for every ping, close for close. `drop()` cuts every connection and refuses new ones, as when
Slack's edge goes away; `resume()` accepts again on the same port.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading
from types import TracebackType

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(opcode: int, payload: bytes) -> bytes:
    """A server frame (never masked)."""
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        return head + bytes([len(payload)]) + payload
    if len(payload) < 65536:
        return head + bytes([126]) + struct.pack("!H", len(payload)) + payload
    return head + bytes([127]) + struct.pack("!Q", len(payload)) + payload


class FakeSocketModeServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self.handshakes = 0
        self._listen()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket=test"

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                self._clients.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            key = ""
            for line in request.decode("latin-1").split("\r\n"):
                name, _, value = line.partition(":")
                if name.strip().lower() == "sec-websocket-key":
                    key = value.strip()
            accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()  # noqa: S324
            client.sendall(
                (
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
                ).encode()
            )
            with self._lock:
                self.handshakes += 1
            hello = {"type": "hello", "num_connections": 1, "debug_info": {}, "connection_info": {}}
            client.sendall(frame(0x1, json.dumps(hello).encode()))
            self._frames(client)
        except OSError:
            return
        finally:
            self._close(client)

    def _recv_exact(self, client: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = client.recv(size - len(data))
            if not chunk:
                raise ConnectionResetError
            data += chunk
        return data

    def _frames(self, client: socket.socket) -> None:
        while True:
            first, second = self._recv_exact(client, 2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", self._recv_exact(client, 2))
            elif length == 127:
                (length,) = struct.unpack("!Q", self._recv_exact(client, 8))
            mask = self._recv_exact(client, 4) if second & 0x80 else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._recv_exact(client, length)))
            if opcode == 0x9:  # ping
                client.sendall(frame(0xA, payload))
            elif opcode == 0x8:  # close
                client.sendall(frame(0x8, payload[:2]))
                return

    def _close(self, client: socket.socket) -> None:
        with self._lock:
            self._clients.discard(client)
        with contextlib.suppress(OSError):
            client.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            client.close()

    def connected_clients(self) -> int:
        with self._lock:
            return len(self._clients)

    def drop(self) -> None:
        """Cut every connection and refuse new ones."""
        with self._lock:
            listener, self._listener = self._listener, None
            clients = list(self._clients)
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for client in clients:
            self._close(client)

    def resume(self) -> None:
        self._listen()

    def __enter__(self) -> FakeSocketModeServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.drop()
