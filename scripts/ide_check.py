#!/usr/bin/env python3
"""Checks that rust-analyzer understands code inside generator bodies.

Speaks the Language Server Protocol over stdio to `rust-analyzer`, opens
scripts/ide-sample/src/lib.rs (a crate depending on pygen by path) and, in
each generator body of that file (one synchronous, one `async fn`, one
written inline with `generate!`), checks:

  hover       hovering a local shows its inferred type;
  completion  completing after `local.` offers the local's methods;
  definition  going to the definition of a function called in the body
              lands on that function.

It checks them twice: on the file as it is, and on a copy edited so that
the body is mid-edit and does not parse (a line `local.` with nothing after
the dot, as while typing). Prints one line per check and exits non-zero if
any failed.

Usage: ide_check.py SAMPLE_DIR [--timeout SECONDS] [--verbose]
"""

import argparse
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time


class Server:
    """A rust-analyzer process and the messages it sends."""

    def __init__(self, root, verbose):
        self.verbose = verbose
        self.proc = subprocess.Popen(
            ["rust-analyzer"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.next_id = 0
        self.messages = queue.Queue()
        self.quiescent = False
        self.health = "ok"
        self.status_message = ""
        self.pending = {}
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self):
        for line in self.proc.stderr:
            if self.verbose:
                sys.stderr.write("ra: " + line.decode(errors="replace"))

    def _read(self):
        stream = self.proc.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            body = stream.read(length)
            self.messages.put(json.loads(body))

    def _send(self, message):
        data = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _handle(self, message):
        """Handles a message that is not the awaited response."""
        if "id" in message and "method" in message:
            # A request from the server (configuration, progress tokens,
            # capability registration): answer so it is not left waiting.
            result = None
            if message["method"] == "workspace/configuration":
                result = [None for _ in message["params"]["items"]]
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif message.get("method") == "experimental/serverStatus":
            params = message["params"]
            self.quiescent = params.get("quiescent", False)
            self.health = params.get("health", "ok")
            self.status_message = params.get("message") or ""
            if self.verbose:
                print(f"  status: {params}", file=sys.stderr)
        elif "id" in message:
            self.pending[message["id"]] = message

    def pump(self, timeout):
        """Handles the messages that arrive within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                return
            if message is None:
                raise RuntimeError("rust-analyzer exited")
            self._handle(message)

    def request(self, method, params, timeout=120):
        self.next_id += 1
        ident = self.next_id
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while ident not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer to {method} within {timeout} s")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if message is None:
                raise RuntimeError("rust-analyzer exited")
            self._handle(message)
        response = self.pending.pop(ident)
        if "error" in response:
            # Content modified / server cancelled while it was still
            # loading: the caller retries.
            return None
        return response.get("result")

    def wait_quiescent(self, timeout):
        deadline = time.monotonic() + timeout
        while not self.quiescent:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(
                    f"rust-analyzer still loading the workspace after {timeout} s"
                )
            self.pump(min(left, 1.0))

    def close(self):
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()


def position(text, needle, offset=0, occurrence=0, start=0):
    """The LSP position of `needle` (its `occurrence`-th appearance from
    `start`) plus `offset` characters in `text`."""
    index = start - 1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    # rust-analyzer counts UTF-16 units by default; the sample is ASCII.
    return {"line": line, "character": column}


def hover_text(result):
    if not result:
        return ""
    contents = result.get("contents")
    if isinstance(contents, dict):
        return contents.get("value", "")
    if isinstance(contents, list):
        return "\n".join(c if isinstance(c, str) else c.get("value", "") for c in contents)
    return str(contents or "")


def completion_labels(result):
    if not result:
        return []
    items = result["items"] if isinstance(result, dict) else result
    return [item["label"] for item in items]


def definition_lines(result):
    if not result:
        return []
    if isinstance(result, dict):
        result = [result]
    lines = []
    for location in result:
        uri = location.get("targetUri") or location.get("uri")
        span = location.get("targetSelectionRange") or location.get("range")
        lines.append((uri, span["start"]["line"]))
    return lines


class Check:
    """One assertion, retried while rust-analyzer is still settling (a
    fresh server may answer before proc-macros are loaded)."""

    def __init__(self, server, retry_for):
        self.server = server
        self.retry_for = retry_for
        self.failures = []
        self.passed = 0
        self.gaps = []
        self.closed_gaps = []

    def run(self, name, ask, holds, describe, gap=None):
        """Asks until the answer `holds` or the time is up. A check with a
        `gap` (why it fails today) is a known gap: its failure is reported
        but does not fail the run, and its success says it can become an
        assertion."""
        deadline = time.monotonic() + (self.retry_for if gap is None else 10)
        while True:
            answer = ask()
            if holds(answer):
                if gap is None:
                    print(f"ok    {name}: {describe(answer)}")
                    self.passed += 1
                else:
                    print(f"ok    {name}: {describe(answer)} (a known gap no more: make it a check)")
                    self.closed_gaps.append(name)
                return True
            if time.monotonic() >= deadline:
                if gap is None:
                    print(f"FAIL  {name}: got {describe(answer)!s:.300}")
                    self.failures.append(name)
                else:
                    print(f"gap   {name}: got {describe(answer)!s:.300}; {gap}")
                    self.gaps.append(name)
                return False
            self.server.pump(1.0)


def mid_edit(text, local):
    """`text` with a line `local.` (nothing after the dot: mid-edit, the
    body no longer parses) inserted after the `let` that binds `local`, and
    the position right after that dot."""
    start = text.index(f"let {local} =")
    end = text.index("\n", start) + 1
    indent = text[text.rfind("\n", 0, start) + 1 : start]
    inserted = f"{indent}{local}.\n"
    edited = text[:end] + inserted + text[end:]
    return edited, end + len(inserted) - 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sample", type=pathlib.Path)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    root = args.sample.resolve()
    source = root / "src" / "lib.rs"
    uri = source.as_uri()
    text = source.read_text()

    server = Server(root, args.verbose)
    started = time.monotonic()
    try:
        server.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": {
                    "textDocument": {
                        "hover": {"contentFormat": ["plaintext", "markdown"]},
                        "completion": {"completionItem": {"snippetSupport": False}},
                        "definition": {"linkSupport": True},
                    },
                    "window": {"workDoneProgress": True},
                    "experimental": {"serverStatusNotification": True},
                },
                "initializationOptions": {
                    "checkOnSave": False,
                    "cachePriming": {"enable": False},
                    "procMacro": {"enable": True},
                    "cargo": {"buildScripts": {"enable": True}},
                },
            },
        )
        server.notify("initialized", {})
        server.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "rust",
                    "version": 1,
                    "text": text,
                }
            },
        )
        server.wait_quiescent(args.timeout)
        print(f"rust-analyzer loaded the sample in {time.monotonic() - started:.0f} s")
        if server.health != "ok":
            print(f"warning: rust-analyzer reports {server.health}: {server.status_message}")

        check = Check(server, retry_for=60)
        version = 1
        # (kind, the function's signature, its two locals, the handle its
        # expansion makes, the macro to expand and whether it comes before
        # the signature (an attribute) or after it (`generate!` inside))
        bodies = (
            ("sync", "pub fn running_means(", "report", "command", "Gen<", "#[generator(", True),
            (
                "async",
                "pub async fn running_means_async",
                "async_report",
                "async_command",
                "AsyncGen<",
                "#[generator(",
                True,
            ),
            (
                "inline",
                "pub fn running_means_inline",
                "inline_report",
                "inline_command",
                "Gen<",
                "generate!(",
                False,
            ),
        )
        for kind, signature, report, command, handle, macro, before in bodies:
            for state in ("parsing", "mid-edit"):
                # (local, the type its hover names, a method completion
                # must offer after `local.`, fields it must offer too)
                locals_ = (
                    (report, "Report", "mean_reading", ("count", "total")),
                    (command, "Command", "restarts_window", ()),
                )
                for local, ty, method, fields in locals_:
                    if state == "parsing":
                        body = text
                        dot = text.index(f"{local}.{method}") + len(local) + 1
                        # Before a method call only methods are offered.
                        fields = ()
                    else:
                        body, dot = mid_edit(text, local)
                    version += 1
                    server.notify(
                        "textDocument/didChange",
                        {
                            "textDocument": {"uri": uri, "version": version},
                            "contentChanges": [{"text": body}],
                        },
                    )
                    doc = {"uri": uri}
                    where = f"{kind} body, {state}"

                    hover_at = position(body, f"let {local} ", offset=4)
                    check.run(
                        f"hover on `{local}` ({where})",
                        lambda: hover_text(
                            server.request(
                                "textDocument/hover",
                                {"textDocument": doc, "position": hover_at},
                            )
                        ),
                        lambda h: f"{local}: {ty}" in h,
                        lambda h: " ".join(h.split()) or "no hover",
                    )

                    line = body.count("\n", 0, dot)
                    dot_at = {"line": line, "character": dot - (body.rfind("\n", 0, dot) + 1)}
                    wanted = (method,) + fields
                    check.run(
                        f"completion after `{local}.` ({where})",
                        lambda: completion_labels(
                            server.request(
                                "textDocument/completion",
                                {"textDocument": doc, "position": dot_at},
                            )
                        ),
                        lambda labels: all(
                            any(l == w or l.startswith(w + "(") for l in labels) for w in wanted
                        ),
                        lambda labels: (
                            "offers " + ", ".join(sorted(labels)[:8]) if labels else "no completion"
                        ),
                    )

                # The body's call of `summarize`, and the attribute.
                fn_at = body.index(signature)
                call_at = position(body, "summarize(", offset=0, occurrence=0, start=fn_at)
                decl_line = body.count("\n", 0, body.index("pub fn summarize"))
                check.run(
                    f"go to definition of `summarize` ({where})",
                    lambda: definition_lines(
                        server.request(
                            "textDocument/definition",
                            {"textDocument": doc, "position": call_at},
                        )
                    ),
                    lambda found: (uri, decl_line) in found,
                    lambda found: (
                        ", ".join(f"{pathlib.Path(u).name}:{l + 1}" for u, l in found)
                        or "no definition"
                    ),
                )
                macro_start = body.rindex(macro, 0, fn_at) if before else body.index(macro, fn_at)
                attribute_at = position(body, macro.lstrip("#["), offset=1, start=macro_start)
                check.run(
                    f"`{macro}..)` expands ({where})",
                    lambda: server.request(
                        "rust-analyzer/expandMacro",
                        {"textDocument": doc, "position": attribute_at},
                    ),
                    lambda e: bool(e) and handle in e.get("expansion", "").replace(" ", ""),
                    lambda e: (
                        "to a function returning " + handle.rstrip("<")
                        if e and handle in e.get("expansion", "").replace(" ", "")
                        else f"{e!s:.200}"
                    ),
                )

        # A yield whose argument is being typed: the expansion keeps its
        # tokens (generator-macros' `yield_macro`), so completion works.
        doc = {"uri": uri}
        call = "yield_!(report.mean_reading().unwrap_or_default())"
        body = text.replace(call, "yield_!(report.)", 1)
        version += 1
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": body}],
            },
        )
        dot_at = position(body, "yield_!(report.)", offset=len("yield_!(report."))
        check.run(
            "completion after `report.` inside `yield_!(..)` (sync body, mid-edit)",
            lambda: completion_labels(
                server.request(
                    "textDocument/completion", {"textDocument": doc, "position": dot_at}
                )
            ),
            lambda labels: any(l.startswith("mean_reading") for l in labels),
            lambda labels: "offers " + ", ".join(sorted(labels)[:8]) if labels else "no completion",
        )

        # Known gap: a mid-edit state the expansion does not carry through to
        # rust-analyzer today (see the reason). Reported, not failed.

        anchor = "        let command = yield_!("
        body = text.replace(anchor, "        let = ;\n" + anchor, 1)
        version += 1
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": body}],
            },
        )
        hover_at = position(body, "let command ", offset=4)
        check.run(
            "hover on `command` after a `let = ;` in the body (sync body, does not parse)",
            lambda: hover_text(
                server.request("textDocument/hover", {"textDocument": doc, "position": hover_at})
            ),
            lambda h: "command: Command" in h,
            lambda h: " ".join(h.split()) or "no hover",
            gap="when the function does not parse even after rust-analyzer's fixups, the "
            "attribute hands the item back unexpanded, so a local typed by a yield is unknown",
        )
    finally:
        server.close()

    if check.gaps:
        print(f"{len(check.gaps)} known gaps (reported above, not failures)")
    print(f"{check.passed} passed, {len(check.failures)} failed")
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
