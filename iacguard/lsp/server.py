"""`iacguard lsp`: a Language Server Protocol server on standard input and output.

Diagnostics on open, on change (after a short pause in typing) and on save, for every
format iacguard reads; hover on a diagnostic shows the rule's documentation for the
file's format; code actions offer the rule's fix (unsafe ones labelled), computed
when asked for (writing a setting can take a YAML round trip, too slow for every
finding at every pause in typing), and a suppression with a reason in the format's
own syntax.

The server's own process only routes messages. Each analysis runs in a worker
process (`iacguard.lsp.worker`) under the scan's fail-closed budgets; a newer edit of
the same document cancels the analysis in progress by ending its worker (a spare one
is always started ahead, so this costs no start-up), and an analysis that runs past
`ANALYSIS_SECONDS` is ended the same way and reported as incomplete. So a hostile
buffer can cost a worker, never the server's answers. Changes to configuration and
to files on disk (`workspace/didChangeWatchedFiles`, or the save of a configuration
file) make the worker forget what it read and every open document is analysed again.

pygls and lsprotocol are imported only here, so `iacguard scan` never pays for them.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

from lsprotocol import types
from lsprotocol.converters import get_converter
from pygls import uris
from pygls.lsp.server import LanguageServer

from iacguard import __version__
from iacguard.config import CONFIG_FILES
from iacguard.diagnostics import BUDGET_EXCEEDED, INTERNAL_ERROR

DEBOUNCE_SECONDS = 0.15  # a pause in typing this long starts an analysis
ANALYSIS_SECONDS = 20.0  # past this, the worker is ended and the file reported incomplete
LINE_LIMIT = 1 << 28  # one answer of the worker, in bytes (the buffer's text travels in one line)
WATCHED = ("**/{*.tf,*.tfvars,*.tf.json,*.tftpl,*.json,*.bicep,*.bicepparam,*.yaml,*.yml,Kustomization,*.tpl,.helmignore,.env,"
           "Dockerfile*,*.Dockerfile,Containerfile,pyproject.toml,.iacguard.yaml,.iacguard.yml}")

_CONVERTER = get_converter()


class Worker:
    """One analysis process, asked one question at a time."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.next_id = 0

    @classmethod
    async def start(cls) -> Worker:
        """With `-P`: `python -m` would put the working directory, where editors
        start the server (the repository), first on the module path, and a planted
        `yaml.py` or plugin there would be imported and run (see `iacguard.__main__`)."""
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-P", "-m", "iacguard.lsp.worker",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=LINE_LIMIT,
        )
        return cls(process)

    async def ask(self, request: dict) -> dict:
        self.next_id += 1
        self.process.stdin.write((json.dumps({**request, "id": self.next_id}) + "\n").encode("utf-8", "surrogatepass"))
        await self.process.stdin.drain()
        line = await self.process.stdout.readline()
        if not line:
            raise ConnectionError("the analysis worker ended")
        return json.loads(line)

    def end(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


class Workers:
    """The worker in use and a spare started ahead. A question whose asker gives up
    (cancelled: a newer edit) or that takes too long ends its worker, whose answer
    would come too late and out of turn; the spare takes over."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.current: asyncio.Task | None = None
        self.spare: asyncio.Task | None = None

    async def ask(self, request: dict, timeout: float = ANALYSIS_SECONDS) -> dict:
        async with self.lock:
            if self.current is None:
                self.current, self.spare = self.spare or asyncio.ensure_future(Worker.start()), None
            if self.spare is None:
                self.spare = asyncio.ensure_future(Worker.start())
            worker = await self.current
            try:
                return await asyncio.wait_for(worker.ask(request), timeout)
            except BaseException:
                worker.end()
                self.current = None
                raise

    def end(self) -> None:
        for task in (self.current, self.spare):
            if task is not None and task.done() and not task.cancelled() and task.exception() is None:
                task.result().end()
            elif task is not None:
                task.cancel()


class IacguardServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("iacguard", __version__)
        self.workers = Workers()
        self.pending: dict[str, asyncio.Task] = {}
        self.results: dict[str, tuple[int | None, dict]] = {}  # uri -> (document version, analysis)

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse the document after `delay`, cancelling what was pending for it."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.ensure_future(self.analyse(uri, delay))

    async def analyse(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        if uris.to_fs_path(uri) is None:
            return
        version = self.workspace.get_text_document(uri).version
        try:
            answer = await self.workers.ask(self.request(uri))
        except asyncio.TimeoutError:
            answer = {"result": _incomplete(f"analysis stopped after {ANALYSIS_SECONDS:g} s; the file was not fully checked")}
        except ConnectionError as error:
            answer = {"result": _incomplete(f"analysis failed: {error}")}
        if "error" in answer:  # shown, never a silently clean file
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"iacguard: {answer['error']}"))
            answer = {"result": _incomplete(f"internal error while checking the file: {answer['error']}", INTERNAL_ERROR)}
        self.results[uri] = (version, answer["result"])
        diagnostics = [_CONVERTER.structure(item, types.Diagnostic) for item in answer["result"]["diagnostics"]]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def request(self, uri: str) -> dict:
        """What the worker is asked about the document: its path, its text, and the
        innermost workspace folder holding it (`initialize`'s workspaceFolders, or
        its rootUri), the root of a file outside a git work tree."""
        path = uris.to_fs_path(uri)
        folders = [uris.to_fs_path(folder.uri) for folder in self.workspace.folders.values()] or [self.workspace.root_path]
        holding = [folder for folder in folders if folder and (path == folder or path.startswith(os.path.join(folder, "")))]
        return {"path": path, "text": self.workspace.get_text_document(uri).source, "workspace": max(holding, key=len, default=None)}

    def current(self, uri: str) -> dict | None:
        """The analysis of the document as it stands now, if there is one."""
        version, result = self.results.get(uri, (None, None))
        if result is None or version != self.workspace.get_text_document(uri).version:
            return None
        return result

    async def reload(self) -> None:
        """Configuration or files on disk changed: forget and analyse again."""
        try:
            await self.workers.ask({"forget": True})
        except (asyncio.TimeoutError, ConnectionError):
            pass
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)


def _incomplete(message: str, code: str = BUDGET_EXCEEDED) -> dict:
    """An analysis that did not complete, said on the file's first line."""
    start = {"line": 0, "character": 0}
    return {"diagnostics": [{"range": {"start": start, "end": start}, "severity": 1, "code": code, "source": "iacguard", "message": message}],
            "actions": [], "docs": {}}


def _overlaps(first: dict, second: types.Range) -> bool:
    start, end = first["start"], first["end"]
    return (start["line"], start["character"]) <= (second.end.line, second.end.character) and (second.start.line, second.start.character) <= (end["line"], end["character"])


def _contains(rng: dict, position: types.Position) -> bool:
    start, end = rng["start"], rng["end"]
    return (start["line"], start["character"]) <= (position.line, position.character) <= (end["line"], end["character"])


def build_server() -> IacguardServer:
    server = IacguardServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: IacguardServer, params: types.InitializedParams) -> None:
        watching = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watching and watching.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=[types.FileSystemWatcher(glob_pattern=WATCHED)])
            await ls.client_register_capability_async(types.RegistrationParams(
                registrations=[types.Registration(id="iacguard-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: IacguardServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: IacguardServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: IacguardServer, params: types.DidSaveTextDocumentParams) -> None:
        """A saved configuration is read again at once: a client that does not watch
        files for the server sends no didChangeWatchedFiles."""
        uri = params.text_document.uri
        if os.path.basename(uris.to_fs_path(uri) or "") in CONFIG_FILES:
            await ls.reload()
        else:
            ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: IacguardServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.results.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: IacguardServer, params: types.DidChangeConfigurationParams) -> None:
        await ls.reload()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: IacguardServer, params: types.DidChangeWatchedFilesParams) -> None:
        await ls.reload()

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    async def code_action(ls: IacguardServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        result = ls.current(uri)
        if result is None:
            return []
        document = ls.workspace.get_text_document(uri)
        version, request = document.version, {**ls.request(uri), "fix_lines": [params.range.start.line, params.range.end.line]}
        try:
            answer = await ls.workers.ask(request)
        except (asyncio.TimeoutError, ConnectionError):
            answer = {"result": []}
        fixes = (answer.get("result") or []) if version == document.version else []  # an edit since: the fixes are for another text
        actions = []
        for action in [*fixes, *result["actions"]]:
            if not any(_overlaps(diagnostic["range"], params.range) for diagnostic in action["diagnostics"]):
                continue
            shaped: dict[str, Any] = {**action, "edit": {"changes": {uri: action["edit"]}}}
            actions.append(_CONVERTER.structure(shaped, types.CodeAction))
        return actions

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: IacguardServer, params: types.HoverParams) -> types.Hover | None:
        result = ls.current(params.text_document.uri)
        if result is None:
            return None
        codes = dict.fromkeys(d["code"] for d in result["diagnostics"] if _contains(d["range"], params.position) and d["code"] in result["docs"])
        if not codes:
            return None
        text = "\n\n---\n\n".join(result["docs"][code] for code in codes)
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: IacguardServer, params: Any) -> None:
        for task in ls.pending.values():
            task.cancel()
        ls.workers.end()

    return server


def main() -> int:
    server = build_server()
    try:
        server.start_io()
    finally:
        server.workers.end()
    return 0
