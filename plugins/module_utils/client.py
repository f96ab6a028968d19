# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Transport: HTTP, TLS, retries, redaction and errors; the one path every request to Mist takes.

Layer 1 of module_utils (see README "Adding a provider / an era / a module"):
it imports nothing of this collection. Dialect detection, login and auth
headers moved to dialects.py; the connection options to connection.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json as _json
import random
import re
import time
import traceback
from email.utils import parsedate_tz, mktime_tz

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'mistio.cloud/%s (ansible)' % COLLECTION_VERSION
RETRY_STATUSES = (429, 502, 503, 504)
MAX_RETRY_AFTER = 60
MAX_MESSAGE = 300
JITTER = 0.25


class MistError(Exception):
    """A request to Mist failed. str() is a sentence a person can act on.

    status: HTTP status or None; message: the server's text, trimmed;
    method, path: the request (never its body); kind: http, connection,
    timeout, tls, not_mist, html, auth (or unsupported); ambiguous: the
    request may have been processed (sent, then timeout, drop or 5xx).
    """

    def __init__(self, sentence, status=None, message=None, method=None, path=None, kind='http', ambiguous=False):
        super(MistError, self).__init__(sentence)
        self.sentence = sentence
        self.status = status
        self.message = message
        self.method = method
        self.path = path
        self.kind = kind
        self.ambiguous = ambiguous

    def __str__(self):
        return self.sentence

    def details(self):
        """The attributes as a dict, for a module result."""
        return {'status': self.status, 'kind': self.kind, 'method': self.method, 'path': self.path, 'ambiguous': self.ambiguous}


class NotSupported(MistError):
    """The server's dialect has no way to do what was asked."""

    def __init__(self, sentence):
        super(NotSupported, self).__init__(sentence, kind='unsupported')


def _trim(text):
    text = re.sub(r'\s+', ' ', str(text or '')).strip()
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE - 3] + '...'
    return text


def _looks_html(text):
    start = (text or '').lstrip()[:200].lower()
    return start.startswith('<!doctype html') or start.startswith('<html') or '<body' in start or '<head' in start


