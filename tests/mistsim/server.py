# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routing and the HTTP handler.

`MistSim` is the application (stores, both dialect APIs, admin control) and knows
nothing of sockets; `Handler` reads a request, applies latency and faults, asks the
application for a response, writes it and records it in the request log.
"""

import os
import re
import socket
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from mistsim import admin
from mistsim import eras as era_names
from mistsim.backends_api import BackendsApi
from mistsim.clouds_api import CloudsApi
from mistsim.resources_api import BackendResourcesApi, CloudResourcesApi
from mistsim.store import Store
from mistsim.web import HttpError, Request, plain, text

DIALECTS = ('backends', 'clouds')
DEFAULT_EMAIL = 'demo@mist.local'
DEFAULT_PASSWORD = 'demo-password'
DEFAULT_KEYS = ('mykey',)
MAX_BODY = 1024 * 1024          # larger bodies get a 413
MAX_DRAIN = 16 * 1024 * 1024    # read (and drop) up to this much before answering 413
WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')
LOGIN_PATHS = ('/auth', '/api/v1/tokens')
NOT_WRITES = LOGIN_PATHS + ('/api/v1/ping',)

# Every API class serves one dialect and declares its routes as
# (path regex, {method: handler name}, needs auth); a path parameter `id` and any
# other named group land in `req.params`. To add endpoints, write a class with
# DIALECT, ROUTES and __init__(store, era, machines_per_backend) in its own file
# and append it to APIS: the first class of a dialect also authenticates it.
APIS = [BackendsApi, CloudsApi, BackendResourcesApi, CloudResourcesApi]


def _compiled(apis):
    return [(api, re.compile(path), methods, auth) for api in apis for path, methods, auth in api.ROUTES]


class MistSim:
    """The application: both dialects over one SQLite file, plus the admin control."""

    def __init__(self, db=':memory:', dialects=DIALECTS, backends_auth=False, machines_per_backend=3,
                 users=None, tokens=(), eras=None):
        self.store = Store(db)
        self.dialects = frozenset(dialects)
        self.eras = era_names.parse(eras)
        self.backends_auth = backends_auth
        self.apis = dict((cls, cls(self.store, self.eras[cls.DIALECT], machines_per_backend)) for cls in APIS)
        self.routes = _compiled(APIS)
        self.auth = {}
        for cls in APIS:
            self.auth.setdefault(cls.DIALECT, self.apis[cls])
        self.backends = self.auth['backends']
        self.clouds = self.auth['clouds']
        self.control = admin.Control()
        users = list(users or [(DEFAULT_EMAIL, DEFAULT_PASSWORD)])
        self.default_email = users[0][0]
        with self.store.transaction():
            for email, password in users:
                self.store.add_user(email, password)
            for token in tokens:
                self.store.add_token(token, self.default_email, name='cli')
            for key in DEFAULT_KEYS:
                self.store.add_key(key)

    def close(self):
        self.store.close()

    def dialect_of(self, path):
        for cls, regex, _methods, _auth in self.routes:
            if regex.fullmatch(path):
                return cls.DIALECT
        return None

    def handle(self, req):
        """The response to a non-admin request; errors become plain-text bodies."""
        try:
            return self._route(req)
        except HttpError as exc:
            return exc.response()
        except Exception:  # a bug must still answer, never kill the thread silently
            traceback.print_exc(file=sys.stderr)
            return plain(500, 'Internal Server Error', html=True)   # both servers' exception view

    def _route(self, req):
        owner = self._owner(req.path)
        if owner and hasattr(self.auth[owner], 'before_routing'):
            self.auth[owner].before_routing(req)
        for cls, regex, methods, auth in self.routes:
            match = regex.fullmatch(req.path)
            # Neither server answers 405: a method a route lacks is pyramid's 404.
            if not match or cls.DIALECT not in self.dialects or req.method not in methods:
                continue
            req.params = match.groupdict()
            if auth and (cls.DIALECT == 'clouds' or self.backends_auth):
                self.auth[cls.DIALECT].authenticate(req)
            return getattr(self.apis[cls], methods[req.method])(req)
        raise self._not_found(req.path)

    def _owner(self, path):
        """The dialect a path belongs to: clouds under /api/ (and /version), else backends;
        a server speaking one dialect owns every path. None when that dialect is not served."""
        if self.dialects == frozenset(['clouds']):
            return 'clouds'
        if self.dialects == frozenset(['backends']):
            return 'backends'
        return 'clouds' if path in ('/api', '/version') or path.startswith('/api/') else 'backends'

    def _not_found(self, path):
        """The 404 of the server the path belongs to (mist.api's UI page, pyramid's page for mist.io)."""
        owner = self._owner(path)
        return type(self.auth[owner]).NOT_FOUND if owner else HttpError(404, 'Not Found')


class BodyTooLarge(Exception):
    pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    default_request_version = 'HTTP/1.0'  # answer garbage with a status line, not as HTTP/0.9
    server_version = 'mistsim'
    timeout = 60
    wbufsize = -1                   # headers and body leave in one write (see _send) ...
    disable_nagle_algorithm = True  # ... and at once: no 40 ms delayed-ACK stalls
    error_content_type = 'text/plain; charset=UTF-8'
    error_message_format = '%(message)s'

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write('%s - %s\n' % (self.address_string(), format % args))

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            return self._read_chunked()
        length = self.headers.get('Content-Length')
        if not length:
            return b''
        if not length.strip().isdigit():
            raise HttpError(400, 'Bad Request: Invalid Content-Length')
        length = int(length)
        if length > MAX_BODY:
            self.close_connection = True
            while 0 < length <= MAX_DRAIN:
                chunk = self.rfile.read(min(length, 65536))
                if not chunk:
                    break
                length -= len(chunk)
            raise BodyTooLarge()
        return self.rfile.read(length)

    def _read_chunked(self):
        body = b''
        while True:
            size_line = self.rfile.readline(1024).split(b';', 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                self.close_connection = True
                raise HttpError(400, 'Bad Request: Invalid chunked body') from None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return body
            if len(body) + size > MAX_BODY:
                self.close_connection = True
                raise BodyTooLarge()
            body += self.rfile.read(size)
            self.rfile.readline(1024)

    def _dispatch(self):
        app = self.server.app
        start = time.time()
        path, _sep, query = self.path.partition('?')
        method = self.command
        req = Request(method, path, query, dict(self.headers.items()))
        try:
            req.body = self._read_body()
        except BodyTooLarge:
            self._finish(req, start, text(413, 'Request Entity Too Large'))
            return
        except HttpError as exc:
            self._finish(req, start, text(exc.status, exc.message))
            return
        except OSError:
            self.close_connection = True
            return
        if path.startswith(admin.PREFIX):
            self._send(self._admin(req))
            return
        delay = app.control.latency_for(method, path)
        req.latency_ms = round(delay * 1000.0, 3)  # logged: tests check the rule, not the clock
        if delay:
            time.sleep(delay)
        fault = app.control.take_fault(method, path)
        action = fault['action'] if fault else None
        if action == 'drop_before':
            self._drop(req, start, fault)
            return
        if action == 'status':
            response = text(fault['status'], fault['body'])
            response.content_type = fault['content_type']
            if fault['retry_after'] is not None:
                response.headers['Retry-After'] = fault['retry_after']
        else:
            response = app.handle(req)
        if action == 'drop_after':
            self._drop(req, start, fault)
            return
        if action == 'exit_after':
            os._exit(3)  # the commit is on disk; the answer never leaves (a crash or restart)
        if action == 'delay_after':
            time.sleep(fault['seconds'])
        self._finish(req, start, response, fault)

    def _admin(self, req):
        try:
            return admin.handle(self.server.app, req)
        except HttpError as exc:
            return text(exc.status, exc.message)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return text(500, 'Internal Server Error')

    def _log(self, req, start, status, fault=None):
        login = req.method == 'POST' and req.path in LOGIN_PATHS
        self.server.app.control.record({
            'method': req.method, 'path': req.path, 'status': status, 'time': start,
            'duration_ms': round((time.time() - start) * 1000.0, 3), 'dialect': self.server.app.dialect_of(req.path),
            'write': req.method in WRITE_METHODS and req.path not in NOT_WRITES, 'login': login,
            'fault': fault['action'] if fault else None, 'latency_ms': getattr(req, 'latency_ms', 0)})

    def _finish(self, req, start, response, fault=None):
        self._log(req, start, response.status, fault)
        self._send(response)

    def _drop(self, req, start, fault):
        self._log(req, start, 0, fault)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, response):
        try:
            self.send_response(response.status)
            self.send_header('Content-Type', response.content_type)
            self.send_header('Content-Length', str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header('Connection', 'close')
            elif self.request_version == 'HTTP/1.0':
                # http.server kept an HTTP/1.0 connection open because the client sent
                # `Connection: keep-alive`; without saying so, the client (ab -k) waits for a close.
                self.send_header('Connection', 'keep-alive')
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:  # the client went away (timeout before a delayed answer)
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, app, verbose=False):
        super().__init__(address, Handler)
        self.app = app
        self.verbose = verbose

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)

    @property
    def url(self):
        host, port = self.server_address[:2]
        return 'http://%s:%d' % ('[%s]' % host if ':' in host else host, port)
