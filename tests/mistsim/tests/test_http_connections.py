# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection handling any HTTP benchmark tool relies on (issue 14: `ab -k` hung).

HTTP/1.0 closes after each answer unless the client asked for keep-alive, and
then the answer says `Connection: keep-alive`; HTTP/1.1 stays open by default.
"""

import socket
import urllib.parse

import pytest


def _connect(url):
    parsed = urllib.parse.urlsplit(url)
    # The timeout only turns a regression (a hang) into a failure; no test depends on it.
    return socket.create_connection((parsed.hostname, parsed.port), timeout=10)


def _read_response(stream):
    """(status line, {lower-case header: value}, body) of one response read from a file object."""
    status = stream.readline().decode('latin-1').strip()
    headers = {}
    for line in iter(stream.readline, b'\r\n'):
        name, _sep, value = line.decode('latin-1').partition(':')
        headers[name.strip().lower()] = value.strip()
    body = stream.read(int(headers['content-length']))
    return status, headers, body


def _send(sock, version, connection=None):
    lines = ['GET /backends %s' % version, 'Host: localhost']
    if connection:
        lines.append('Connection: %s' % connection)
    sock.sendall(('\r\n'.join(lines) + '\r\n\r\n').encode('ascii'))


def test_http10_keep_alive_is_announced_and_honoured(sim):
    with _connect(sim.url) as sock, sock.makefile('rb') as stream:
        for _round in range(3):
            _send(sock, 'HTTP/1.0', 'keep-alive')
            status, headers, body = _read_response(stream)
            assert status.endswith('200 OK') and body == b'[]'
            assert headers['connection'].lower() == 'keep-alive'


@pytest.mark.parametrize('connection', [None, 'close'])
def test_http10_without_keep_alive_is_closed_after_the_answer(sim, connection):
    with _connect(sim.url) as sock, sock.makefile('rb') as stream:
        _send(sock, 'HTTP/1.0', connection)
        status, headers, body = _read_response(stream)
        assert status.endswith('200 OK') and body == b'[]'
        assert headers['connection'].lower() == 'close'
        assert stream.read() == b'', 'the server closes the connection'


def test_http11_stays_open_without_a_connection_header(sim):
    with _connect(sim.url) as sock, sock.makefile('rb') as stream:
        for _round in range(2):
            _send(sock, 'HTTP/1.1')
            status, headers, body = _read_response(stream)
            assert status.endswith('200 OK') and body == b'[]'
            assert 'connection' not in headers


def test_http11_close_is_honoured(sim):
    with _connect(sim.url) as sock, sock.makefile('rb') as stream:
        _send(sock, 'HTTP/1.1', 'close')
        _status, headers, _body = _read_response(stream)
        assert headers['connection'].lower() == 'close'
        assert stream.read() == b''
