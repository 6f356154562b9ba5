"""A TCP proxy in front of RabbitMQ or PostgreSQL that a test can cut and restore: an outage on demand."""
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

from tests.support.service_http import free_port

DEFAULT_PORTS = {"amqp": 5672, "postgresql": 5432}


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self.port = free_port()

    def start(self):
        listener = self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(50)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                listener.close()  # closed here, by its only reader (eventlet allows one reader per socket)
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._connections += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _pipe(source, destination):
        # The other direction's thread may close either socket at any moment: any error ends the pipe.
        try:
            while True:
                chunk = source.recv(65536)
                if not chunk:
                    break
                destination.sendall(chunk)
        except Exception:
            pass
        finally:
            for s in (source, destination):
                try:
                    s.close()
                except Exception:
                    pass

    def cut(self):
        """Refuse new connections and drop the open ones.

        Sockets are shut down, not closed: the threads reading them see the end and close them.
        """
        if self._listener:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener = None
        with self._lock:
            for s in self._connections:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self._connections.clear()

    def restore(self):
        self.start()


def proxied(url: str) -> tuple[TcpProxy, str]:
    """A started proxy in front of the server an AMQP or SQLAlchemy URL names (wherever TEST_AMQP_URI or
    TEST_POSTGRES_URL point), and the same URL through the proxy: credentials, virtual host or database
    kept, host and port the proxy's."""
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or DEFAULT_PORTS[parts.scheme.split("+")[0]])
    proxy.start()
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    return proxy, urlunsplit(parts._replace(netloc=netloc))
