# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The seed's own calls, made the way the 2014 client library made them, against B1.

mist.client (`mist.client@cab035b7b src/mistclient/__init__.py`, `helpers.py`,
`model.py`) sent every add with all thirteen keys, `null` for the ones not given,
as a `json.dumps` string: no Content-Type header. It logged in on the hosted
service with `POST /auth` and sent `Authorization: mist_1 <email>:<token>`;
without a token it sent no Authorization header. Rename, toggle and delete are
PUT/POST/DELETE on /backends/<id>. MIST_API.md section 1.

The expected ids are NOT computed with Python: each is
base58(int(sha1(concat).hexdigest(), 16)) with mist.io's alphabet, computed by
`sha1sum` and `bc` in a shell (the same pipeline recomputes them in
test_expected_ids_match_an_independent_computation, when those tools exist).
"""

import http.client
import json
import shutil
import subprocess
import urllib.parse

import pytest

from mistsim.harness import Simulator

ALPHABET = '123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'
# concat -> id (mist.io get_id, 964225639 model.py:113-122)
EXPECTED = {
    'ec2_us_westAKIAIOSFODNN7SIMTEST': '43gcdkpef2xc4pcupKoPfCUj5TWQ',
    'rackspaceiadopsuser': 'ykHL67vRrPpZx7oKGgrvyGKESE3',
    'dockerbuildhosthttp://docker.example.net': '2h5wGCT7FEy84DZ2HcCyFaEcm2Ff',
    'bare_metal10.1.2.3': '3MTK3dHHkVWVPnzUDpMCjRU5hgS8',
    'digitaloceando-token-4711': '3jvqdN4H2roMBmd2eV6X4u9pruXi',
    'openstackosadmin': 'garRNJC4vPZi2LsrTA2ND5H8uLQ',
    'hpcloudregion-b.geo-1hpuser': 'hKWHdY4LmaoPb7hksNTumL1GFQG',
    'gceproject-x@developer.gserviceaccount.com': 'BTunuzsf9dr9seUHwu865ETD9jG',
    'nephoscalenephouser': '255G2pFouHP4piWgrTVfFKKzJVoL',
}
SHELL_B58 = ('h=$(printf %s "$1" | sha1sum | cut -d" " -f1 | tr a-f A-F); '
             'echo "obase=58; ibase=16; $h" | BC_LINE_LENGTH=0 bc | '
             'awk -v a="$2" \'{s=""; for(i=1;i<=NF;i++){s=s substr(a,$i+1,1)}; print s}\'')


class Client2014:
    """The request shapes of mist.client's RequestsHandler: a JSON string body, no Content-Type."""

    def __init__(self, url, api_token=None):
        self.url = urllib.parse.urlsplit(url)
        self.api_token = api_token

    def request(self, method, path, payload=None):
        headers = {'Authorization': self.api_token} if self.api_token else {}
        body = json.dumps(payload).encode('utf-8') if payload is not None else None
        conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in headers.items():
                conn.putheader(name, value)
            conn.putheader('Content-Length', str(len(body or b'')))
            conn.endheaders(body)
            response = conn.getresponse()
            return response.status, response.read().decode('utf-8')
        finally:
            conn.close()

    def add_backend(self, title, provider, key, secret, tenant_name=None, region=None, apiurl=None,
                    machine_ip=None, machine_key=None, machine_user=None, compute_endpoint=None,
                    machine_port=None, remove_on_error=True):
        """mist.client 2014 MistClient.add_backend: all keys, None as null."""
        payload = {'title': title, 'provider': provider, 'apikey': key, 'apisecret': secret,
                   'tenant_name': tenant_name, 'region': region, 'apiurl': apiurl, 'machine_ip': machine_ip,
                   'machine_key': machine_key, 'machine_user': machine_user, 'compute_endpoint': compute_endpoint,
                   'machine_port': machine_port, 'remove_on_error': remove_on_error}
        return self.request('POST', '/backends', payload)

    def backends(self):
        status, text = self.request('GET', '/backends')
        assert status == 200, text
        return json.loads(text)


