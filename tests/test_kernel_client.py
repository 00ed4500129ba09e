"""The notebook runner's kernel client: a reply whose wake-up is missed is read within a poll slice,
not at the end of the cell timeout (the notebook suite's intermittent stall)."""
from __future__ import annotations

import asyncio
import time
from queue import Empty

import pytest
from jupyter_client.session import Session

from review import kernel_client
from review.kernel_client import PolledChannel, PolledKernelClient, PolledKernelManager


class SleepySocket:
    """A socket whose waits are never woken: poll(t) sleeps all of t, then looks at the queue, as pyzmq
    does when the file descriptor's edge was missed. poll(0) looks at once."""

    def __init__(self, arrives_after: float | None):
        self.arrival = None if arrives_after is None else time.monotonic() + arrives_after
        self.polls: list[int] = []

    def _queued(self) -> bool:
        return self.arrival is not None and time.monotonic() >= self.arrival

    async def poll(self, timeout=None):
        self.polls.append(timeout)
        if timeout:
            await asyncio.sleep(timeout / 1000)
        return int(self._queued())


def channel(socket) -> PolledChannel:
    ch = PolledChannel.__new__(PolledChannel)  # the real constructor insists on a zmq.asyncio socket
    ch.socket = socket
    ch.session = Session()

    async def recv():
        return {"msg_type": "execute_reply"}

    ch._recv = recv
    return ch


def test_a_missed_wake_up_costs_one_poll_slice_not_the_timeout():
    socket = SleepySocket(arrives_after=0.05)
    started = time.monotonic()
    msg = asyncio.run(channel(socket).get_msg(timeout=60))
    waited = time.monotonic() - started
    assert msg == {"msg_type": "execute_reply"}
    assert waited < kernel_client.POLL_SECONDS + 1.0  # the unsliced wait took the whole 60 s
    assert all(t <= kernel_client.POLL_SECONDS * 1000 for t in socket.polls)


def test_no_timeout_waits_in_slices_until_a_message_comes():
    socket = SleepySocket(arrives_after=0.6)
    msg = asyncio.run(channel(socket).get_msg(timeout=None))
    assert msg["msg_type"] == "execute_reply"
    assert len(socket.polls) >= 2


def test_empty_after_the_timeout_with_a_last_look_at_the_queue():
    socket = SleepySocket(arrives_after=None)
    started = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(channel(socket).get_msg(timeout=0.3))
    assert 0.25 <= time.monotonic() - started < 1.5
    assert socket.polls[-1] == 0 or sum(socket.polls) >= 300


def test_a_queued_message_is_returned_at_once_even_with_timeout_zero():
    socket = SleepySocket(arrives_after=0)
    assert asyncio.run(channel(socket).get_msg(timeout=0))["msg_type"] == "execute_reply"
    assert socket.polls == [0]


def test_the_manager_gives_clients_with_polled_channels():
    manager = PolledKernelManager()
    client = manager.client()
    assert isinstance(client, PolledKernelClient)
    for name in ("shell", "iopub", "stdin", "control"):
        assert issubclass(getattr(client, f"{name}_channel_class"), PolledChannel)


def test_run_notebooks_executes_with_the_polled_manager(monkeypatch, tmp_path):
    import papermill

    from review import notebooks

    seen = {}

    def fake_execute(source, target, **kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop")

    monkeypatch.setattr(papermill, "execute_notebook", fake_execute)
    case = tmp_path / "case"
    case.mkdir()
    with pytest.raises(RuntimeError, match="stop"):
        notebooks.run_notebooks(case, tmp_path / "out", names=["01_ingest_and_validate"], html=False)
    assert seen["kernel_manager_class"] is PolledKernelManager
