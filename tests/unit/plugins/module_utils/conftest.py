# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fakes at the HTTP level: a stand-in for requests.Session that records every call."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils import dialects
from ansible_collections.mistio.cloud.plugins.module_utils.client import Transport
from ansible_collections.mistio.cloud.plugins.module_utils.providers import provider_table


class FakeResponse(object):
    def __init__(self, status=200, body=None, text=None, headers=None, reason='OK'):
        self.status_code = status
        if text is None:
            text = '' if body is None else json.dumps(body)
        self.text = text
        self.headers = headers or {}
        self.reason = reason


class FakeSession(object):
    """Answers from routes {(METHOD, path): [response or exception, ...]} (the last one repeats)."""

    def __init__(self, routes, base):
        self.routes = dict((key, list(value) if isinstance(value, list) else [value]) for key, value in routes.items())
        self.base = base
        self.calls = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, json=None, headers=None, timeout=None, verify=None, allow_redirects=True):
        path = url[len(self.base):]
        sent = dict(self.headers)
        sent.update(headers or {})
        self.calls.append({'method': method, 'path': path, 'json': json, 'headers': sent, 'timeout': timeout,
                           'verify': verify, 'allow_redirects': allow_redirects})
        queue = self.routes.get((method, path))
        if not queue:
            return FakeResponse(404, text='Not Found')
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def paths(self):
        return ['%s %s' % (c['method'], c['path']) for c in self.calls]


class Connection(object):
    """A transport and the dialect dialects.connect() picks for it, as module_utils/connection.py builds them."""

    def __init__(self, url, api_version='clouds', api_token=None, email=None, password=None, **transport_kwargs):
        self.transport = Transport(url, **transport_kwargs)
        self.url = self.transport.url
        self.api_version = api_version
        self.auth = dict(api_token=api_token, email=email, password=password)
        self._dialect = None

    @property
    def dialect(self):
        if self._dialect is None:
            self._dialect = dialects.connect(self.transport, self.api_version, providers=provider_table(), **self.auth)
        return self._dialect

    @property
    def dialect_name(self):
        return self.dialect.name

    def request(self, method, path, json=None, retry=True):
        return self.dialect.request(method, path, json=json, retry=retry)


@pytest.fixture
def make_client():
    """make_client(routes, url=..., **connection_kwargs) -> (connection, session, sleeps)."""

    def factory(routes, url='https://mist.example', **kwargs):
        kwargs.setdefault('api_version', 'clouds')
        client = Connection(url, **kwargs)
        transport = client.transport
        fake = FakeSession(routes, transport.url)
        fake.headers.update(transport.session.headers)
        fake.verify = transport.session.verify
        transport.session = fake
        sleeps = []
        transport._sleep = sleeps.append
        transport._random = lambda: 0.5
        return client, fake, sleeps

    return factory


@pytest.fixture
def response():
    return FakeResponse
