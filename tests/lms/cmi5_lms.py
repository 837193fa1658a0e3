"""A cmi5 LMS for the browser tests: a real LRS (Ralph, from PyPI) behind a small loopback LMS.

Ralph stores and validates the xAPI statements. What cmi5 asks of the LMS and Ralph does not do
is the stub's part, kept as small as cmi5 allows: it serves the unpacked package, hands out each
launch's token once at its fetch URL, keeps the State API documents (LMS.LaunchData and what the AU
saves), and passes /xapi/statements on to Ralph after checking the AU's token. Everything listens
on 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest

LRS_USER, LRS_PASSWORD = "lms", "loopback-only"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
LAUNCHED = "http://adlnet.gov/expapi/verbs/launched"
RETURN_PATH = "/returned"
"""The LMS page an AU goes back to after it exits (LaunchData returnURL)."""


RALPH_SERVER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""
"""Ralph's API on its file-system backend. That backend (Ralph's own, for development) writes with
CREATE by default, which refuses a second write to its one file; APPEND, also Ralph's, stores each
request after the last. Nothing else of Ralph is changed."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Ralph:
    """Ralph's LRS API (uvicorn, file-system backend) in a child process on a loopback port."""

    def __init__(self, folder: Path) -> None:
        try:
            import bcrypt
            import uvicorn  # noqa: F401  (ralph-malph[lrs] brings it; say so here rather than in a child's log)
        except ImportError as err:
            pytest.fail(f"the LRS for the cmi5 tests is not installed ({err}); run: pip install -e '.[test]'")
        folder.mkdir(parents=True, exist_ok=True)
        auth = folder / "auth.json"
        auth.write_text(json.dumps([{
            "username": LRS_USER, "hash": bcrypt.hashpw(LRS_PASSWORD.encode(), bcrypt.gensalt()).decode(),
            "scopes": ["all"], "agent": {"account": {"homePage": "http://127.0.0.1", "name": "lms"}, "objectType": "Agent"},
        }]))
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/xAPI/"
        env = {**os.environ, "RALPH_APP_DIR": str(folder), "RALPH_AUTH_FILE": str(auth), "RALPH_RUNSERVER_BACKEND": "fs",
               "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder), "SENTRY_DSN": ""}
        self.log = (folder / "ralph.log").open("w")
        self.process = subprocess.Popen([sys.executable, "-c", RALPH_SERVER, str(self.port)], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self._wait_until_up(folder)

    def _wait_until_up(self, folder: Path) -> None:
        for _ in range(300):
            if self.process.poll() is not None:
                pytest.fail(f"Ralph stopped at start-up: {(folder / 'ralph.log').read_text()[-2000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__lbheartbeat__", timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail("Ralph did not answer on its port within 30 s")

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        credentials = base64.b64encode(f"{LRS_USER}:{LRS_PASSWORD}".encode()).decode()
        request = urllib.request.Request(self.base + path, data=body, method=method, headers={
            "Authorization": f"Basic {credentials}", "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def statements(self, registration: str) -> list[dict[str, Any]]:
        """Every statement of one registration the LRS holds (in no particular order: one request's share a time)."""
        status, body = self.request("GET", "statements?" + urlencode({"registration": registration, "limit": 500}))
        assert status == 200, body
        return [s for s in json.loads(body)["statements"] if s.get("context", {}).get("registration") == registration]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.log.close()


@dataclass
class Launch:
    """One launch of an AU, as a cmi5 LMS prepares it."""

    url: str
    registration: str
    session_id: str
    token: str


@dataclass
class StubState:
    package: Path
    ralph: Ralph
    tokens: dict[str, str] = field(default_factory=dict)  # fetch id -> token, until fetched
    valid_tokens: set[str] = field(default_factory=set)
    fetches: list[str] = field(default_factory=list)
    documents: dict[tuple[str, str, str, str], bytes] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # statement ids in the order they reached the LRS
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    state: StubState

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests assert on `StubState.log`."""

    def _reply(self, status: int, body: bytes = b"", content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        ok = header.startswith("Basic ") and header[6:] in self.state.valid_tokens
        ok = ok and self.headers.get("X-Experience-API-Version", "").startswith("1.0")
        if not ok:
            self._reply(401, b'{"error": "no valid cmi5 token or xAPI version header"}')
        return ok

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path.startswith("/pkg/"):
            self._serve_file(unquote(url.path[len("/pkg/"):]))
        elif url.path == "/xapi/activities/state":
            self._state("GET", url.query)
        elif url.path == RETURN_PATH:
            with self.state.lock:
                self.state.log.append(f"GET {RETURN_PATH}")
            self._reply(200, b"<!DOCTYPE html><title>Back in the LMS</title><p>Back in the LMS.</p>", "text/html")
        else:
            self._reply(404)

    def do_PUT(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/xapi/activities/state":
            self._state("PUT", url.query)
        else:
            self._reply(404)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path.startswith("/fetch/"):
            self._fetch(url.path[len("/fetch/"):])
        elif url.path == "/xapi/statements" and self._authorised():
            body = self._body()
            with self.state.lock:  # held while Ralph stores them, so `sent` is the order the LRS received them in
                batch = json.loads(body)
                self.state.log.append(f"POST statements {[s['verb']['id'].rsplit('/', 1)[-1] for s in batch]}")
                status, answer = self.state.ralph.request("POST", "statements", body)
                if status == 200:
                    self.state.sent += [s["id"] for s in batch]
            self._reply(status, answer)
        elif url.path != "/xapi/statements":
            self._reply(404)

    def _serve_file(self, relative: str) -> None:
        path = (self.state.package / relative).resolve()
        if not path.is_relative_to(self.state.package.resolve()) or not path.is_file():
            self._reply(404)
            return
        types = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
                 ".png": "image/png", ".ttf": "font/ttf"}
        self._reply(200, path.read_bytes(), types.get(path.suffix, "application/octet-stream"))

    def _fetch(self, fetch_id: str) -> None:
        with self.state.lock:
            self.state.fetches.append(fetch_id)
            token = self.state.tokens.pop(fetch_id, None)
            self.state.log.append(f"POST fetch {fetch_id}")
        if token is None:  # cmi5: a second request to the same fetch URL gets an error, not the token again
            self._reply(200, json.dumps({"error-code": "1", "error-text": "token already fetched"}).encode())
        else:
            self._reply(200, json.dumps({"auth-token": token}).encode())

    def _state(self, method: str, query: str) -> None:
        if not self._authorised():
            return
        params = {k: v[0] for k, v in parse_qs(query).items()}
        key = (params.get("stateId", ""), params.get("activityId", ""), params.get("agent", ""), params.get("registration", ""))
        with self.state.lock:
            self.state.log.append(f"{method} state {key[0]}")
            if method == "PUT":
                self.state.documents[key] = self._body()
                self._reply(204)
                return
            document = self.state.documents.get(key)
        if document is None:
            self._reply(404)
        else:
            self._reply(200, document)


class Cmi5Lms:
    """http://127.0.0.1:<port>/: /pkg/ (the unpacked package), /fetch/<id>, /xapi/ (State API here, statements to Ralph)."""

    def __init__(self, package: Path, ralph: Ralph) -> None:
        self.state = StubState(package, ralph)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.ralph = ralph

    def launch(self, au: dict[str, Any], actor: dict[str, Any], registration: str | None = None,
               mode: str = "Normal", return_url: str | None = None) -> Launch:
        """Do what an LMS does before it opens an AU: LaunchData in the State API, "launched", a one-time token.

        `return_url` is the returnURL of LaunchData: where the AU goes when the learner exits (RETURN_PATH here).
        """
        registration = registration or str(uuid.uuid4())
        session_id = str(uuid.uuid4())
        token, fetch_id = secrets.token_urlsafe(16), secrets.token_urlsafe(8)
        context_template = {"contextActivities": {"grouping": [{"id": au["id"], "objectType": "Activity"}]},
                            "extensions": {SESSION_ID: session_id}}
        launch_data = {"contextTemplate": context_template, "launchMode": mode, "launchMethod": "AnyWindow",
                       "moveOn": au["moveOn"], **({"masteryScore": au["masteryScore"]} if "masteryScore" in au else {}),
                       **({"returnURL": return_url} if return_url else {})}
        agent = json.dumps(actor, separators=(",", ":"))
        with self.state.lock:
            self.state.tokens[fetch_id] = token
            self.state.valid_tokens.add(token)
            self.state.documents[("LMS.LaunchData", au["id"], agent, registration)] = json.dumps(launch_data).encode()
        launched = {
            "id": str(uuid.uuid4()), "actor": actor, "verb": {"id": LAUNCHED, "display": {"en-US": "launched"}},
            "object": {"id": au["id"], "objectType": "Activity"},
            "context": {**json.loads(json.dumps(context_template)), "registration": registration,
                        "extensions": {SESSION_ID: session_id, "https://w3id.org/xapi/cmi5/context/extensions/launchmode": mode,
                                       "https://w3id.org/xapi/cmi5/context/extensions/moveon": au["moveOn"],
                                       "https://w3id.org/xapi/cmi5/context/extensions/launchurl": au["url"]}},
        }
        launched["context"]["contextActivities"]["category"] = [{"id": CMI5_CATEGORY}]
        with self.state.lock:
            status, body = self.ralph.request("POST", "statements", json.dumps(launched).encode())
            assert status == 200, body
            self.state.sent.append(launched["id"])
        query = urlencode({"endpoint": f"{self.base}/xapi/", "fetch": f"{self.base}/fetch/{fetch_id}", "actor": agent,
                           "registration": registration, "activityId": au["id"]})
        return Launch(f"{self.base}/pkg/{au['url']}?{query}", registration, session_id, token)

    def in_order_sent(self, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The LRS's statements in the order they reached it (every one must have come through here)."""
        order = {statement_id: n for n, statement_id in enumerate(self.state.sent)}
        assert all(s["id"] in order for s in statements), "the LRS holds statements that did not come from the AU or LMS"
        return sorted(statements, key=lambda s: order[s["id"]])

    def saved(self, au: dict[str, Any], actor: dict[str, Any], registration: str, state_id: str) -> dict[str, Any] | None:
        key = (state_id, au["id"], json.dumps(actor, separators=(",", ":")), registration)
        document = self.state.documents.get(key)
        return None if document is None else json.loads(document)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
