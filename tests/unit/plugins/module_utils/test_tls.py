# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS obeys its options: ca_path and validate_certs win over REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE.

A loopback HTTPS endpoint with a private CA, generated at test time: a good certificate,
one for another host name, and an expired one; each with and without the environment's
CA variables set (to a bundle that does not hold the private CA).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import ipaddress
import json

import pytest

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.mistio.cloud.plugins.modules import mist_provider_info

PROVIDERS = json.dumps({'supported_providers': [{'name': 'ec2', 'title': 'Amazon EC2'}]})
ENV_CA = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE')


def _name(text):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _write_key(path, key):
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))


def _ca(tmp_path, label):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(label)).issuer_name(_name(label)).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    path = tmp_path / ('%s.pem' % label)
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert, path


def _leaf(tmp_path, ca_key, ca_cert, label, hosts, expired=False):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = (now - datetime.timedelta(days=60), now - datetime.timedelta(days=30)) if expired else (
        now - datetime.timedelta(days=1), now + datetime.timedelta(days=30))
    names = [x509.IPAddress(ipaddress.ip_address(h)) if h[0].isdigit() else x509.DNSName(h) for h in hosts]
    cert = (x509.CertificateBuilder().subject_name(_name(hosts[0])).issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            # Python 3.13 verifies strictly (VERIFY_X509_STRICT): a leaf needs its issuer's key identifier.
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    cert_path, key_path = tmp_path / ('%s.crt' % label), tmp_path / ('%s.key' % label)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key_path, key)
    return str(cert_path), str(key_path)


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    """The private CA, an unrelated CA (what the environment variables point at) and three server certificates."""
    tmp = tmp_path_factory.mktemp('pki')
    ca_key, ca_cert, ca_path = _ca(tmp, 'private-ca')
    _other_key, _other_cert, other_path = _ca(tmp, 'unrelated-ca')
    return {
        'ca': str(ca_path),
        'unrelated': str(other_path),
        'good': _leaf(tmp, ca_key, ca_cert, 'good', ['127.0.0.1', 'localhost']),
        'wrong_host': _leaf(tmp, ca_key, ca_cert, 'wrong', ['mist.example.org']),
        'expired': _leaf(tmp, ca_key, ca_cert, 'expired', ['127.0.0.1'], expired=True),
    }


@pytest.fixture(params=['no_env', 'env_set'])
def ca_env(request, monkeypatch, pki):
    """With env_set, both CA variables point at a bundle without the private CA (as on CI machines)."""
    for name in ENV_CA:
        if request.param == 'env_set':
            monkeypatch.setenv(name, pki['unrelated'])
        else:
            monkeypatch.delenv(name, raising=False)
    return request.param


def answer(request):
    """A clouds server: the providers, and an empty list of clouds (what api_version auto may ask first)."""
    return 200, {}, PROVIDERS if request.path.endswith('/providers') else '[]'


def endpoint(scripted, pki, which):
    return scripted(answer, tls=pki[which])


def run(run_module, url, **options):
    args = {'url': url, 'api_token': 'd' * 64, 'api_version': 'clouds', 'retries': 0}
    args.update(options)
    return run_module(mist_provider_info.main, args)


def test_good_certificate_with_ca_path(scripted, run_module, pki, ca_env):
    outcome = run(run_module, endpoint(scripted, pki, 'good').url, ca_path=pki['ca'])
    assert not outcome.failed, outcome.result
    assert [p['id'] for p in outcome.result['providers']] == ['ec2']
    assert not outcome.result.get('warnings')


def test_good_certificate_without_ca_path_is_refused(scripted, run_module, pki, ca_env):
    outcome = run(run_module, endpoint(scripted, pki, 'good').url)
    assert outcome.failed and outcome.result['error_kind'] == 'tls'
    assert 'certificate verify failed' in outcome.result['msg'] and 'ca_path' in outcome.result['msg']


@pytest.mark.parametrize('which, reason', [('wrong_host', 'host name'), ('expired', 'expired')])
def test_bad_certificate_is_a_clear_tls_failure(scripted, run_module, pki, ca_env, which, reason):
    outcome = run(run_module, endpoint(scripted, pki, which).url, ca_path=pki['ca'])
    assert outcome.failed and outcome.result['error_kind'] == 'tls', outcome.result
    assert reason in outcome.result['msg'], outcome.result['msg']
    assert 'Traceback' not in outcome.output


@pytest.mark.parametrize('which', ['good', 'wrong_host', 'expired'])
def test_validate_certs_false_wins_and_warns_once(scripted, run_module, pki, ca_env, which):
    server = endpoint(scripted, pki, which)
    outcome = run(run_module, server.url, validate_certs=False, ca_path=pki['ca'], api_version='auto')
    assert not outcome.failed, outcome.result
    assert len(server.requests) >= 2  # the probe and the list: still one warning
    # In-process, ansible-core 2.19 prints a module's warnings instead of returning them.
    printed = [line for line in outcome.output.splitlines() if line.startswith('[WARNING]')]
    warnings = [w for w in outcome.result.get('warnings', []) + printed if 'validate_certs' in w]
    assert len(warnings) == 1, outcome.output
    assert 'not verified' in warnings[0]


def test_missing_ca_path_is_a_clear_failure(scripted, run_module, pki, tmp_path):
    missing = str(tmp_path / 'nowhere' / 'ca.pem')
    server = endpoint(scripted, pki, 'good')
    outcome = run(run_module, server.url, ca_path=missing)
    assert outcome.failed
    assert 'ca_path' in outcome.result['msg'] and missing in outcome.result['msg'] and 'OSError' not in outcome.output
    assert server.requests == []


def test_https_to_a_plain_http_server_gives_no_wrong_advice(scripted, run_module):
    plain = scripted(answer)
    outcome = run(run_module, plain.url.replace('http://', 'https://'))
    assert outcome.failed
    msg = outcome.result['msg']
    assert 'validate_certs' not in msg, msg
    assert 'http://' in msg and 'plain HTTP' in msg, msg


@pytest.mark.parametrize('which, options', [('good', {'ca_path': 'ca'}), ('wrong_host', {'validate_certs': False})])
def test_inventory_obeys_the_tls_options(scripted, pki, ca_env, tmp_path, monkeypatch, which, options):
    """The inventory plugin shares the transport: its options win over the environment, and it warns once."""
    from ansible.inventory.data import InventoryData
    from ansible.parsing.dataloader import DataLoader
    from ansible.plugins.loader import inventory_loader

    server = endpoint(scripted, pki, which)
    lines = ['plugin: mistio.cloud.mist', 'url: %s' % server.url, 'api_token: %s' % ('d' * 64), 'api_version: clouds',
             'retries: 0']
    lines += ['%s: %s' % (key, pki['ca'] if value == 'ca' else str(value).lower()) for key, value in options.items()]
    config = tmp_path / 'tls.mist.yml'
    config.write_text('\n'.join(lines) + '\n')
    plugin = inventory_loader.get('mistio.cloud.mist')
    shown = []
    monkeypatch.setattr(plugin.display, 'warning', lambda msg, *args, **kwargs: shown.append(msg))
    plugin.parse(InventoryData(), DataLoader(), str(config), cache=False)
    assert [r.path for r in server.requests] == ['/api/v1/clouds']
    expected = 1 if options.get('validate_certs') is False else 0
    assert len([w for w in shown if 'not verified' in w]) == expected, shown
