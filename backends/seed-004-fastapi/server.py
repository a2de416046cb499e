"""Seed 004's reference backend: the FastAPI + WebSocket multi-agent chat, literally.

Run with Debian's Python (it has FastAPI, uvicorn and websockets, the stack the seed names):

    /usr/bin/python3 backends/seed-004-fastapi/server.py --port 0

It prints one JSON line ``{"event": "listening", "port": N}`` on stdout once it listens (``--port 0``
picks a free port), then one JSON line per observation when ``--echo`` is given.

The WebSocket is ``ws://HOST:PORT/ws``. Every event is broadcast to every connection of the channel,
as ``manager.broadcast(event, data)`` does, in the envelope ``{"type": <event>, "data": {...}}``
(``envelope=event-payload`` sends ``{"event": ..., "payload": ...}``, ``envelope=flat`` merges the
fields next to ``type``). For one user message the processor's flow is:

1. ``message_new`` for the user's own message (``metadata.streaming: false``, ``author_type: "user"``);
2. ``message_new``: the agent's placeholder, ``content: ""``, ``metadata: {"streaming": true}``,
   ``author_name`` (``backend`` unless the request names an agent);
3. ``message_stream`` per chunk: ``{message_id, chunk, is_final, metadata: {"tool_calls": ...}}``,
   the last chunk with ``is_final: true``; with tools, the LLM's last chunk is final and names the
   calls, and the tool results follow as one more final chunk ("results appended as additional
   chunks");
4. ``message_update``: ``{id, content: <everything streamed>, metadata: {"streaming": false}}``.

Errors: "Error message yielded as final chunk ... emitted with error metadata": the final
``message_stream`` has ``chunk: "Error: <message>"``, ``is_final: true`` and
``metadata: {"error": <message>}``; the ``message_update`` still follows (the processor's loop
ended normally). A client's ``stream_cancel`` (``{"type": "stream_cancel", "message_id": ...}``, or
the same inside ``data``) cancels the generator; the server then sends ``message_update`` with the
partial content and ``metadata: {"streaming": false, "cancelled": true}``. A client that disconnects
does not stop the stream ("Client disconnect: Streaming continues, message saved to DB").

Knobs (query string of the socket URL, ``POST /control``, a ``sluice`` object in the message frame, or
a ``[[key=value ...]]`` directive in the message text): ``delay``, ``first_delay``, ``words``, ``text``,
``fail_after``, ``die_after`` (the process exits: every TCP connection drops without a close frame),
``ignore_cancel``, ``scenario`` (``text`` | ``tools``), ``peer`` (another agent posts a complete
message first), ``envelope``. Observations are kept for ``GET /log`` (NDJSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import sys
import time
import uuid
from typing import Any

import uvicorn
from fastapi import FastAPI, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse, PlainTextResponse, Response

SEED = "seed-004"
MAXIMUM_FRAME_BYTES = 1024 * 1024
MAXIMUM_LOG_LINES = 50_000
VOCABULARY = [
    "Sluice", "streams", "every", "token", "of", "this", "answer", "from", "a", "reference",
    "backend", "that", "follows", "its", "seed", "document", "word", "for", "word,", "ünïcödé",
    "and", "中文", "included", "😀.",
]
DEFAULTS: dict[str, Any] = {
    "delay": 20,
    "first_delay": 0,
    "words": 24,
    "text": None,
    "fail_after": None,
    "die_after": None,
    "ignore_cancel": False,
    "scenario": "text",
    "peer": False,
    "envelope": "type-data",
}
TOOL_CALLS = [{"id": "tool_weather_1", "name": "get_weather", "arguments": {"city": "Paris"}}]
TOOL_RESULT_TEXT = "\n\nget_weather: 21 °C and sunny in Paris."

log_lines: list[dict[str, Any]] = []
echo = False
control: dict[str, Any] = dict(DEFAULTS)


def record(event: str, **fields: Any) -> None:
    """Keep one observation (and print it with --echo)."""
    line = {**fields, "at": int(time.time() * 1000), "seed": SEED, "event": event}
    log_lines.append(line)
    if len(log_lines) > MAXIMUM_LOG_LINES:
        del log_lines[: len(log_lines) - MAXIMUM_LOG_LINES]
    if echo:
        print(json.dumps(line, ensure_ascii=False), flush=True)


def number_in(value: Any, maximum: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number != number or number < 0:
        return None
    return int(min(number, maximum))


def flag(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in ("1", "true", "", 1):
        return True
    if value in ("0", "false", 0):
        return False
    return None


def apply_knobs(base: dict[str, Any], source: Any) -> dict[str, Any]:
    """Lay one source of knobs over another; unknown keys and bad values are ignored."""
    behaviour = dict(base)
    if not isinstance(source, dict):
        return behaviour
    for key, maximum in (("delay", 60_000), ("first_delay", 60_000), ("words", 20_000),
                         ("fail_after", 20_000), ("die_after", 20_000)):
        if key in source:
            value = number_in(source[key], maximum)
            if value is not None and not (key == "words" and value == 0):
                behaviour[key] = value
    for key in ("ignore_cancel", "peer"):
        if key in source:
            value = flag(source[key])
            if value is not None:
                behaviour[key] = value
    if isinstance(source.get("text"), str) and source["text"] != "":
        behaviour["text"] = source["text"][:200_000]
    if source.get("scenario") in ("text", "tools", "reasoning"):
        behaviour["scenario"] = source["scenario"]
    if source.get("envelope") in ("type-data", "event-payload", "flat"):
        behaviour["envelope"] = source["envelope"]
    return behaviour


DIRECTIVE = re.compile(r"\[\[([^\]]{0,500})\]\]")


def directive_knobs(text: str) -> dict[str, str]:
    match = DIRECTIVE.search(text)
    knobs: dict[str, str] = {}
    if match is None:
        return knobs
    for pair in match.group(1).split():
        key, _, value = pair.partition("=")
        knobs[key] = value if "=" in pair else "1"
    return knobs


def answer_chunks(behaviour: dict[str, Any]) -> list[str]:
    """The answer cut before each space, the same cut as backends/shared/behaviour.ts."""
    text = behaviour.get("text")
    if isinstance(text, str):
        return [piece for piece in re.split(r"(?=\s)", text) if piece != ""] or [text]
    words = behaviour["words"]
    return [VOCABULARY[index % len(VOCABULARY)] if index == 0 else " " + VOCABULARY[index % len(VOCABULARY)]
            for index in range(words)]


def user_text(frame: dict[str, Any]) -> str:
    """The user's message: `content`/`text`, or the last user turn of `messages`."""
    for key in ("content", "text", "message"):
        if isinstance(frame.get(key), str):
            return frame[key]
    messages = frame.get("messages")
    if isinstance(messages, list):
        for message in reversed(messages[-500:]):
            if isinstance(message, dict) and message.get("role") == "user":
                content = message.get("content", message.get("parts"))
                if isinstance(content, str):
                    return content
                if isinstance(content, list):
                    return "".join(part.get("text", "") for part in content
                                   if isinstance(part, dict) and isinstance(part.get("text"), str))
    return ""


