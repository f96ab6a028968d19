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
import os
import random
import re
import time
import traceback
import warnings
from email.utils import parsedate_tz, mktime_tz
from urllib.parse import urlsplit

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    HAS_REQUESTS = True
    # Requests that never left: bad input, not a network failure (never retried).
    UNSENDABLE = (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema,
                  requests.exceptions.MissingSchema)
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    UNSENDABLE = ()

COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'mistio.cloud/%s (ansible)' % COLLECTION_VERSION
RETRY_STATUSES = (429, 502, 503, 504)
MAX_RETRY_AFTER = 60
MAX_MESSAGE = 300
MAX_TIMEOUT = 86400
JITTER = 0.25
MASK = '********'
REDIRECTS = (301, 302, 303, 307, 308)
WRITES = ('POST', 'PUT', 'PATCH', 'DELETE')


def _may_be_done(method):
    """Where a request's fate is unknown, what a person must know: a write may have taken effect; a read changes nothing."""
    return '' if method in ('GET', 'HEAD') else '; it may have been processed'


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
        # Set by the transport: an earlier attempt of this request may have been processed
        # (so a 404 now can be the echo of this very request's success).
        self.after_ambiguous = False

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
    """Whitespace collapsed and cut to MAX_MESSAGE: only ever applied to text already redacted."""
    text = ' '.join(str(text or '').split())
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE - 3] + '...'
    return text


def secret_forms(value):
    """Every form in which a server can echo a secret, longest first.

    Raw and stripped; JSON-escaped (ASCII or not: a multi-line key, quotes, backslashes,
    control and non-ASCII characters); Python-repr escaped (a dict echoed in a 400, a
    header error); whitespace-collapsed; and each long line of a multi-line value.
    """
    value = str(value)
    collapsed = ' '.join(value.split())
    forms = set([value, value.strip(), collapsed, repr(value)[1:-1], _json.dumps(collapsed)[1:-1],
                 _json.dumps(value)[1:-1], _json.dumps(value, ensure_ascii=False)[1:-1]])
    forms.update(line.strip() for line in value.splitlines() if len(line.strip()) >= 8)
    return sorted((form for form in forms if len(form) >= 4), key=len, reverse=True)


def redact(text, secrets):
    """text with every form of every secret masked, then whitespace-collapsed and masked again.

    Redaction comes before any trimming, so no secret can be cut in half and survive.
    """
    forms = sorted(set(form for value in secrets if value for form in secret_forms(value)), key=len, reverse=True)
    text = str(text or '')
    for form in forms:
        text = text.replace(form, MASK)
    text = ' '.join(text.split())
    for form in sorted(set(' '.join(form.split()) for form in forms), key=len, reverse=True):
        text = text.replace(form, MASK)
    return text


def _looks_html(text):
    start = (text or '').lstrip()[:200].lower()
    return start.startswith('<!doctype html') or start.startswith('<html') or '<body' in start or '<head' in start


def _parse_retry_after(value):
    """Seconds from a Retry-After header (ASCII digits or an HTTP date), or None for anything else."""
    value = (value or '').strip()
    if re.match(r'^[0-9]{1,9}$', value):
        return float(value)
    try:
        parsed = parsedate_tz(value)
        return None if parsed is None else max(0.0, mktime_tz(parsed) - time.time())
    except (ValueError, OverflowError, TypeError, IndexError):
        return None


def _check_url(url):
    """A clear sentence for a url requests would choke on, else None."""
    if not isinstance(url, str) or not re.match(r'^https?://[^/]', url, re.IGNORECASE):
        return 'url must start with https:// or http:// (got %r).' % (url,)
    try:
        parts = urlsplit(url)
        parts.port  # pylint: disable=pointless-statement
    except ValueError as exc:
        return 'url %r is not a valid URL (%s).' % (url, exc)
    host = parts.hostname or ''
    if not host:
        return 'url %r has no host name.' % (url,)
    if not re.match(r'^[\x21-\x7e]+$', host):
        try:
            host = host.encode('idna').decode('ascii')
        except UnicodeError:
            return 'url %r has a host name that cannot be encoded (IDNA).' % (url,)
    if len(host) > 253 or any(len(label) > 63 for label in host.split('.')):
        return 'url %r has a host name with a label longer than 63 characters (or over 253 in all).' % (url,)
    return None


def _check_timeout(timeout):
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
        return 'timeout must be a number of seconds above 0 and at most %d (got %r).' % (MAX_TIMEOUT, timeout)
    return None


