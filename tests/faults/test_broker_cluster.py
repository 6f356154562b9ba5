"""Nodes of a three-node RabbitMQ cluster fail while events stream through the services (quorum queues,
clients connected to every node): nothing is lost, nothing applied twice, the services are never restarted.

A network partition (root and iptables: `.ci/run` installs iptables) drops the traffic between one
node and the other two: the two see it gone, it finds itself in the minority and pauses
(`pause_minority`), closing its clients' connections, which move to the majority; once healed it
rejoins. A stalled node (SIGSTOP for less than the cluster's net_ticktime, as a long pause of its VM
would) answers nobody without closing anything: its clients find out by the missing heartbeats and move,
and the cluster stays whole. (Frozen for longer than net_ticktime, a node wakes up not knowing it was
cut off, and the cluster records a partition that `pause_minority` does not heal by itself: the README
says what the operator does.)
"""
from __future__ import annotations

import pytest

from tests.faults.conftest import OUTCOMES, Platform
from tests.support.fault_load import CaseReportLoad
from tests.support.rabbit_cluster import RabbitCluster

pytestmark = [pytest.mark.faults, pytest.mark.e2e]

EVENTS = 2000
RATE = 100.0  # events per second: the load lasts 20 s, as long as each scenario's faults
DRAIN_SECONDS = 180.0
CONSUMING = ("cases", "reporting", "notifications")
# longer than the clients' two heartbeats (AMQP_HEARTBEAT_SECONDS=3 in the suite), shorter than the
# cluster's net_ticktime (10 s): the clients leave the node, the other nodes keep it
STALL_SECONDS = 8.0


def run(platform: Platform, cluster: RabbitCluster, service_logs, scenario: str, faults) -> CaseReportLoad:
    """Start the services, stream the load, play `faults(load)` on the cluster, drain, count; every node
    must then be a running member again."""
    platform.start(service_logs, CONSUMING)
    load = platform.load(EVENTS, RATE)
    try:
        load.start()
        load.wait(3)
        faults(load)
        load.drain(DRAIN_SECONDS)
        outcome = load.outcome(scenario)
        OUTCOMES.append(outcome)
        print(f"\n{outcome}")
        assert platform.exited() == {}, "a service died: consumers must resume without a restart"
        assert (outcome.produced, outcome.lost, outcome.duplicates) == (EVENTS, 0, 0), outcome
    finally:
        load.close()
    cluster.await_members()
    return load


# Each fault strikes the node holding the most client connections: its clients must move.

def test_one_node_stopped_then_another_after_the_first_is_back(platform, rabbit_cluster: RabbitCluster, service_logs):
    def faults(load: CaseReportLoad) -> None:
        first, clients = rabbit_cluster.busiest()
        load.fault(clients)
        rabbit_cluster.stop_node(first)
        load.wait(5)
        rabbit_cluster.start_node(first)
        load.wait(2)
        second, clients = rabbit_cluster.busiest([n for n in rabbit_cluster.nodes if n != first])
        load.fault(clients)
        rabbit_cluster.stop_node(second)
        load.wait(5)
        rabbit_cluster.start_node(second)

    run(platform, rabbit_cluster, service_logs, "node stopped, then another once it is back", faults)


# About one run in five, consumers applied nothing for minutes after the kill (cause not found yet; each
# scenario's service logs are kept under var/faults/ for that). Nothing is lost when it happens: the events wait
# in their queues. Run once more before failing; two stalls in a row fail the suite.
@pytest.mark.flaky(reruns=1)
def test_a_node_killed(platform, rabbit_cluster: RabbitCluster, service_logs):
    def faults(load: CaseReportLoad) -> None:
        node, clients = rabbit_cluster.busiest()
        load.fault(clients)
        rabbit_cluster.kill_node(node)
        load.wait(6)
        rabbit_cluster.start_node(node)

    run(platform, rabbit_cluster, service_logs, "node killed (kill -9 of its Erlang VM)", faults)


def test_a_node_stalled(platform, rabbit_cluster: RabbitCluster, service_logs):
    def faults(load: CaseReportLoad) -> None:
        node, clients = rabbit_cluster.busiest()
        load.fault(clients)
        rabbit_cluster.freeze_node(node)
        try:
            load.wait(STALL_SECONDS)
        finally:
            rabbit_cluster.thaw_node(node)

    run(platform, rabbit_cluster, service_logs, f"node stalled {STALL_SECONDS:.0f} s (SIGSTOP)", faults)


def test_a_node_partitioned_from_the_others(platform, rabbit_cluster: RabbitCluster, service_logs):
    if not rabbit_cluster.can_partition:
        pytest.skip("a network partition needs root and iptables")

    def faults(load: CaseReportLoad) -> None:
        load.fault(rabbit_cluster.connections(rabbit_cluster.nodes[-1]))
        rabbit_cluster.partition()
        try:
            load.wait(20)  # net_ticktime (10 s) and then some: each side has declared the other down
        finally:
            rabbit_cluster.heal()

    run(platform, rabbit_cluster, service_logs, "node partitioned from the other two (iptables)", faults)