CALLS = [   # (add_backend arguments, the concat the real server hashes, title listed)
    (dict(title='west', provider='ec2_us_west', key='AKIAIOSFODNN7SIMTEST', secret='west-secret'),
     'ec2_us_westAKIAIOSFODNN7SIMTEST', 'west'),
    (dict(title='iad', provider='rackspace:iad', key='opsuser', secret='rs-api-key'), 'rackspaceiadopsuser', 'iad'),
    (dict(title='buildhost', provider='docker', key=None, secret=None, apiurl='http://docker.example.net'),
     'dockerbuildhosthttp://docker.example.net', 'buildhost'),
    (dict(title='rack-7', provider='bare_metal', key=None, secret=None, machine_ip='10.1.2.3', machine_key='mykey',
          machine_user='root'), 'bare_metal10.1.2.3', '10.1.2.3'),
    (dict(title='droplets', provider='digitalocean', key='do-token-4711', secret='do-token-4711'),
     'digitaloceando-token-4711', 'droplets'),
    (dict(title='keystone', provider='openstack', key='osadmin', secret='os-pass', tenant_name='ops',
          apiurl='https://keystone.example.org:5000'), 'openstackosadmin', 'keystone'),
    (dict(title='hp', provider='hpcloud:region-b.geo-1', key='hpuser', secret='hp-pass', tenant_name='project-7',
          apiurl='https://region-b.geo-1.identity.hpcloudsvc.com:35357/v2.0/'), 'hpcloudregion-b.geo-1hpuser', 'hp'),
    (dict(title='gce', provider='gce', key='project-x@developer.gserviceaccount.com', secret='-----BEGIN KEY',
          tenant_name='project-x'), 'gceproject-x@developer.gserviceaccount.com', 'gce'),
    (dict(title='nepho', provider='nephoscale', key='nephouser', secret='nepho-pass'), 'nephoscalenephouser', 'nepho'),
]


@pytest.mark.skipif(not all(shutil.which(tool) for tool in ('bash', 'sha1sum', 'bc', 'awk')),
                    reason='needs bash, sha1sum, bc and awk')
@pytest.mark.parametrize('concat', sorted(EXPECTED))
def test_expected_ids_match_an_independent_computation(concat):
    """§1 Backend id: the literals above, recomputed without Python's hashlib or our base58."""
    out = subprocess.run(['bash', '-c', SHELL_B58, '_', concat, ALPHABET], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == EXPECTED[concat]


@pytest.mark.parametrize('mist_era', ['B1'])
def test_the_2014_client_calls_against_b1(sim, mist_era):
    """§1 Add, §1 Backend id, §1 Rename/toggle/delete: every call of the seed with 2014 request shapes."""
    client = Client2014(sim.url)
    for arguments, concat, _title in CALLS:
        status, text = client.add_backend(**arguments)
        assert status == 200, (arguments['provider'], text)
        assert json.loads(text)['id'] == EXPECTED[concat]
    listed = dict((entry['id'], entry) for entry in client.backends())
    assert sorted(listed) == sorted(EXPECTED[concat] for _args, concat, _title in CALLS)
    for _arguments, concat, title in CALLS:
        assert listed[EXPECTED[concat]]['title'] == title
    backend_id = EXPECTED['ec2_us_westAKIAIOSFODNN7SIMTEST']
    assert client.request('PUT', '/backends/' + backend_id, {'new_name': 'west-renamed'}) == (200, 'OK')
    assert client.request('POST', '/backends/' + backend_id, {'new_state': '0'}) == (200, 'OK')
    entry = dict((e['id'], e) for e in client.backends())[backend_id]
    assert (entry['title'], entry['enabled'], entry['state']) == ('west-renamed', False, 'offline')
    assert client.request('POST', '/backends/' + backend_id, {'new_state': '1'}) == (200, 'OK')
    assert client.request('DELETE', '/backends/' + backend_id) == (200, 'OK')
    assert backend_id not in [e['id'] for e in client.backends()]
    assert all(request['status'] == 200 for request in sim.requests())


def test_the_2014_client_on_a_hosted_server():
    """§1: the hosted service handed out `mist_api_token`; the client sent `mist_1 <email>:<token>`."""
    with Simulator(era='B1', dialects='backends', backends_auth=True) as hosted:
        anonymous = Client2014(hosted.url)
        assert anonymous.request('GET', '/backends') == (401, 'Not authorized')
        status, text = anonymous.request('POST', '/auth', {'email': 'demo@mist.local', 'password': 'demo-password'})
        assert status == 200
        client = Client2014(hosted.url, 'mist_1 demo@mist.local:%s' % json.loads(text)['mist_api_token'])
        arguments, concat, _title = CALLS[2]    # Docker with only apiurl
        status, text = client.add_backend(**arguments)
        assert status == 200 and json.loads(text)['id'] == EXPECTED[concat]
        assert [entry['id'] for entry in client.backends()] == [EXPECTED[concat]]
