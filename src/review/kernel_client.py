"""A Jupyter kernel client that cannot sleep through a message: what `run_notebooks` executes with.

nbclient (under papermill) waits for a cell's reply with ``await socket.poll(timeout)`` on a
``zmq.asyncio`` socket, where `timeout` is the whole cell timeout. That wait is woken by the socket's
file descriptor, which ZeroMQ signals on an edge: when the wake-up is missed, the reply sits in the
socket's queue, unread, until the timeout, and only then does pyzmq look at the queue itself
(``zmq_poll(0)``), find the reply and carry on. That was the notebook suite's intermittent stall of
exactly `cell_timeout` seconds: the kernel had run the cell and gone idle, the reply had left it (no byte
waiting in either TCP queue), and papermill still waited (seen about once in ten runs, on the widget
cell of 02_timeline_explorer).

`PolledChannel.get_msg` waits the same way, in slices of at most `POLL_SECONDS`. Each slice that ends
without a wake-up looks at the queue itself, as pyzmq does at a timeout, so a missed wake-up costs at
most one slice. Timeouts mean what they meant: `Empty` when nothing came within `timeout` seconds.
"""
from __future__ import annotations

import math
import os
import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type, Unicode

#: the longest a message can sit unread in a socket's queue (seconds)
POLL_SECONDS = 0.5


class PolledChannel(AsyncZMQSocketChannel):
    """An asyncio ZMQ channel whose waits look at the socket's queue every `POLL_SECONDS`."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:  # type: ignore[override]
        """The next message; `Empty` when none came within `timeout` seconds (None: wait for ever)."""
        assert self.socket is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SECONDS if deadline is None else min(POLL_SECONDS, deadline - time.monotonic())
            # a slice of at least 1 ms (0 would not wait), rounded up so that the slices cover the whole
            # timeout; past the deadline, one last look at the queue
            if await self.socket.poll(max(1, math.ceil(left * 1000)) if left > 0 else 0):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class PolledKernelClient(AsyncKernelClient):
    """`AsyncKernelClient` with `PolledChannel` for the shell, IOPub, stdin and control channels."""

    shell_channel_class = Type(PolledChannel)  # type: ignore[assignment]
    iopub_channel_class = Type(PolledChannel)  # type: ignore[assignment]
    stdin_channel_class = Type(PolledChannel)  # type: ignore[assignment]
    control_channel_class = Type(PolledChannel)  # type: ignore[assignment]


class PolledKernelManager(AsyncKernelManager):
    """`AsyncKernelManager` whose clients are `PolledKernelClient`s (nbclient's `kernel_manager_class`)."""

    client_class = DottedObjectName("review.kernel_client.PolledKernelClient")
    # what `client()` builds: AsyncKernelManager declares its own default, so both are set
    client_factory = Type(PolledKernelClient, klass=AsyncKernelClient)
    #: the kernel's PYTHONPATH when not empty (`review.notebooks.kernel_pythonpath`: the `review` being run
    #: first, every entry absolute), in place of the one it would inherit
    python_path = Unicode("", help="PYTHONPATH of the kernel process (empty: inherited)").tag(config=True)

    async def _async_pre_start_kernel(self, **kw: Any):  # type: ignore[override]
        if self.python_path:
            kw["env"] = {**(kw.get("env") or os.environ), "PYTHONPATH": self.python_path}
        return await super()._async_pre_start_kernel(**kw)