def header_safe(name, value):
    """A value that can go into an HTTP header, or MistError naming the option (never the value)."""
    if not re.match(r'^[\x20-\x7e\x80-\xff]*$', value) or not value.strip() == value:
        raise MistError('%s cannot be sent in an HTTP header: it has line breaks, control characters or characters '
                        'outside Latin-1 (check for a pasted line ending or a wrong value).' % name, kind='auth')
    return value


class Transport(object):
    """HTTP to one Mist server: a requests.Session, TLS, retries, redaction, errors.

    It knows nothing of Mist's resources, providers or dialects: the dialect
    layer (dialects.py) builds the paths, bodies and auth headers, and tells
    it which values are secrets (add_secret, request(secrets=...)).
    """

    def __init__(self, url, timeout=30, validate_certs=True, ca_path=None, retries=3, backoff=0.5):
        if not HAS_REQUESTS:
            raise MistError('The Python library requests is needed to talk to Mist; install it where this runs.', kind='connection')
        problem = _check_url(url) or _check_timeout(timeout)
        if problem:
            raise MistError(problem, kind='connection')
        if ca_path and not os.path.isfile(ca_path):
            raise MistError('ca_path %s does not exist or is not a file; give the PEM file of the CA that signed the '
                            "server's certificate." % ca_path, kind='tls')
        # A url copied from the API docs often ends in /api/v1; the dialects add it.
        self.url = re.sub(r'/api/v1/?$', '', url.rstrip('/'))
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.session = requests.Session()
        self.session.headers.update({'User-Agent': USER_AGENT, 'Accept': 'application/json'})
        # Passed with every request: requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override
        # session.verify, but never a verify= given to the request itself.
        self.verify = (ca_path or True) if validate_certs else False
        self.session.verify = self.verify
        self._secrets = []
        # Injectable so tests can capture the retry schedule.
        self._sleep = time.sleep
        self._random = random.random

    def tls_warning(self):
        """The warning for validate_certs: false on an https url (the caller shows it once), else None."""
        if self.verify is not False or not self.url.lower().startswith('https://'):
            return None
        return ('validate_certs is false: the TLS certificate of %s is not verified, so anyone on the network path can '
                'read and change what is sent, the API token included. Prefer ca_path with the CA that signed it.' % self.url)

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
        """The raw response (after retries); for probes that read the status themselves.

        retry=False still retries a 429: the server says it did not process the request.
        A redirect is followed for a GET only: a write is never replayed elsewhere.
        """
        attempt = 0
        ambiguous = False  # an earlier attempt may have been processed (its answer was lost or a 5xx)
        while True:
            try:
                response = self._once(method, path, body, headers)
            except requests.exceptions.RequestException as exc:
                error = self._transport_error(exc, method, path)
                error.after_ambiguous = ambiguous
                if not retry or attempt >= self.retries or error.kind not in ('connection', 'timeout'):
                    raise error
                ambiguous = ambiguous or error.ambiguous
                delay = self._delay(attempt, None)
            else:
                status = response.status_code
                response.after_ambiguous = ambiguous
                if method in WRITES and status in REDIRECTS:
                    raise self._redirect_error(response, method, path)
                if attempt >= self.retries or status not in RETRY_STATUSES or (not retry and status != 429):
                    return response
                ambiguous = ambiguous or status >= 500
                delay = self._delay(attempt, response.headers.get('Retry-After'))
            self._sleep(delay)
            attempt += 1

    def _once(self, method, path, body, headers):
        """One HTTP exchange; input requests or urllib3 cannot encode becomes MistError."""
        with warnings.catch_warnings():
            # validate_certs: false is reported once by the caller, not once per request.
            warnings.simplefilter('ignore')
            try:
                response = self.session.request(method, self.url + path, json=body, headers=headers or {},
                                                timeout=self.timeout, verify=self.verify, allow_redirects=method not in WRITES)
            except UNSENDABLE as exc:
                raise MistError(redact('Cannot send %s %s to %s: %s' % (method, path, self.url, exc), self._secrets),
                                method=method, path=path, kind='connection')
            except requests.exceptions.RequestException:
                raise
            except (ValueError, UnicodeError, OverflowError, TypeError) as exc:
                # urllib3's LocationParseError is a ValueError; a header outside Latin-1 a UnicodeEncodeError.
                raise MistError(redact('Cannot send %s %s to %s: %s: %s' % (method, path, self.url, type(exc).__name__, exc),
                                       self._secrets), method=method, path=path, kind='connection')
        # Mist answers UTF-8; without a charset requests would read text/plain as Latin-1
        # (an echoed non-ASCII secret would then escape redaction as mojibake).
        if 'charset=' not in response.headers.get('Content-Type', '').lower():
            response.encoding = 'utf-8'
        return response

    def _redirect_error(self, response, method, path):
        location = response.headers.get('Location') or '(no Location)'
        return MistError('Mist answered %s %s with a redirect (%s to %s); a write is never followed to another address. '
                         'Check url (http:// or https://, the host, a path prefix).'
                         % (method, path, response.status_code, redact(location, self._secrets)[:200]),
                         status=response.status_code, method=method, path=path, kind='http')

    def _delay(self, attempt, retry_after):
        """Exponential backoff with up to 25% jitter; a server's Retry-After wins (capped)."""
        seconds = _parse_retry_after(retry_after)
        if seconds is not None:
            return min(seconds, MAX_RETRY_AFTER)
        base = self.backoff * (2 ** attempt)
        return base + base * JITTER * self._random()

    # Errors and parsing --------------------------------------------------

    def _redact(self, text, secrets=()):
        return redact(text, self._secrets + [str(v) for v in secrets or () if v and len(str(v)) >= 4])

    def parse(self, response, method, path, secrets=(), login=False):
        """The answer's data (JSON, text or None); an error status or an HTML page raises MistError."""
        text = response.text or ''
        if response.status_code >= 400:
            error = self._http_error(response, method, path, secrets, login)
            error.after_ambiguous = getattr(response, 'after_ambiguous', False)
            raise error
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
        message = _trim(self._redact(response.text, secrets)) or _trim(response.reason)
        kind = 'http'
        if status in (401, 403) and 'credentials' not in message.lower():
            kind = 'auth'
            hint = ' — check email and password' if login else ' — check api_token (or email and password)'
            sentence = 'Mist rejected the request %s (%s %s)%s.' % (request, status, message, hint)
        elif ambiguous:
            sentence = 'Mist failed the request %s (%s %s)%s.' % (request, status, message, _may_be_done(method))
        else:
            sentence = 'Mist rejected the request %s (%s %s)' % (request, status, message)
        return MistError(sentence, status=status, message=message, method=method, path=path, kind=kind, ambiguous=ambiguous)

    def _transport_error(self, exc, method, path):
        request = '%s %s' % (method, path)
        text = self._redact(str(exc))
        if isinstance(exc, requests.exceptions.SSLError):
            return MistError(self._tls_sentence(text), method=method, path=path, kind='tls')
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return MistError('Timed out after %ss connecting to %s for %s — check url.' % (self.timeout, self.url, request),
                             method=method, path=path, kind='timeout')
        if isinstance(exc, requests.exceptions.Timeout):
            return MistError('Timed out after %ss waiting for %s from %s%s.' % (self.timeout, request, self.url, _may_be_done(method)),
                             method=method, path=path, kind='timeout', ambiguous=True)
        reason, ambiguous = _connection_reason(text)
        if ambiguous:
            sentence = 'Mist at %s dropped the connection during %s (%s)%s.' % (self.url, request, reason, _may_be_done(method))
        else:
            sentence = 'Cannot reach Mist at %s: %s — check url.' % (self.url, reason)
        return MistError(sentence, method=method, path=path, kind='connection', ambiguous=ambiguous)

    def _tls_sentence(self, text):
        if 'wrong version number' in text.lower() or 'record layer failure' in text.lower() or 'http request' in text.lower():
            return ('%s did not answer TLS: the server speaks plain HTTP on that port. Use %s in url if that is really '
                    'how it is served.' % (self.url, 'http://' + self.url.split('://', 1)[1]))
        advice = 'give the CA file in ca_path' if self.verify is True else 'check that ca_path holds the CA that signed it'
        return 'TLS verification failed for %s: %s — %s (validate_certs: false turns verification off).' % (
            self.url, _tls_reason(text), advice)


def parse_json(text):
    """JSON from text, or None when it is not JSON (or nested too deeply to read)."""
    try:
        return _json.loads(text)
    except (ValueError, RecursionError):
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
    lowered = text.lower()
    if 'mismatch' in lowered or "doesn't match" in lowered or 'hostname' in lowered:
        return 'the certificate does not match the host name'
    if 'expired' in lowered:
        return 'certificate verify failed: the certificate has expired'
    match = re.search(r'certificate verify failed:? ?([^()\'"]*)', text)
    if match:
        return ('certificate verify failed: ' + match.group(1)).strip(' :')
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
