# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test-only admin interface under /_mistsim/ (no auth, never in the request log).

POST   /_mistsim/reset      empty both stores (users, tokens and keys stay)
POST   /_mistsim/seed       apply a seed document on top (see seed.py) -> {"backends": [ids], "clouds": [ids]}
GET    /_mistsim/state      everything, secrets and soft-deleted clouds included
GET    /_mistsim/era        the era each dialect speaks: {"backends": "B1", "clouds": "C3"}
POST   /_mistsim/latency    {"seconds": 0.1, "method": "GET", "path": "^/backends$"}; {} or seconds 0 clears
GET    /_mistsim/latency    the current rule (or null); DELETE clears
POST   /_mistsim/faults     add a fault rule (below) -> the rule; GET lists them; DELETE clears all
GET    /_mistsim/requests   the request log; DELETE clears it

A fault rule: {"method": optional, "path": optional regex (full match on the path
without query), "count": optional (default: until cleared), "action": ...}:
  "status" (the default): answer {"status", "body" (default: the reason phrase),
      "content_type" (default text/plain), "retry_after" (-> Retry-After)} without
      touching state;
  "drop_before": close the connection without processing nor answering;
  "drop_after": process (commit) then close the connection without answering;
  "delay_after": process (commit), sleep "seconds", then answer;
  "exit_after": process (commit), then the whole process exits (code 3) without answering, as a
      server that crashes or restarts after a commit; start it again on the same --db and --port.
The first matching rule with count left applies to a request.
"""

import collections
import http
import re
import threading

from mistsim import seed as seeding
from mistsim.web import HttpError, json_response, ok

ACTIONS = ('status', 'drop_before', 'drop_after', 'delay_after', 'exit_after')
PREFIX = '/_mistsim/'


def _number(doc, key, default=None):
    value = doc.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise HttpError(400, 'Bad Request: "%s" must be a number >= 0' % key)
    return value


def _matcher(doc):
    method, path = doc.get('method'), doc.get('path')
    if method is not None and not isinstance(method, str):
        raise HttpError(400, 'Bad Request: "method" must be a string')
    try:
        regex = re.compile(path) if path is not None else None
    except (re.error, TypeError) as exc:
        raise HttpError(400, 'Bad Request: invalid "path" regex: %s' % exc) from None
    return (method.upper() if method else None), path, regex


def _matches(rule, method, path):
    return (rule['method'] is None or rule['method'] == method) and (
        rule['regex'] is None or rule['regex'].fullmatch(path) is not None)


def _public(rule):
    return dict((key, value) for key, value in rule.items() if key != 'regex')


class Control:
    """Faults, latency and the request log (in memory, not persisted)."""

    def __init__(self, log_size=100000):
        self._lock = threading.Lock()
        self._faults = []
        self._next = 1
        self._latency = None
        self._log = collections.deque(maxlen=log_size)

    def add_fault(self, doc):
        action = doc.get('action', 'status')
        if action not in ACTIONS:
            raise HttpError(400, 'Bad Request: "action" must be one of %s' % list(ACTIONS))
        method, path, regex = _matcher(doc)
        count = doc.get('count')
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
            raise HttpError(400, 'Bad Request: "count" must be an integer >= 1')
        rule = {'action': action, 'method': method, 'path': path, 'regex': regex, 'count': count}
        if action == 'status':
            status = doc.get('status')
            if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599:
                raise HttpError(400, 'Bad Request: "status" must be an HTTP status code')
            try:
                phrase = http.HTTPStatus(status).phrase
            except ValueError:
                phrase = 'Error'
            rule.update(status=status, body=str(doc.get('body', phrase)),
                        content_type=str(doc.get('content_type', 'text/plain; charset=UTF-8')),
                        retry_after=None if doc.get('retry_after') is None else str(doc['retry_after']))
        elif action == 'delay_after':
            rule['seconds'] = _number(doc, 'seconds')
        with self._lock:
            rule['id'] = self._next
            self._next += 1
            self._faults.append(rule)
        return _public(rule)

    def take_fault(self, method, path):
        with self._lock:
            for rule in self._faults:
                if _matches(rule, method, path):
                    if rule['count'] is not None:
                        rule['count'] -= 1
                        if rule['count'] == 0:
                            self._faults.remove(rule)
                    return dict(rule)
        return None

    def faults(self):
        with self._lock:
            return [_public(rule) for rule in self._faults]

    def clear_faults(self):
        with self._lock:
            self._faults = []

    def set_latency(self, doc):
        seconds = _number(doc, 'seconds', 0) if doc else 0
        method, path, regex = _matcher(doc or {})
        with self._lock:
            self._latency = {'seconds': seconds, 'method': method, 'path': path, 'regex': regex} if seconds else None
            return _public(self._latency) if self._latency else None

    def latency(self):
        with self._lock:
            return _public(self._latency) if self._latency else None

    def latency_for(self, method, path):
        with self._lock:
            rule = self._latency
        return rule['seconds'] if rule and _matches(rule, method, path) else 0

    def record(self, entry):
        with self._lock:
            self._log.append(entry)

    def requests(self):
        with self._lock:
            return list(self._log)

    def clear_requests(self):
        with self._lock:
            self._log.clear()


def _body(req):
    try:
        return req.json_object()
    except ValueError:
        raise HttpError(400, 'Bad Request: the body must be a JSON object') from None


def _ok_after(action, *args):
    action(*args)
    return ok()


def handle(app, req):
    """Answer an admin request (path starts with /_mistsim/)."""
    control = app.control
    name = req.path[len(PREFIX):]
    routes = {
        ('POST', 'reset'): lambda: _ok_after(app.store.reset),
        ('POST', 'seed'): lambda: json_response(_seed(app, req)),
        ('GET', 'state'): lambda: json_response(app.store.dump()),
        ('GET', 'era'): lambda: json_response(app.eras),
        ('POST', 'latency'): lambda: json_response(control.set_latency(_body(req))),
        ('GET', 'latency'): lambda: json_response(control.latency()),
        ('DELETE', 'latency'): lambda: _ok_after(control.set_latency, {}),
        ('POST', 'faults'): lambda: json_response(control.add_fault(_body(req))),
        ('GET', 'faults'): lambda: json_response(control.faults()),
        ('DELETE', 'faults'): lambda: _ok_after(control.clear_faults),
        ('GET', 'requests'): lambda: json_response(control.requests()),
        ('DELETE', 'requests'): lambda: _ok_after(control.clear_requests),
    }
    action = routes.get((req.method, name))
    if action is None:
        if any(path == name for _method, path in routes):
            raise HttpError(405, 'Method Not Allowed')
        raise HttpError(404, 'Not Found')
    return action()


def _seed(app, req):
    try:
        return seeding.apply(app, _body(req))
    except seeding.SeedError as exc:
        raise HttpError(400, 'Bad Request: %s' % exc) from None
