# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_module: a module's main() in-process, its result parsed (what ansible-playbook would get).

scripted: a loopback HTTP(S) server whose every answer a test writes (odd bodies, echoes, redirects, TLS).

    def test_x(scripted):
        server = scripted(lambda req: (200, {'Content-Type': 'application/json'}, b'[]'))
        ... talk to server.url ...
        server.requests  # [Request(method, path, headers, body)]

An answer is (status, headers, body bytes or str), or the string 'drop' to close the
connection without answering. tls=(certfile, keyfile) serves HTTPS.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import collections
import http.server
import json
import socket
import ssl
import threading

import pytest

from helpers import patch_module_args

Request = collections.namedtuple('Request', 'method path headers body')


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def _answer(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        request = Request(self.command, self.path, dict(self.headers.items()), body)
        self.server.requests.append(request)
        answer = self.server.answer(request)
        if answer == 'drop':
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        status, headers, payload = answer
        if isinstance(payload, str):
            payload = payload.encode('utf-8')
        self.send_response_only(status)
        headers = dict(headers or {})
        headers.setdefault('Content-Type', 'application/json')
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _answer  # noqa: N815

    def log_message(self, *args):
        pass


class ScriptedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer, tls=None):
        super(ScriptedServer, self).__init__(('127.0.0.1', 0), _Handler)
        self.answer = answer
        self.requests = []
        self.scheme = 'http'
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            self.socket = context.wrap_socket(self.socket, server_side=True)
            self.scheme = 'https'

    def handle_error(self, request, client_address):
        pass  # a client that gives up (TLS refused, timeout) is part of the tests

    @property
    def port(self):
        return self.server_address[1]

    @property
    def url(self):
        return '%s://127.0.0.1:%d' % (self.scheme, self.port)


@pytest.fixture
def scripted():
    """scripted(answer, tls=None) -> a started ScriptedServer (stopped after the test)."""
    servers = []

    def start(answer, tls=None):
        server = ScriptedServer(answer, tls)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class ModuleRun(object):
    """One in-process run: result (the parsed JSON), output (stdout + stderr), failed."""

    def __init__(self, result, output):
        self.result = result
        self.output = output
        self.failed = bool(result.get('failed'))
        self.changed = result.get('changed')


@pytest.fixture
def run_module(capsys):
    """run_module(main, args) -> ModuleRun; an exception that escapes main() propagates (a crash)."""

    def runner(main, args):
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                main()
        captured = capsys.readouterr()
        return ModuleRun(json.loads(captured.out), captured.out + captured.err)

    return runner
