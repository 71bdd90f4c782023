"""A TCP proxy on 127.0.0.1 in front of PostgreSQL (a TCP address or a unix socket), on its own
thread, that a test can cut (every connection closed, new ones refused) and restore: a
database outage without touching the database."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL

from sagwa.testing.ports import free_port


class TcpProxy:
    def __init__(self, *, target_host: str | None = None, target_port: int = 5432,
                 target_socket: str | None = None) -> None:
        self.port = free_port()
        self._target = (target_host, target_port, target_socket)
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy",
                                        daemon=True)

    def start(self) -> TcpProxy:
        self._thread.start()
        self.restore()
        return self

    def cut(self) -> None:
        """Close every connection and stop listening (a new connection is refused)."""
        self._call(self._cut())

    def restore(self) -> None:
        """Listen again."""
        self._call(self._listen())

    def close(self) -> None:
        self._call(self._shut_down())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _shut_down(self) -> None:
        await self._cut()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        await asyncio.sleep(0.05)  # let the aborted transports close their sockets

    def _call(self, coro: object) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)  # type: ignore[arg-type]

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        if server is not None:
            await server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host, port, socket = self._target
        try:
            if socket is not None:
                up_reader, up_writer = await asyncio.open_unix_connection(socket)
            else:
                up_reader, up_writer = await asyncio.open_connection(host, port)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            writer.close()


@contextmanager
def running_tcp_proxy(**target: object) -> Iterator[TcpProxy]:
    proxy = TcpProxy(**target).start()  # type: ignore[arg-type]
    try:
        yield proxy
    finally:
        proxy.close()


@contextmanager
def proxy_in_front_of(url: URL) -> Iterator[TcpProxy]:
    """A running proxy in front of the PostgreSQL at ``url``: its unix socket for the embedded
    server (which listens on no TCP port), else its TCP address."""
    socket_dir = url.query.get("host")
    if socket_dir:
        target: dict[str, object] = {"target_socket": f"{socket_dir}/.s.PGSQL.{url.port or 5432}"}
    else:
        target = {"target_host": url.host, "target_port": url.port or 5432}
    with running_tcp_proxy(**target) as running:
        yield running


def url_through(url: URL, proxy: TcpProxy) -> URL:
    """``url`` reached through ``proxy`` instead."""
    return url.set(host="127.0.0.1", port=proxy.port,
                   query={k: v for k, v in url.query.items() if k != "host"})
