"""A three-node RabbitMQ cluster on this machine, from the installed Debian `rabbitmq-server`.

Each node has its own name (`<prefix>1@localhost` ...), AMQP port, distribution port, data and log
folders, an empty plugin list (no management listener to collide with the shared node's) and a
HOME of its own, so its Erlang cookie is the cluster's, not the system node's. Nodes 2 and 3 join
node 1 with `rabbitmqctl -n <node> join_cluster`. Every rabbitmqctl call names one of these
nodes with `-n`: the shared node on 5672 (rabbit@localhost) is never touched.

    python -m tests.support.rabbit_cluster start|stop|status     (or ./dev cluster ...)

The command uses nodes bd1..bd3 on AMQP ports 5701-5703 under var/rabbit-cluster; the test
fixture (`tests/faults/conftest.py`) uses a random prefix and free ports under a temporary folder,
so test runs on one machine do not collide. `stop` stops the nodes and removes their folder.

Partition handling is `pause_minority` (a node that sees fewer than half of the cluster pauses
until it sees a majority again) and `net_ticktime` is 10 s, so a silent node is declared down
within about 10-13 s (the default 60 s would make the fault tests slow).

A network partition (`partition`, `heal`) needs root and iptables: packets between the last node's
distribution port and the others' are dropped on the loopback interface, in a chain of the
cluster's own. To tell the last node's outgoing connections from the others', it runs as the user
`nobody` when the cluster is started by root; the clients still reach it on its AMQP port, as
clients on its side of a real partition would.
"""
from __future__ import annotations

import argparse
import os
import pwd
import random
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

SBIN = Path(os.environ.get("RABBITMQ_SBIN", "/usr/lib/rabbitmq/bin"))
DEFAULT_BASE = Path(__file__).resolve().parents[2] / "var" / "rabbit-cluster"
DEFAULT_PREFIX = "bd"
DEFAULT_FIRST_PORT = 5701
NET_TICKTIME = 10

CONFIG = """\
listeners.tcp.1 = 127.0.0.1:{port}
loopback_users = none
cluster_partition_handling = pause_minority
disk_free_limit.absolute = 50MB
log.console = false
log.file.level = info
"""
# A node uses one scheduler: the development machine is small and shared.
ERL_ARGS = "-kernel inet_dist_use_interface {127,0,0,1} +S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none"


class ClusterError(RuntimeError):
    pass