class Stream:
    """One agent answer being generated."""

    def __init__(self, message_id: str, client_message_id: str | None, request: str, connection: str):
        self.message_id = message_id
        self.client_message_id = client_message_id
        self.request = request
        self.connection = connection
        self.task: asyncio.Task[None] | None = None
        self.cancel_received_at: float | None = None
        self.cancelled = asyncio.Event()


class ConnectionManager:
    """Every socket of the channel; events go to all of them (`manager.broadcast`)."""

    def __init__(self) -> None:
        self.connections: dict[str, WebSocket] = {}
        self.streams: dict[str, Stream] = {}
        self.counter = 0

    def envelope(self, event: str, data: dict[str, Any], style: str) -> dict[str, Any]:
        if style == "event-payload":
            return {"event": event, "payload": data}
        if style == "flat":
            return {"type": event, **data}
        return {"type": event, "data": data}

    async def broadcast(self, event: str, data: dict[str, Any], style: str) -> int:
        frame = json.dumps(self.envelope(event, data, style), ensure_ascii=False)
        delivered = 0
        for name, connection in list(self.connections.items()):
            try:
                await connection.send_text(frame)
                delivered += 1
            except Exception:  # a socket that went away mid-broadcast is just dropped
                self.connections.pop(name, None)
        return delivered


manager = ConnectionManager()
app = FastAPI(title="Sluice seed 004 reference backend")


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z"


async def pause(seconds: float, stream: Stream, behaviour: dict[str, Any]) -> None:
    if seconds <= 0:
        return
    if behaviour["ignore_cancel"]:
        await asyncio.sleep(seconds)
        return
    try:
        await asyncio.wait_for(stream.cancelled.wait(), timeout=seconds)
    except asyncio.TimeoutError:
        pass


