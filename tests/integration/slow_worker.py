"""A real worker process whose verify handler pauses mid-job, so a test can SIGKILL it there.

Settings come from the environment, as for `actionproof worker`; the marker file tells the
test the job is under way.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from workers.app import make_worker
from workers.config import Settings
from workers.handlers import HANDLERS
from workers.logs import setup_logging

marker = Path(sys.argv[1])
real = HANDLERS["action.submitted/1"]


def paused(ctx, msg):
    # Written whole, then renamed: the test polls for the file, and a bare write_text let it
    # read the file in the instant between creation and the job id landing (CI, stop 39).
    part = marker.with_name(marker.name + ".part")
    part.write_text(msg.job_id)
    os.replace(part, marker)
    time.sleep(float(os.environ.get("SLOW_WORKER_PAUSE_S", "120")))
    return real(ctx, msg)


HANDLERS["action.submitted/1"] = paused
setup_logging("INFO")  # the test's failure output then shows each event's details
settings = Settings.from_env()
print(os.getpid(), flush=True)
worker = make_worker(settings, ["verify"])
worker.install_signal_handlers()
stats = worker.run(max_seconds=150)
print(stats["done"], flush=True)
