"""Run a service as `binhdang run` does, counting the SQL statements it sends (for the benchmarks).

    python -m bench.support.counted_service <count file> run <service>

On SIGUSR1 the process writes how many statements it has sent so far into the count file.
"""
import eventlet

eventlet.monkey_patch()  # as `binhdang run` does, before anything else is imported

import signal  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from sqlalchemy import event as sa_event  # noqa: E402

from services.cli import main as binhdang  # noqa: E402


def run() -> int:
    count_file, arguments = Path(sys.argv[1]), sys.argv[2:]
    sent = [0]

    @sa_event.listens_for(sa.Engine, "before_cursor_execute")
    def _count(*_args):
        sent[0] += 1

    signal.signal(signal.SIGUSR1, lambda *_: count_file.write_text(str(sent[0])))
    return binhdang(arguments)


if __name__ == "__main__":
    sys.exit(run())
