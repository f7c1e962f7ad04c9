"""PTB's JobQueue, stopped without cancelling a job that starts during the stop.

`JobQueue.stop(wait=True)` waits for the jobs running when it is called, then shuts APScheduler
down, whose asyncio executor cancels whatever started in between (a reminder tick, a hold
alarm): a CancelledError traceback in the log on every restart, and a half-run job. Pausing the
scheduler first means nothing new starts while the running jobs finish.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import JobQueue


class DrainingJobQueue(JobQueue[Any]):
    async def stop(self, wait: bool = True) -> None:
        if self.scheduler.running:
            self.scheduler.pause()
        await super().stop(wait)