@dataclass(frozen=True)
class Node:
    name: str  # e.g. bd1@localhost
    port: int  # AMQP
    dist_port: int
    folder: Path

    @property
    def uri(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    @property
    def pid_file(self) -> Path:
        return self.folder / "node.pid"

    def pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None


class RabbitCluster:
    def __init__(self, base: Path = DEFAULT_BASE, prefix: str = DEFAULT_PREFIX,
                 ports: list[tuple[int, int]] | None = None, size: int = 3, partitionable: bool = False):
        """`ports`: (AMQP, distribution) port of each node; by default 5701.. and 25701..; `partitionable`:
        run the last node as `nobody` (if root), for `partition`."""
        self.base = Path(base)
        ports = ports or [(DEFAULT_FIRST_PORT + n, DEFAULT_FIRST_PORT + 20000 + n) for n in range(size)]
        self.nodes = [Node(f"{prefix}{n + 1}@localhost", amqp, dist, self.base / f"{prefix}{n + 1}")
                      for n, (amqp, dist) in enumerate(ports)]
        self.chain = f"binhdang-{prefix.strip('-')}"[:28]  # iptables chain of this cluster's partitions
        # the node a partition cuts off, run as another user (when started by root) so that its packets
        # can be told apart
        self.isolated_user = pwd.getpwnam("nobody") if partitionable and os.geteuid() == 0 else None

    @classmethod
    def for_tests(cls, base: Path) -> RabbitCluster:
        """Random node names and free ports, so that test runs on one machine do not collide."""
        return cls(base, prefix=f"bdt{uuid.uuid4().hex[:6]}-",
                   ports=[(_free_port(), _free_port(range(20000, 25000))) for _ in range(3)], partitionable=True)

    # the cluster's address, for clients ------------------------------------
    @property
    def amqp_uri(self) -> str:
        """Every node, for kombu's failover: `amqp://...:5701/;amqp://...:5702/;...`."""
        return ";".join(node.uri for node in self.nodes)

    def amqp_uri_for(self, vhost: str) -> str:
        return ";".join(node.uri + vhost for node in self.nodes)

    # life cycle -----------------------------------------------------------
    def start(self, timeout: float = 90.0) -> None:
        """Fresh data folders, three nodes started, the second and third joined to the first."""
        if self.base.exists():
            shutil.rmtree(self.base)
        self.base.mkdir(parents=True)
        self.base.chmod(0o755)
        cookie = "".join(secrets.choice(string.ascii_uppercase) for _ in range(32))
        for node in self.nodes:
            home = self._home(node)
            home.mkdir(exist_ok=True)
            (home / ".erlang.cookie").write_text(cookie)
            (home / ".erlang.cookie").chmod(0o400)
            self._own(home)
        for node in self.nodes:
            self.start_node(node, wait=False)
        for node in self.nodes:
            self.await_node(node, timeout)
        first = self.nodes[0]
        for node in self.nodes[1:]:
            self.ctl(node, "stop_app")
            self.ctl(node, "join_cluster", first.name)
            self.ctl(node, "start_app")
        for node in self.nodes:
            self.await_node(node, timeout)

    def stop(self) -> None:
        """Stop every node (kill what does not stop) and remove the data folders."""
        self.heal()
        for node in self.nodes:
            self.stop_node(node)
        shutil.rmtree(self.base, ignore_errors=True)

    def start_node(self, node: Node, wait: bool = True, timeout: float = 90.0) -> None:
        """Start a node (again): a member keeps its data and rejoins the cluster by itself."""
        node.folder.mkdir(parents=True, exist_ok=True)
        (node.folder / "rabbitmq.conf").write_text(CONFIG.format(port=node.port))
        (node.folder / "advanced.config").write_text(f"[{{kernel, [{{net_ticktime, {NET_TICKTIME}}}]}}].\n")
        (node.folder / "enabled_plugins").write_text("[].\n")
        (node.folder / "rabbitmq-env.conf").write_text("")
        log = open(node.folder / "server.out", "ab")  # noqa: SIM115 (the child keeps it)
        self._own(node.folder)
        user = self._user(node)
        subprocess.Popen([str(SBIN / "rabbitmq-server")], env=self._environ(node), stdout=log,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                         user=user.pw_uid if user else None, group=user.pw_gid if user else None)
        log.close()
        if wait:
            self.await_node(node, timeout)

    def await_node(self, node: Node, timeout: float = 90.0) -> None:
        """Wait until the node runs the broker and accepts AMQP connections."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", node.port), timeout=1):
                    pass
                if self.ctl(node, "await_startup", "--timeout", "10", check=False).returncode == 0:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise ClusterError(f"{node.name} did not start in {timeout:.0f}s; see {node.folder / 'server.out'} "
                           f"and {node.folder / 'log'}")

    def stop_node(self, node: Node, timeout: float = 30.0) -> None:
        """A clean stop (`rabbitmqctl -n <node> stop`); SIGKILL if the node does not stop in time."""
        pid = node.pid()
        if pid is None or not _alive(pid):
            return
        self.ctl(node, "stop", check=False, timeout=timeout)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)

    def kill_node(self, node: Node) -> None:
        """kill -9 the node's Erlang VM (beam.smp), as a crash would."""
        pid = node.pid()
        if pid is None:
            raise ClusterError(f"{node.name} has no pid file")
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)

    def freeze_node(self, node: Node) -> None:
        """SIGSTOP the node's VM: it answers nobody, as if cut off by the network."""
        pid = node.pid()
        if pid is None:
            raise ClusterError(f"{node.name} has no pid file")
        os.kill(pid, signal.SIGSTOP)

    def thaw_node(self, node: Node) -> None:
        pid = node.pid()
        if pid is not None:
            os.kill(pid, signal.SIGCONT)

    @property
    def can_partition(self) -> bool:
        return self.isolated_user is not None and shutil.which("iptables") is not None

    def partition(self) -> Node:
        """Cut the last node off from the others (its distribution traffic dropped both ways); returns it."""
        if not self.can_partition:
            raise ClusterError("a partition needs root and iptables")
        node, others = self.nodes[-1], self.nodes[:-1]
        assert self.isolated_user is not None
        self.heal()
        _iptables("-N", self.chain)
        _iptables("-A", self.chain, "-p", "tcp", "--dport", str(node.dist_port), "-j", "DROP")
        _iptables("-A", self.chain, "-p", "tcp", "--sport", str(node.dist_port), "-j", "DROP")
        _iptables("-A", self.chain, "-p", "tcp", "-m", "multiport", "--dports",
                  ",".join(str(n.dist_port) for n in others), "-m", "owner", "--uid-owner",
                  str(self.isolated_user.pw_uid), "-j", "DROP")
        _iptables("-I", "OUTPUT", "-o", "lo", "-j", self.chain)
        return node

    def heal(self) -> None:
        """Remove this cluster's partition rules, if any."""
        if not self.can_partition:
            return
        _iptables("-D", "OUTPUT", "-o", "lo", "-j", self.chain, check=False)
        _iptables("-F", self.chain, check=False)
        _iptables("-X", self.chain, check=False)

    def running_nodes(self, via: Node) -> list[str]:
        """The cluster's running nodes as `via` sees them."""
        result = self.ctl(via, "eval", "rabbit_nodes:all_running().", check=False)
        if result.returncode != 0:
            return []
        return sorted(n.name for n in self.nodes if n.name in result.stdout)

    def await_members(self, timeout: float = 120.0) -> None:
        """Wait until every node runs as a member of the cluster (a paused minority node has rejoined)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.running_nodes(self.nodes[0])) == len(self.nodes):
                return
            time.sleep(1)
        raise ClusterError(f"the cluster has not all of its nodes running after {timeout:.0f}s")

    def repair(self, timeout: float = 60.0) -> None:
        """Bring every node back as a running member: start those that are down, restart the application
        of those the others do not see running (a partition `pause_minority` left unhealed)."""
        for node in self.nodes:
            pid = node.pid()
            if pid is None or not _alive(pid):
                self.start_node(node)
        try:
            self.await_members(timeout)
            return
        except ClusterError:
            pass
        running = set(self.running_nodes(self.nodes[0]))
        for node in self.nodes:
            if node.name not in running or len(self.running_nodes(node)) < len(self.nodes):
                self.ctl(node, "stop_app", check=False)
                self.ctl(node, "start_app", check=False)
        self.await_members(timeout)

    def connections(self, node: Node) -> int:
        """Client connections the node holds."""
        result = self.ctl(node, "list_connections", "--silent", "pid", check=False)
        return len([line for line in result.stdout.splitlines() if line.strip()]) if result.returncode == 0 else 0

    def busiest(self, nodes: list[Node] | None = None) -> tuple[Node, int]:
        """The node (of `nodes`) holding the most client connections, and how many: the one whose failure
        moves the most clients."""
        counts = [(self.connections(node), node) for node in nodes or self.nodes]
        count, node = max(counts, key=lambda pair: pair[0])
        return node, count

    def status(self) -> str:
        lines = []
        for node in self.nodes:
            pid = node.pid()
            running = pid is not None and _alive(pid)
            lines.append(f"{node.name:<24} amqp {node.port}  dist {node.dist_port}  "
                         f"{'running (pid ' + str(pid) + ')' if running else 'stopped'}")
        alive = [n for n in self.nodes if n.pid() is not None and _alive(n.pid() or 0)]
        if alive:
            lines.append(f"running members as {alive[0].name} sees them: "
                         f"{', '.join(self.running_nodes(alive[0])) or 'none'}")
        lines.append(f"AMQP_URI={self.amqp_uri}")
        return "\n".join(lines)

    # rabbitmqctl, always with -n ----------------------------------------------
    def ctl(self, node: Node, *args: str, check: bool = True, timeout: float = 120.0,
            ) -> subprocess.CompletedProcess:
        result = subprocess.run([str(SBIN / "rabbitmqctl"), "-n", node.name, *args], env=self._environ(node),
                                capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise ClusterError(f"rabbitmqctl -n {node.name} {' '.join(args)} failed: "
                               f"{(result.stderr or result.stdout).strip()[-500:]}")
        return result

    def _user(self, node: Node) -> pwd.struct_passwd | None:
        return self.isolated_user if node == self.nodes[-1] else None

    def _home(self, node: Node) -> Path:
        return self.base / f"home-{node.folder.name}"

    def _own(self, folder: Path) -> None:
        """Give a node's folder to the user it runs as."""
        user = next((self._user(n) for n in self.nodes if folder in (n.folder, self._home(n))), None)
        if user is None:
            return
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid)

    def _environ(self, node: Node) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
        return dict(
            keep,
            HOME=str(self._home(node)),  # the Erlang cookie of this cluster, shared by its nodes and CLI
            RABBITMQ_NODENAME=node.name,
            RABBITMQ_NODE_PORT=str(node.port),
            RABBITMQ_DIST_PORT=str(node.dist_port),
            RABBITMQ_CONF_ENV_FILE=str(node.folder / "rabbitmq-env.conf"),
            RABBITMQ_CONFIG_FILE=str(node.folder / "rabbitmq.conf"),
            RABBITMQ_ADVANCED_CONFIG_FILE=str(node.folder / "advanced.config"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(node.folder / "enabled_plugins"),
            RABBITMQ_MNESIA_BASE=str(node.folder / "data"),
            RABBITMQ_LOG_BASE=str(node.folder / "log"),
            RABBITMQ_PID_FILE=str(node.pid_file),
            RABBITMQ_PLUGINS_EXPAND_DIR=str(node.folder / "plugins-expand"),
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=ERL_ARGS,
            RABBITMQ_USE_LONGNAME="false",
        )


def _iptables(*args: str, check: bool = True) -> None:
    result = subprocess.run(["iptables", "-w", *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise ClusterError(f"iptables {' '.join(args)} failed: {result.stderr.strip()}")


def _free_port(among: range | None = None) -> int:
    """A free port; `among` a range (a node's CLI tools use its distribution port + 10000, so that one
    must stay low)."""
    candidates = random.sample(among, 50) if among else [0]
    for candidate in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise ClusterError("no free port found")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (our own child, not yet reaped) is not alive
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop", "status"))
    args = parser.parse_args(argv)
    cluster = RabbitCluster()
    if args.action == "start":
        cluster.start()
    elif args.action == "stop":
        cluster.stop()
        print("stopped; removed", cluster.base)
        return 0
    print(cluster.status())
    return 0


if __name__ == "__main__":
    sys.exit(main())