async def process_agent_message(frame: dict[str, Any], behaviour: dict[str, Any], connection: str) -> None:
    """The seed's processor: echo, placeholder, chunks, final update."""
    style = behaviour["envelope"]
    manager.counter += 1
    request = f"r{manager.counter}"
    text = user_text(frame)
    channel_id = frame.get("channel_id") if isinstance(frame.get("channel_id"), str) else "general"
    client_message_id = frame.get("message_id") if isinstance(frame.get("message_id"), str) else None
    record("request", request=request, transport="websocket", connection=connection, behaviour=behaviour,
           clientMessageId=client_message_id)

    user_id = f"msg-{uuid.uuid4().hex[:12]}"
    await manager.broadcast("message_new", {
        "id": user_id, "channel_id": channel_id, "content": text, "author_name": "You",
        "author_type": "user", "created_at": now_iso(), "metadata": {"streaming": False},
    }, style)
    if behaviour["peer"]:
        await manager.broadcast("message_new", {
            "id": f"msg-{uuid.uuid4().hex[:12]}", "channel_id": channel_id,
            "content": "I will let @backend take this one.", "author_name": "frontend",
            "author_type": "agent", "created_at": now_iso(), "metadata": {"streaming": False},
        }, style)

    agent_name = frame.get("agent") if isinstance(frame.get("agent"), str) else "backend"
    message_id = f"msg-{uuid.uuid4().hex[:12]}"
    stream = Stream(message_id, client_message_id, request, connection)
    manager.streams[message_id] = stream
    await manager.broadcast("message_new", {
        "id": message_id, "channel_id": channel_id, "content": "", "author_name": agent_name[:100],
        "author_type": "agent", "created_at": now_iso(), "metadata": {"streaming": True},
    }, style)

    chunks = answer_chunks(behaviour)
    # (chunk, is_final, metadata): the LLM's last chunk is final (`llm.stream` yields
    # `(text_chunk, is_final, tool_calls)`, the tool calls with the final one).
    planned: list[tuple[str, bool, dict[str, Any]]] = [
        (chunk, index == len(chunks) - 1, {"tool_calls": None}) for index, chunk in enumerate(chunks)]
    if behaviour["scenario"] == "tools":
        # "Tool calls executed after streaming completes; results appended as additional chunks."
        planned[-1] = (planned[-1][0], True, {"tool_calls": TOOL_CALLS})
        planned.append((TOOL_RESULT_TEXT, True, {"tool_calls": TOOL_CALLS, "tool_results": [
            {"tool_call_id": TOOL_CALLS[0]["id"], "output": {"temperature": 21, "conditions": "sunny"}}]}))
    accumulated = ""
    sent = 0
    outcome = "completed"
    try:
        for index, (chunk, is_final, metadata) in enumerate(planned):
            await pause((behaviour["first_delay"] if index == 0 else behaviour["delay"]) / 1000, stream, behaviour)
            if stream.cancelled.is_set() and not behaviour["ignore_cancel"]:
                raise asyncio.CancelledError()
            if behaviour["die_after"] is not None and sent >= behaviour["die_after"]:
                record("died", request=request, chunksSent=sent, how="process-exit")
                sys.stdout.flush()
                os._exit(3)
            if behaviour["fail_after"] is not None and sent >= behaviour["fail_after"]:
                message = "The model provider failed mid-stream (told to fail by the test)."
                error_chunk = f"Error: {message}"
                accumulated += error_chunk
                await manager.broadcast("message_stream", {
                    "message_id": message_id, "chunk": error_chunk, "is_final": True,
                    "metadata": {"error": message},
                }, style)
                record("failed", request=request, chunksSent=sent)
                outcome = "failed"
                break
            accumulated += chunk
            # A chunk is "after the stop" when it was produced after the stop arrived; one whose
            # broadcast was under way when it arrived was produced before it.
            stopped_at = stream.cancel_received_at
            await manager.broadcast("message_stream", {
                "message_id": message_id, "chunk": chunk, "is_final": is_final, "metadata": metadata,
            }, style)
            sent += 1
            if stopped_at is not None:
                record("chunk-after-stop", request=request, index=index,
                       afterStopMs=int(time.time() * 1000 - stopped_at))
            elif stream.cancel_received_at is not None:
                record("chunk", request=request, index=index, stopArrivedWhileWriting=True)
            else:
                record("chunk", request=request, index=index)
        if outcome == "completed":
            record("completed", request=request, chunksSent=sent)
        await manager.broadcast("message_update", {
            "id": message_id, "channel_id": channel_id, "content": accumulated,
            "author_name": agent_name[:100], "metadata": {"streaming": False},
        }, style)
    except asyncio.CancelledError:
        record("generator-cancelled", request=request, chunksSent=sent)
        await manager.broadcast("message_update", {
            "id": message_id, "channel_id": channel_id, "content": accumulated,
            "author_name": agent_name[:100], "metadata": {"streaming": False, "cancelled": True},
        }, style)
    finally:
        manager.streams.pop(message_id, None)


