# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for the simulator's own tests."""

import http.client
import urllib.parse

import requests


class Client:
    """A thin requests wrapper bound to a base URL (and a token for the clouds dialect)."""

    def __init__(self, base, token=None):
        self.base = base
        self.session = requests.Session()
        if token:
            self.session.headers['Authorization'] = token

    def request(self, method, path, **kwargs):
        kwargs.setdefault('timeout', 10)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, **kwargs):
        return self.request('POST', path, **kwargs)

    def put(self, path, **kwargs):
        return self.request('PUT', path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request('PATCH', path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)


def assert_text(response, status, body, html=False):
    """A plain-text answer with exactly this status and body; `html`: labelled text/html,
    as the real servers label their plain-text errors and `OK`."""
    assert (response.status_code, response.text) == (status, body)
    assert response.headers['Content-Type'].startswith('text/html' if html else 'text/plain')


def assert_html_text(response, status, body):
    assert_text(response, status, body, html=True)


def raw(url, method, path, body=None, headers=None):
    """One request through http.client: no header is added behind our back
    (requests would add a Content-Type for some bodies). Returns (status, headers, text)."""
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode('utf-8')
    finally:
        conn.close()


def ec2(title='prod', apikey='AKIAEXAMPLE', apisecret='example-secret', **extra):
    """A valid body for POST /backends."""
    body = {'title': title, 'provider': 'ec2_us_east', 'apikey': apikey, 'apisecret': apisecret}
    body.update(extra)
    return body
