# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request/response values shared by the dialect APIs (no sockets here)."""

import json
import urllib.parse

TEXT = 'text/plain; charset=UTF-8'
HTML = 'text/html; charset=UTF-8'   # pyramid's default for Response(str): both real servers' errors
JSON = 'application/json'


class HttpError(Exception):
    """An error answered as a plain-text body, like the real servers do."""

    def __init__(self, status, message, html=False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.html = html

    def response(self):
        return plain(self.status, self.message, self.html)


class Response:
    def __init__(self, status, body=b'', content_type=TEXT, headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode('utf-8')
        self.content_type = content_type
        self.headers = dict(headers or {})


def text(status, message):
    return Response(status, message, TEXT)


def plain(status, message, html=False):
    """A plain-text body, labelled text/html when the real server did so."""
    return Response(status, message, HTML if html else TEXT)


def ok():
    return text(200, 'OK')


def json_response(doc, status=200):
    return Response(status, json.dumps(doc), JSON)


class Request:
    def __init__(self, method, path, query='', headers=None, body=b''):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers or {}
        self.body = body
        self.params = {}     # path parameters from the route
        self.email = None    # the authenticated user, when there is one

    def header(self, name):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def json_object(self):
        """The JSON body as a dict; {} when empty; ValueError when it is not a JSON object.
        No Content-Type is needed: clients of the backends era sent none."""
        if not self.body.strip():
            return {}
        doc = json.loads(self.body.decode('utf-8'))
        if not isinstance(doc, dict):
            raise ValueError('not a JSON object')
        return doc

    def backends_params(self):
        """mist.io 0.9 read `request.json_body`: anything but a JSON object is a 500."""
        try:
            return self.json_object()
        except ValueError:
            raise HttpError(500, 'Internal Server Error', html=True) from None

    def clouds_params(self):
        """mist.api's params_from_request: the JSON body, else the query/form parameters."""
        try:
            return self.json_object() or self._form()
        except ValueError:
            return self._form()

    def _form(self):
        return dict(urllib.parse.parse_qsl(self.query))
