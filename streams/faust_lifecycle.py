"""How the review service and the autonomy scorer (faust apps) start and stop, without
faust's and mode's fixed waits.

At start, faust's table manager sleeps one second before it finalises the tables, for tables
declared after the app started; ours are all declared before (streams/review/service.py), so
it goes on at once.

On the way out, once the app has stopped (its consumer left the group, its producer flushed),
mode's worker gives the tasks still running (the services' own `app.task`s: metrics server,
level follower, console, notifier) ten looks 0.1 s apart to end on their own, cancels the rest,
then sleeps a full second before it closes the event loop: about 2 s per stop whatever is left
to do (the services' logs, "Gathering all futures" to "Closing event loop"). Here the leftover
tasks are cancelled at once and the loop closes as soon as they have run their cleanup
(bounded by the same second).
"""

from __future__ import annotations

import asyncio

from faust.tables import TableManager
from faust.worker import Worker
from mode.utils.futures import all_tasks

CLEANUP_TIMEOUT_S = 1.0  # what mode allowed the leftover tasks, at most


class PromptTableManager(TableManager):
    async def on_start(self) -> None:
        if not self.should_stop:
            await self._update_channels()
            await self.recovery.start()


class PromptWorker(Worker):
    def _gather_all(self) -> None:
        leftover = all_tasks(loop=self.loop)
        for task in leftover:
            task.cancel()
        if leftover:
            self.loop.run_until_complete(asyncio.wait(leftover, timeout=CLEANUP_TIMEOUT_S))

    async def _sentinel_task(self) -> None:
        await asyncio.sleep(0)  # one more turn for callbacks the cleanup scheduled
