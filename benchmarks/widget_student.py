"""A student without a browser: the Voila page's traffic, spoken over the kernel's websocket.

Used by benchmarks/classroom_load.py for most of a class, so that 30 students do not need 30 Chromium
pages on the server's own 2 cores (a page costs a good part of a core while the class presses keys).
It does what the page's widget manager does, no more: fetch the page (Voila starts the kernel and runs
the notebook for it), connect to /api/kernels/<id>/channels, open the "jupyter.widget.control" comm and
ask for every widget's state, then set a slider's value with a comm "update" message, as moving the
slider does, and wait for the kernel's answer: the figure's Image widget receiving its new picture (the
JPEG figure), or the description updated (the canvas figure: the description is the last thing a render
sends, after the figure's data, and the only thing a learning-rate press sends). Leaving, it either posts
Voila's shutdown request (what the page sends when its tab closes) or only drops the connection.

Messages are Jupyter protocol 5.3 in the "v1.kernel.websocket.jupyter.org" websocket framing, the one
JupyterLab's services (and so Voila's page) use; jupyter_server's own functions pack and unpack it.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
import uuid
from datetime import datetime, timezone
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

CONTROL_TARGET = "jupyter.widget.control"
CONTROL_VERSION = "1.0.0"  # ipywidgets 8's widget control protocol
# JupyterLab's (and so Voila's page's) websocket framing. Asked for explicitly: with the legacy framing,
# Voila 0.5's websocket handler reads a message with buffers (the figure's picture) as if it were this
# one, and the server stops answering.
SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"
SLIDERS = ("downhill-lr", "downhill-warmup")  # the CSS classes the playground gives the sliders pressed
FIGURE_CLASS = "downhill-explorer-figure"     # and its figure (an ipywidgets Image, or the canvas widget)
CAPTION_CLASS = "downhill-explorer-caption"   # the description, updated last by every render


class ProtocolError(RuntimeError):
    """The page or the kernel did not answer as a Voila page expects."""


class WidgetStudent:
    """One student's page, spoken over the websocket. ``await open()``, ``await press(...)``, ``await leave(...)``."""

    def __init__(self, url, http=None):
        self.url = url  # the Voila page, e.g. http://127.0.0.1:8866/
        self.http = http or AsyncHTTPClient(force_instance=True, max_clients=256)
        self.session = uuid.uuid4().hex
        self.kernel_id = None
        self.cookies = {}
        self.ws = None
        self.states = {}  # model id -> {"model_name": ..., "state": {...}}
        self.models = {}  # CSS class (SLIDERS, FIGURE_CLASS) -> model id
        self._frame = asyncio.Event()
        self._frame_at = None
        self._states_ready = asyncio.Event()
        self._reader = None
        self._handled = {}  # msg_id -> future set when the kernel reports idle after handling it
        self.closed_by_server = False

    # -- opening --
    async def open(self, timeout_s=240.0):
        """Load the page (its kernel runs the notebook), connect, and learn the widgets' model ids."""
        deadline = time.monotonic() + timeout_s
        response = await self.http.fetch(self.url, request_timeout=timeout_s, connect_timeout=timeout_s)
        html = response.body.decode("utf8", "replace")
        m = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', html)
        if not m:
            raise ProtocolError("the Voila page carries no kernel id")
        self.kernel_id = m.group(1)
        for header in response.headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        base = self.url.split("://", 1)[1].split("/", 1)[0]
        ws_url = f"ws://{base}/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        request = HTTPRequest(ws_url, headers={"Cookie": self._cookie_header(), "Origin": f"http://{base}"},
                              connect_timeout=max(1.0, deadline - time.monotonic()))
        self.ws = await websocket_connect(request, max_message_size=64 * 1024 * 1024, subprotocols=[SUBPROTOCOL])
        self._reader = asyncio.ensure_future(self._read())
        control = uuid.uuid4().hex
        try:
            # the kernel may take a comm message before an earlier comm_open ("No such comm"): wait for
            # the open to be handled (its idle status) before asking on that comm
            opened = await self._send("comm_open", {"comm_id": control, "target_name": CONTROL_TARGET, "data": {}},
                                      metadata={"version": CONTROL_VERSION})
            await asyncio.wait_for(opened, max(1.0, deadline - time.monotonic()))
            await self._send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
            await asyncio.wait_for(self._states_ready.wait(), max(1.0, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise ProtocolError("the kernel sent no widget states") from None
        self.models = {css: self._model_with_class(css) for css in SLIDERS + (FIGURE_CLASS, CAPTION_CLASS)}
        figure = self.states[self.models[FIGURE_CLASS]]
        self._answer = (self.models[FIGURE_CLASS] if figure["model_name"] == "ImageModel"
                        else self.models[CAPTION_CLASS])

    def _model_with_class(self, css_class):
        for model_id, model in self.states.items():
            if css_class in model["state"].get("_dom_classes", ()):
                return model_id
        raise ProtocolError(f"no widget carries the class {css_class!r}")

    def _cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    # -- the wire --
    async def _send(self, msg_type, content, metadata=None):
        """Send one shell message; returns a future that is done when the kernel has handled it."""
        msg_id = uuid.uuid4().hex
        handled = self._handled[msg_id] = asyncio.get_running_loop().create_future()
        header = {"msg_id": msg_id, "username": "student", "session": self.session, "msg_type": msg_type,
                  "version": "5.3", "date": datetime.now(timezone.utc).isoformat()}
        parts = [json.dumps(part).encode("utf8") for part in (header, {}, metadata or {}, content)]
        await self.ws.write_message(serialize_msg_to_ws_v1(parts, "shell"), binary=True)
        return handled

    async def _read(self):
        while True:
            raw = await self.ws.read_message()
            if raw is None:  # the server closed the connection (the kernel was shut down)
                self.closed_by_server = True
                return
            _channel, parts = deserialize_msg_from_ws_v1(raw)
            header, parent, content = (json.loads(parts[i]) for i in (0, 1, 3))
            msg_type = header.get("msg_type")
            if msg_type == "status" and content.get("execution_state") == "idle":
                done = self._handled.pop(parent.get("msg_id"), None)
                if done is not None and not done.done():
                    done.set_result(True)
            if msg_type != "comm_msg":
                continue
            data = content.get("data", {})
            method = data.get("method")
            if method == "update_states":
                self.states = data["states"]
                self._states_ready.set()
            elif method == "update" and content.get("comm_id") == getattr(self, "_answer", None) \
                    and "value" in _changed_keys(data):
                self._frame_at = time.monotonic()
                self._frame.set()

    # -- a key on a slider --
    def next_value(self, slider, key):
        """The value a key press gives `slider` (a CSS class of SLIDERS): one step right or left, within its range."""
        model = self.states[self.models[slider]]
        state = model["state"]
        sign = 1 if key == "ArrowRight" else -1
        if model["model_name"] == "FloatLogSliderModel":  # min, max and step are exponents of its base
            exponent = math.log(state["value"], state["base"]) + sign * state["step"]
            exponent = min(max(exponent, state["min"]), state["max"])
            return float(state["base"] ** round(exponent, 10))
        return int(min(max(state["value"] + sign * state["step"], state["min"]), state["max"]))

    async def press(self, slider, key, frame_timeout_s=10.0):
        """Move `slider` (a CSS class of SLIDERS) one step as `key` ("ArrowRight"/"ArrowLeft") would;
        milliseconds from sending the change to the new picture's arrival, or None if none came in time."""
        model = self.models[slider]
        value = self.next_value(slider, key)
        self._frame.clear()
        start = time.monotonic()
        await self._send("comm_msg", {"comm_id": model,
                                      "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}})
        self.states[model]["state"]["value"] = value
        try:
            await asyncio.wait_for(self._frame.wait(), frame_timeout_s)
        except asyncio.TimeoutError:
            return None
        return 1e3 * (self._frame_at - start)

    # -- leaving --
    async def leave(self, close_tab):
        """close_tab: post Voila's shutdown request, as the page does when its tab closes; else only vanish."""
        try:
            if close_tab and self.kernel_id:
                body = urlencode({"_xsrf": self.cookies.get("_xsrf", "")})
                url = f"{self.url.rstrip('/')}/voila/api/shutdown/{self.kernel_id}"
                await self.http.fetch(url, method="POST", body=body, raise_error=False, request_timeout=30,
                                      headers={"Cookie": self._cookie_header(),
                                               "Content-Type": "application/x-www-form-urlencoded"})
        finally:
            if self.ws is not None:
                self.ws.close()
            if self._reader is not None:
                self._reader.cancel()


def _changed_keys(data):
    """The state keys an "update" message sets, buffers included (the Image's value travels as a buffer)."""
    keys = set(data.get("state", {}))
    for path in data.get("buffer_paths", []):
        if path:
            keys.add(path[0])
    return keys