def cancel_stream(frame: dict[str, Any], connection: str) -> None:
    message_id = frame.get("message_id")
    targets = [stream for stream in manager.streams.values()
               if (isinstance(message_id, str) and message_id in (stream.message_id, stream.client_message_id))
               or (message_id is None and stream.connection == connection)]
    if not targets:
        record("rejected", connection=connection, message=f"stream_cancel for unknown message {message_id!r}")
        return
    for stream in targets:
        if stream.cancel_received_at is not None:
            continue
        stream.cancel_received_at = time.time() * 1000
        record("cancel-received", request=stream.request, how="stream_cancel", messageId=stream.message_id)
        stream.cancelled.set()


def unwrap(frame: dict[str, Any]) -> dict[str, Any]:
    """Accept the flat frame and the `{type|event, data|payload}` envelope alike."""
    inner = frame.get("data", frame.get("payload"))
    if isinstance(inner, dict):
        merged = {**inner}
        merged.setdefault("type", frame.get("type", frame.get("event")))
        return merged
    if "type" not in frame and isinstance(frame.get("event"), str):
        return {**frame, "type": frame["event"]}
    return frame


@app.websocket("/ws")
async def websocket_endpoint(websocket: WebSocket) -> None:
    await websocket.accept()
    connection = f"c{uuid.uuid4().hex[:8]}"
    manager.connections[connection] = websocket
    record("connection", connection=connection)
    query = dict(websocket.query_params)
    tasks: set[asyncio.Task[None]] = set()
    try:
        while True:
            raw = await websocket.receive_text()
            if len(raw) > MAXIMUM_FRAME_BYTES:
                record("rejected", connection=connection, message="frame too large")
                continue
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                record("rejected", connection=connection, message="frame is not a JSON object")
                await websocket.send_text(json.dumps({"type": "error", "data": {
                    "message": "seed-004: every frame must be a JSON object such as "
                               "{\"type\": \"message\", \"content\": \"Hi\"}."}}))
                continue
            frame = unwrap(parsed)
            if frame.get("type") == "stream_cancel":
                cancel_stream(frame, connection)
                continue
            behaviour = apply_knobs(apply_knobs(apply_knobs(control, query), frame.get("sluice")),
                                    directive_knobs(user_text(frame)))
            task = asyncio.create_task(process_agent_message(frame, behaviour, connection))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    except WebSocketDisconnect as disconnect:
        # The seed: a client disconnect does not stop its streams.
        record("connection-closed", connection=connection, code=disconnect.code)
    finally:
        manager.connections.pop(connection, None)


@app.get("/log")
async def read_log() -> Response:
    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in log_lines)
    return PlainTextResponse(body, media_type="application/x-ndjson",
                             headers={"access-control-allow-origin": "*"})


@app.delete("/log")
async def clear_log() -> Response:
    log_lines.clear()
    return Response(status_code=204, headers={"access-control-allow-origin": "*"})


@app.post("/control")
async def set_control(request: Request) -> Response:
    global control
    body = await request.body()
    if len(body) > MAXIMUM_FRAME_BYTES:
        return JSONResponse({"error": {"message": "seed-004: the control body is too large."}}, status_code=413)
    try:
        knobs = json.loads(body or b"{}")
    except ValueError:
        return JSONResponse({"error": {"message": "seed-004: POST /control takes a JSON object of knobs."}},
                            status_code=400)
    control = apply_knobs(control, knobs)
    return JSONResponse(control)


@app.delete("/control")
async def reset_control() -> Response:
    global control
    control = dict(DEFAULTS)
    return JSONResponse(control)


@app.get("/health")
async def health() -> Response:
    return JSONResponse({"seed": SEED, "ok": True})


def main() -> None:
    global echo
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8704)
    parser.add_argument("--echo", action="store_true", help="print every observation as a JSON line")
    arguments = parser.parse_args()
    echo = arguments.echo
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((arguments.host, arguments.port))
    # Listen before announcing the port: a client that connects at once waits in the backlog
    # until uvicorn accepts, instead of being refused.
    listener.listen(2048)
    port = listener.getsockname()[1]
    record("listening", port=port)
    if not echo:
        print(json.dumps({"event": "listening", "seed": SEED, "port": port}), flush=True)
    config = uvicorn.Config(app, ws="websockets", log_level="warning", lifespan="off",
                            ws_max_size=MAXIMUM_FRAME_BYTES)
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    main()
