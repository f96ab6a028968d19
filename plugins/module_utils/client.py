# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Transport, auth and errors: the one path every request to Mist takes."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json as _json
import random
import re
import time
import traceback
from email.utils import parsedate_tz, mktime_tz

from ansible_collections.mistio.cloud.plugins.module_utils.providers import wire_secret_fields

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'mistio.cloud/%s (ansible)' % COLLECTION_VERSION
API_VERSIONS = ('auto', 'backends', 'clouds')
RETRY_STATUSES = (429, 502, 503, 504)
MAX_RETRY_AFTER = 60
MAX_MESSAGE = 300
JITTER = 0.25

# api_version: auto is resolved once per process and url (the inventory
# plugin and several tasks in one run share it).
_DIALECT_CACHE = {}


def clear_dialect_cache():
    """Forget every detected dialect (tests; a server upgraded mid-run)."""
    _DIALECT_CACHE.clear()


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


class MistClient(object):
    """One Mist server: a requests.Session, auth, retries and dialect detection."""

    def __init__(self, url, api_token=None, email=None, password=None, api_version='auto', timeout=30,
                 validate_certs=True, ca_path=None, retries=3, backoff=0.5):
        if not HAS_REQUESTS:
            raise MistError('The Python library requests is needed to talk to Mist; install it where this runs.', kind='connection')
        if not re.match(r'^https?://[^/]', url or ''):
            raise MistError('url must start with https:// or http:// (got %r).' % (url,), kind='connection')
        if api_version not in API_VERSIONS:
            raise MistError('api_version must be one of %s (got %r).' % (', '.join(API_VERSIONS), api_version), kind='not_mist')
        if password and not email:
            raise MistError('password needs email to log in to Mist.', kind='auth')
        # A url copied from the API docs often ends in /api/v1; the dialects add it.
        self.url = re.sub(r'/api/v1/?$', '', url.rstrip('/'))
        self.api_version = api_version
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.session = requests.Session()
        self.session.headers.update({'User-Agent': USER_AGENT, 'Accept': 'application/json'})
        self.session.verify = (ca_path or True) if validate_certs else False
        self._token = api_token or None
        self._email = email or None
        self._password = password or None
        self._login_done = False
        self._dialect_name = None if api_version == 'auto' else api_version
        self._dialect = None
        self._prefetched = {}
        # Injectable so tests can capture the retry schedule.
        self._sleep = time.sleep
        self._random = random.random

    @classmethod
    def from_options(cls, options):
        """A client from module params / plugin options named as in connection_argument_spec."""
        keys = ('api_token', 'email', 'password', 'api_version', 'timeout', 'validate_certs', 'ca_path', 'retries')
        kwargs = dict((key, options[key]) for key in keys if options.get(key) is not None)
        return cls(options.get('url'), **kwargs)

    def allow_parallel(self, workers):
        """Keep one pooled connection per worker thread (requests keeps 10 per host by default)."""
        if workers > 10:
            adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=workers)
            self.session.mount('http://', adapter)
            self.session.mount('https://', adapter)

    # Dialect -------------------------------------------------------------

    @property
    def dialect_name(self):
        """'backends' or 'clouds'; api_version auto probes the server once per process."""
        if self._dialect_name is None:
            cached = _DIALECT_CACHE.get(self.url)
            if cached is None:
                cached = self._detect_dialect()
                _DIALECT_CACHE[self.url] = cached
            self._dialect_name = cached
        return self._dialect_name

    @property
    def dialect(self):
        """The dialect object (BackendsDialect or CloudsDialect) for this server."""
        if self._dialect is None:
            # Imported here because dialects import this module.
            from ansible_collections.mistio.cloud.plugins.module_utils.dialects import dialect_for
            self._dialect = dialect_for(self.dialect_name, self)
        return self._dialect

    def _detect_dialect(self):
        ping = self._send('GET', '/api/v1/ping', None, True, self._auth_header('clouds'))
        if ping.status_code in (200, 401, 403) and not _looks_html(ping.text):
            return 'clouds'
        if ping.status_code >= 500:
            self._parse(ping, 'GET', '/api/v1/ping')
        if ping.status_code != 404:
            raise self._not_mist('GET /api/v1/ping answered %s' % _describe(ping))
        listing = self._send('GET', '/backends', None, True, self._auth_header('backends'))
        if listing.status_code in (401, 403) and not _looks_html(listing.text):
            return 'backends'
        data = None
        if listing.status_code == 200:
            data = self._parse_json(listing.text)
        if not isinstance(data, list):
            raise self._not_mist('GET /api/v1/ping answered 404, GET /backends answered %s' % _describe(listing))
        # The probe already fetched the list: the first list_backends reuses it.
        self._prefetched[('GET', '/backends')] = data
        return 'backends'

    def _not_mist(self, what):
        return MistError('%s does not look like a Mist server (%s) — check url.' % (self.url, what), kind='not_mist')

    # Auth ----------------------------------------------------------------

    def _auth_header(self, dialect_name):
        if not self._token:
            return {}
        if dialect_name == 'backends' and self._email:
            return {'Authorization': 'mist_1 %s:%s' % (self._email, self._token)}
        return {'Authorization': self._token}

    def _login(self, dialect_name):
        """Mint a token from email + password, once per client."""
        if self._token or not self._password or self._login_done:
            return
        self._login_done = True
        body = {'email': self._email, 'password': self._password}
        if dialect_name == 'clouds':
            data, field = self._call('POST', '/api/v1/tokens', body, True, {}), 'token'
        else:
            try:
                data, field = self._call('POST', '/auth', body, True, {}), 'mist_api_token'
            except MistError as exc:
                if exc.status == 404:
                    return  # a standalone backends server has no login and needs none
                raise
        token = data.get(field) if isinstance(data, dict) else None
        if not token:
            raise MistError('Mist accepted the login of %s but returned no token.' % self._email, kind='auth')
        self._token = token

    # Requests ------------------------------------------------------------

    def request(self, method, path, json=None, retry=True):
        """Send one API request; return parsed JSON, text, or None for an empty body.

        retry=False for requests that must not be repeated blindly (adds).
        Raises MistError.
        """
        dialect_name = self.dialect_name
        self._login(dialect_name)
        if method == 'GET' and (method, path) in self._prefetched:
            return self._prefetched.pop((method, path))
        return self._call(method, path, json, retry, self._auth_header(dialect_name))

    def _call(self, method, path, body, retry, headers):
        response = self._send(method, path, body, retry, headers)
        return self._parse(response, method, path, body)

    def _send(self, method, path, body, retry, headers):
        attempt = 0
        while True:
            try:
                response = self.session.request(method, self.url + path, json=body, headers=headers, timeout=self.timeout)
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

    def _secrets(self, body):
        values = [self._token, self._password]
        if isinstance(body, dict):
            values.extend(body.get(key) for key in wire_secret_fields())
        return [str(v) for v in values if v and len(str(v)) >= 4]

    def _redact(self, text, body=None):
        for secret in self._secrets(body):
            text = text.replace(secret, '********')
        return text

    def _parse_json(self, text):
        try:
            return _json.loads(text)
        except ValueError:
            return None

    def _parse(self, response, method, path, body=None):
        text = response.text or ''
        if response.status_code >= 400:
            raise self._http_error(response, method, path, body)
        if _looks_html(text):
            raise MistError('%s does not look like a Mist server (HTML page returned for %s %s).' % (self.url, method, path),
                            status=response.status_code, method=method, path=path, kind='html')
        if not text.strip():
            return None
        data = self._parse_json(text)
        return text.strip() if data is None else data

    def _http_error(self, response, method, path, body):
        status = response.status_code
        request = '%s %s' % (method, path)
        ambiguous = status >= 500
        if _looks_html(response.text):
            if status >= 500:
                sentence = '%s returned an HTML error page (%s) for %s — a proxy or web server answered, not the Mist API.' % (self.url, status, request)
            else:
                sentence = '%s does not look like a Mist server (HTML page returned for %s, status %s).' % (self.url, request, status)
            return MistError(sentence, status=status, method=method, path=path, kind='html', ambiguous=ambiguous)
        message = self._redact(_trim(response.text), body) or _trim(response.reason)
        kind = 'http'
        if status in (401, 403) and 'credentials' not in message.lower():
            kind = 'auth'
            hint = ' — check email and password' if path in ('/auth', '/api/v1/tokens') else ' — check api_token (or email and password)'
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


def _describe(response):
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