def _parse_retry_after(value):
    """Seconds from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    parsed = parsedate_tz(value)
    if parsed is None:
        return None
    return max(0.0, mktime_tz(parsed) - time.time())


class Transport(object):
    """HTTP to one Mist server: a requests.Session, TLS, retries, redaction, errors.

    It knows nothing of Mist's resources, providers or dialects: the dialect
    layer (dialects.py) builds the paths, bodies and auth headers, and tells
    it which values are secrets (add_secret, request(secrets=...)).
    """

    def __init__(self, url, timeout=30, validate_certs=True, ca_path=None, retries=3, backoff=0.5):
        if not HAS_REQUESTS:
            raise MistError('The Python library requests is needed to talk to Mist; install it where this runs.', kind='connection')
        if not re.match(r'^https?://[^/]', url or ''):
            raise MistError('url must start with https:// or http:// (got %r).' % (url,), kind='connection')
        # A url copied from the API docs often ends in /api/v1; the dialects add it.
        self.url = re.sub(r'/api/v1/?$', '', url.rstrip('/'))
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.session = requests.Session()
        self.session.headers.update({'User-Agent': USER_AGENT, 'Accept': 'application/json'})
        self.session.verify = (ca_path or True) if validate_certs else False
        self._secrets = []
        # Injectable so tests can capture the retry schedule.
        self._sleep = time.sleep
        self._random = random.random

    def add_secret(self, value):
        """A value (token, password) that must never reach a message."""
        if value and len(str(value)) >= 4:
            self._secrets.append(str(value))

    def allow_parallel(self, workers):
        """Keep one pooled connection per worker thread (requests keeps 10 per host by default)."""
        if workers > 10:
            adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=workers)
            self.session.mount('http://', adapter)
            self.session.mount('https://', adapter)

    def not_mist(self, what):
        """The error for a server that does not answer like Mist."""
        return MistError('%s does not look like a Mist server (%s) — check url.' % (self.url, what), kind='not_mist')

    # Requests ------------------------------------------------------------

    def request(self, method, path, json=None, retry=True, headers=None, secrets=(), login=False):
        """Send one request; return parsed JSON, text, or None for an empty body.

        retry=False for requests that must not be repeated blindly (adds).
        secrets: values in this request's body to keep out of any message.
        login: the request logs in (a 401 then points at email and password).
        Raises MistError.
        """
        response = self.send(method, path, json, retry, headers)
        return self.parse(response, method, path, secrets, login)

    def send(self, method, path, body=None, retry=True, headers=None):
        """The raw response (after retries); for probes that read the status themselves."""
        attempt = 0
        while True:
            try:
                response = self.session.request(method, self.url + path, json=body, headers=headers or {}, timeout=self.timeout)
            except requests.exceptions.RequestException as exc:
                error = self._transport_error(exc, method, path)
                if not retry or attempt >= self.retries or error.kind not in ('connection', 'timeout'):
                    raise error
                delay = self._delay(attempt, None)
            else:
                if not retry or attempt >= self.retries or response.status_code not in RETRY_STATUSES:
                    return response
                delay = self._delay(attempt, response.headers.get('Retry-After'))
            self._sleep(delay)
            attempt += 1

    def _delay(self, attempt, retry_after):
        """Exponential backoff with up to 25% jitter; a server's Retry-After wins (capped)."""
        seconds = _parse_retry_after(retry_after)
        if seconds is not None:
            return min(seconds, MAX_RETRY_AFTER)
        base = self.backoff * (2 ** attempt)
        return base + base * JITTER * self._random()

    # Errors and parsing --------------------------------------------------

    def _redact(self, text, secrets=()):
        values = self._secrets + [str(v) for v in secrets or () if v and len(str(v)) >= 4]
        for secret in values:
            text = text.replace(secret, '********')
        return text

    def parse(self, response, method, path, secrets=(), login=False):
        """The answer's data (JSON, text or None); an error status or an HTML page raises MistError."""
        text = response.text or ''
        if response.status_code >= 400:
            raise self._http_error(response, method, path, secrets, login)
        if _looks_html(text):
            raise MistError('%s does not look like a Mist server (HTML page returned for %s %s).' % (self.url, method, path),
                            status=response.status_code, method=method, path=path, kind='html')
        if not text.strip():
            return None
        data = parse_json(text)
        return text.strip() if data is None else data

    def _http_error(self, response, method, path, secrets, login):
        status = response.status_code
        request = '%s %s' % (method, path)
        ambiguous = status >= 500
        if _looks_html(response.text):
            if status >= 500:
                sentence = '%s returned an HTML error page (%s) for %s — a proxy or web server answered, not the Mist API.' % (self.url, status, request)
            else:
                sentence = '%s does not look like a Mist server (HTML page returned for %s, status %s).' % (self.url, request, status)
            return MistError(sentence, status=status, method=method, path=path, kind='html', ambiguous=ambiguous)
        message = self._redact(_trim(response.text), secrets) or _trim(response.reason)
        kind = 'http'
        if status in (401, 403) and 'credentials' not in message.lower():
            kind = 'auth'
            hint = ' — check email and password' if login else ' — check api_token (or email and password)'
            sentence = 'Mist rejected the request %s (%s %s)%s.' % (request, status, message, hint)
        elif ambiguous:
            sentence = 'Mist failed the request %s (%s %s); it may have been processed.' % (request, status, message)
        else:
            sentence = 'Mist rejected the request %s (%s %s)' % (request, status, message)
        return MistError(sentence, status=status, message=message, method=method, path=path, kind=kind, ambiguous=ambiguous)

    def _transport_error(self, exc, method, path):
        request = '%s %s' % (method, path)
        text = str(exc)
        if isinstance(exc, requests.exceptions.SSLError):
            return MistError('TLS verification failed for %s: %s — set ca_path or validate_certs: false.' % (self.url, _tls_reason(text)),
                             method=method, path=path, kind='tls')
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return MistError('Timed out after %ss connecting to %s for %s — check url.' % (self.timeout, self.url, request),
                             method=method, path=path, kind='timeout')
        if isinstance(exc, requests.exceptions.Timeout):
            return MistError('Timed out after %ss waiting for %s from %s; it may have been processed.' % (self.timeout, request, self.url),
                             method=method, path=path, kind='timeout', ambiguous=True)
        reason, ambiguous = _connection_reason(text)
        if ambiguous:
            sentence = 'Mist at %s dropped the connection during %s (%s); it may have been processed.' % (self.url, request, reason)
        else:
            sentence = 'Cannot reach Mist at %s: %s — check url.' % (self.url, reason)
        return MistError(self._redact(sentence), method=method, path=path, kind='connection', ambiguous=ambiguous)


def parse_json(text):
    """JSON from text, or None when it is not JSON."""
    try:
        return _json.loads(text)
    except ValueError:
        return None


def looks_html(text):
    """Whether a body is an HTML page (a proxy, a web site or a UI, never the API)."""
    return _looks_html(text)


def describe(response):
    """A response's status for a message, saying when it was an HTML page."""
    if _looks_html(response.text):
        return '%s with an HTML page' % response.status_code
    return str(response.status_code)


def _tls_reason(text):
    match = re.search(r'certificate verify failed:? ?([^()\'"]*)', text)
    if match:
        return ('certificate verify failed: ' + match.group(1)).strip(' :')
    if "doesn't match" in text or 'hostname' in text.lower():
        return 'the certificate does not match the host name'
    return _trim(text)


def _connection_reason(text):
    """(reason, ambiguous): a refused or unresolved connection never reached Mist."""
    lowered = text.lower()
    if 'refused' in lowered:
        return 'connection refused', False
    if 'name or service not known' in lowered or 'nodename nor servname' in lowered or 'resolve' in lowered \
            or 'getaddrinfo' in lowered or 'no address associated' in lowered:
        return 'host name not found', False
    if 'newconnectionerror' in lowered or 'unreachable' in lowered:
        return 'cannot connect', False
    if 'remotedisconnected' in lowered or 'aborted' in lowered or 'reset' in lowered:
        return 'connection closed by the server', True
    return _trim(text), True
