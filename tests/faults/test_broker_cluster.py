"""Nodes of a three-node RabbitMQ cluster fail while events stream through the services (quorum queues,
clients connected to every node): nothing is lost, nothing applied twice, the services are never restarted.

A network partition is played by freezing a node (SIGSTOP) for longer than the cluster's net_ticktime:
the other nodes and the clients see it cut off, exactly as a partition would show to them, and when it
wakes it finds itself in the minority and pauses (`pause_minority`) until it rejoins. iptables is not
installed on the development and CI machines, and the services, their databases and the other nodes
share one network namespace, so a real packet filter between the nodes is not at hand.
"""
from __future__ import annotations

import pytest

from tests.faults.conftest import OUTCOMES, Platform
from tests.support.fault_load import CaseReportLoad
from tests.support.rabbit_cluster import RabbitCluster

pytestmark = [pytest.mark.faults, pytest.mark.e2e]

EVENTS = 2000
RATE = 80.0  # events per second: the load lasts 25 s, longer than each scenario's faults
DRAIN_SECONDS = 180.0
CONSUMING = ("cases", "reporting", "notifications")


def run(platform: Platform, tmp_path, scenario: str, faults) -> CaseReportLoad:
    platform.start(tmp_path / "logs", CONSUMING)
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
    return load


def test_one_node_stopped_then_another_after_the_first_is_back(platform, rabbit_cluster: RabbitCluster, tmp_path):
    first, second = rabbit_cluster.nodes[0], rabbit_cluster.nodes[1]

    def faults(load: CaseReportLoad) -> None:
        for node in (first, second):
            load.fault()
            rabbit_cluster.stop_node(node)
            load.wait(5)
            rabbit_cluster.start_node(node)
            load.wait(2)

    run(platform, tmp_path, "node stopped, then another once it is back", faults)
    assert len(rabbit_cluster.running_nodes(first)) == 3


def test_a_node_killed(platform, rabbit_cluster: RabbitCluster, tmp_path):
    node = rabbit_cluster.nodes[1]

    def faults(load: CaseReportLoad) -> None:
        load.fault()
        rabbit_cluster.kill_node(node)
        load.wait(6)
        rabbit_cluster.start_node(node)

    run(platform, tmp_path, "node killed (kill -9 of its Erlang VM)", faults)
    assert len(rabbit_cluster.running_nodes(rabbit_cluster.nodes[0])) == 3


def test_a_node_cut_off_from_the_others(platform, rabbit_cluster: RabbitCluster, tmp_path):
    node = rabbit_cluster.nodes[2]

    def faults(load: CaseReportLoad) -> None:
        load.fault()
        rabbit_cluster.freeze_node(node)
        try:
            load.wait(18)  # net_ticktime (10 s) and then some: the others have declared it down
        finally:
            rabbit_cluster.thaw_node(node)
        rabbit_cluster.await_node(node, timeout=120)

    run(platform, tmp_path, "node cut off (frozen past net_ticktime)", faults)
    assert len(rabbit_cluster.running_nodes(rabbit_cluster.nodes[0])) == 3
