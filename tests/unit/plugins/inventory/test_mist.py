# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pure parts of the mistio.cloud.mist inventory plugin, and parse() against a fake dialect."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.mistio.cloud.plugins.inventory import mist
from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError


def backend(bid, name, provider='ec2', enabled=True, region=None):
    return {'id': bid, 'name': name, 'provider': provider, 'region': region, 'enabled': enabled,
            'state': 'online', 'credentials': {}}


def machine(mid, name, state='running', public=('203.0.113.1',), private=('10.0.0.1',), **extra):
    data = {'id': mid, 'external_id': 'i-' + mid, 'name': name, 'hostname': extra.pop('hostname', None),
            'state': state, 'public_ips': list(public), 'private_ips': list(private), 'tags': extra.pop('tags', {}),
            'image': 'ami-1', 'size': 't2.micro', 'location': 'zone-a', 'backend_id': None, 'extra': {}}
    data.update(extra)
    return data


# -- group names ------------------------------------------------------------

@pytest.mark.parametrize('text, expected', [
    ('prod', 'prod'),
    ('Prod EC2', 'Prod_EC2'),
    ('prod-ec2 (us-east)', 'prod_ec2_us_east'),
    ('  a..b  ', 'a_b'),
    ('1and1', '_1and1'),
    ('caf\u00e9', 'caf'),
    ('!!!', ''),
    ('', ''),
    (None, ''),
])
def test_sanitise_group_name(text, expected):
    assert mist.sanitise_group_name(text) == expected


def test_backend_group_names_unique_and_prefixed():
    names, collided, _hosts = mist.backend_group_names([backend('a', 'prod'), backend('b', 'staging')], prefix='mist_')
    assert names == {'a': 'mist_prod', 'b': 'mist_staging'}
    assert collided == []


def test_backend_group_names_collision_renames_every_member():
    backends = [backend('id1', 'prod web'), backend('id2', 'prod-web'), backend('id3', 'other')]
    names, collided, _hosts = mist.backend_group_names(backends)
    assert names == {'id1': 'prod_web_id1', 'id2': 'prod_web_id2', 'id3': 'other'}
    expected = [('id1', 'prod_web', 'prod_web_id1'), ('id2', 'prod_web', 'prod_web_id2')]
    assert [(b['id'], old, new) for b, old, new in collided] == expected


def test_backend_group_names_reserved_and_empty():
    backends = [backend('X-1', 'mist'), backend('y2', '!!!'), backend('z3', 'all')]
    names, collided, _hosts = mist.backend_group_names(backends, reserved=('mist', 'all', 'ungrouped'))
    assert names == {'X-1': 'mist_X_1', 'y2': 'backend_y2', 'z3': 'all_z3'}
    assert len(collided) == 2


def test_backend_group_names_digit_id_suffix_has_single_separator():
    names, dummy, _hosts = mist.backend_group_names([backend('282a', 'prod'), backend('9b', 'prod')])
    assert names == {'282a': 'prod_282a', '9b': 'prod_9b'}


def test_provider_group_name():
    assert mist.provider_group_name('mist_provider_', 'ec2') == 'mist_provider_ec2'
    assert mist.provider_group_name('', 'bare_metal') == 'bare_metal'
    assert mist.provider_group_name('p-', None) == 'p_unknown'


# -- host names -------------------------------------------------------------

def test_resolve_hostnames_without_collision():
    names, collided = mist.resolve_hostnames([('web', 'm1', 'b1'), ('db', 'm2', 'b1')])
    assert names == ['web', 'db'] and collided == []


def test_resolve_hostnames_collision_uses_ids_for_all_members():
    names, collided = mist.resolve_hostnames([('web', 'm1', 'b1'), ('web', 'm2', 'b2'), ('db', 'm3', 'b2')])
    assert names == ['m1', 'm2', 'db']
    assert collided == ['web']


def test_resolve_hostnames_missing_name_falls_back_to_id():
    names, dummy = mist.resolve_hostnames([(None, 'm1', 'b1'), ('', 'm2', 'b1')])
    assert names == ['m1', 'm2']


def test_resolve_hostnames_id_collision_uses_backend_and_id():
    # the same provider id in two backends (backends dialect), and a name equal to an id
    names, dummy = mist.resolve_hostnames([('web', 'i-1', 'b1'), ('web', 'i-1', 'b2'), ('db', 'm9', 'b3')])
    assert names == ['b1_i-1', 'b2_i-1', 'db']
    names, dummy = mist.resolve_hostnames([('m2', 'm1', 'b1'), ('x', 'm2', 'b1'), ('x', 'm3', 'b1')])
    assert names == ['b1_m1', 'b1_m2', 'm3']
    assert len(set(names)) == 3


# -- host vars and addresses ------------------------------------------------

def test_host_vars_schema():
    hvars = mist.host_vars(machine('m1', 'web', tags={'role': 'web'}, hostname='web.example'),
                           backend('b1', 'prod', region='us-east-1'))
    assert sorted(hvars) == sorted([
        'mist_id', 'mist_external_id', 'mist_name', 'mist_hostname', 'mist_state', 'mist_public_ips',
        'mist_private_ips', 'mist_tags', 'mist_image', 'mist_size', 'mist_location', 'mist_extra',
        'mist_backend_id', 'mist_backend_name', 'mist_provider', 'mist_region'])
    assert hvars['mist_backend_name'] == 'prod'
    assert hvars['mist_provider'] == 'ec2'
    assert hvars['mist_region'] == 'us-east-1'
    assert hvars['mist_tags'] == {'role': 'web'}
    assert hvars['mist_hostname'] == 'web.example'


def test_host_vars_are_copies():
    source = machine('m1', 'web')
    hvars = mist.host_vars(source, backend('b1', 'prod'))
    hvars['mist_public_ips'].append('x')
    hvars['mist_extra']['k'] = 1
    assert source['public_ips'] == ['203.0.113.1'] and source['extra'] == {}


@pytest.mark.parametrize('connect_with, expected', [
    ('public_ip', '203.0.113.1'), ('private_ip', '10.0.0.1'), ('hostname', 'h.example'), ('none', None)])
def test_connect_address(connect_with, expected):
    assert mist.connect_address(machine('m', 'n', hostname='h.example'), connect_with) == expected


def test_connect_address_falls_back_in_order():
    no_public = machine('m', 'n', public=(), hostname='h.example')
    assert mist.connect_address(no_public, ['public_ip', 'private_ip', 'hostname']) == '10.0.0.1'
    assert mist.connect_address(no_public, ['hostname', 'private_ip']) == 'h.example'
    only_name = machine('m', 'n', public=(), private=(), hostname='h.example')
    assert mist.connect_address(only_name, ['public_ip', 'private_ip', 'hostname']) == 'h.example'
    assert mist.connect_address(only_name, ['public_ip', 'private_ip']) is None
    assert mist.connect_address(only_name, []) is None


def test_host_vars_prefix():
    assert mist.host_vars(machine('m1', 'web'), backend('b1', 'prod'), prefix='m_')['m_name'] == 'web'
    plain = mist.host_vars(machine('m1', 'web'), backend('b1', 'prod'), prefix='')
    assert plain['name'] == 'web' and plain['backend_name'] == 'prod' and 'mist_name' not in plain


def test_connect_address_missing():
    bare = machine('m', 'n', public=(), private=('', None))
    assert mist.connect_address(bare, 'public_ip') is None
    assert mist.connect_address(bare, 'private_ip') is None
    assert mist.connect_address(bare, 'hostname') is None


# -- filters ----------------------------------------------------------------

BACKENDS = [
    backend('b1', 'prod-ec2', 'ec2'),
    backend('b2', 'prod-rs', 'rackspace'),
    backend('b3', 'staging', 'ec2', region='us-east-1'),
    backend('b4', 'prod-off', 'ec2', enabled=False),
]


def ids(items):
    return [item['id'] for item in items]


def test_select_backends_default_skips_disabled():
    assert ids(mist.select_backends(BACKENDS)) == ['b1', 'b2', 'b3']
    assert ids(mist.select_backends(BACKENDS, include_disabled=True)) == ['b1', 'b2', 'b3', 'b4']


def test_select_backends_names_are_case_sensitive_globs():
    assert ids(mist.select_backends(BACKENDS, names=['prod-*'])) == ['b1', 'b2']
    assert ids(mist.select_backends(BACKENDS, names=['PROD-*'])) == []
    assert ids(mist.select_backends(BACKENDS, names=['staging', 'prod-rs'])) == ['b2', 'b3']


def test_select_backends_ids_and_providers_combine():
    assert ids(mist.select_backends(BACKENDS, ids=['b1', 'b2'], providers=['ec2'])) == ['b1']
    assert ids(mist.select_backends(BACKENDS, providers=['aws'])) == ['b1', 'b3']
    # A seed id names a region, so it matches that region only.
    assert ids(mist.select_backends(BACKENDS, providers=['ec2_us_east'])) == ['b3']
    assert ids(mist.select_backends(BACKENDS, providers=['rackspace'])) == ['b2']


def test_select_backends_unknown_provider_is_an_error():
    with pytest.raises(ProviderError, match='Unknown provider'):
        mist.select_backends(BACKENDS, providers=['nosuch'])


def test_select_backends_exclude_names():
    assert ids(mist.select_backends(BACKENDS, exclude_names=['prod-*'])) == ['b3']
    assert ids(mist.select_backends(BACKENDS, names=['prod-*'], exclude_names=['*-rs'])) == ['b1']
    assert ids(mist.select_backends(BACKENDS, include_disabled=True, exclude_names=['staging'])) == ['b1', 'b2', 'b4']


def test_select_backends_unknown_region_is_an_error():
    with pytest.raises(ProviderError, match="'rackspace:london'.*valid regions: dfw, ord, iad, lon, syd, hkg"):
        mist.select_backends(BACKENDS, providers=['aws', 'rackspace:london'])


# -- parse() against a fake client ------------------------------------------

class FakeDialect(object):
    name = 'clouds'

    def __init__(self, backends, machines, errors=None):
        self.transport = FakeTransport()
        self.backends = backends
        self.machines = machines
        self.errors = errors or {}
        self.calls = []

    def list_backends(self):
        self.calls.append('backends')
        return [dict(b) for b in self.backends]

    def list_machines(self, backend_id):
        self.calls.append(backend_id)
        if backend_id in self.errors:
            raise mist.mist_client.MistError(self.errors[backend_id], status=503)
        return [dict(m) for m in self.machines.get(backend_id, [])]


class FakeTransport(object):
    url = 'https://mist.example'

    def __init__(self):
        self.workers = None

    def allow_parallel(self, workers):
        self.workers = workers


@pytest.fixture
def run(tmp_path, monkeypatch):
    """run(config_text, dialect) -> InventoryData built by the plugin."""

    def runner(config, dialect):
        path = tmp_path / 'test.mist.yml'
        path.write_text(config)
        plugin = inventory_loader.get('mistio.cloud.mist')
        monkeypatch.setattr(plugin, '_connect', lambda conn: dialect)
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=False)
        return inventory

    return runner


DIALECT_BACKENDS = [backend('b1', 'prod', 'ec2', region='us-east-1'), backend('b2', 'empty', 'rackspace'),
                    backend('b3', 'off', 'ec2', enabled=False)]
DIALECT_MACHINES = {
    'b1': [machine('m1', 'web', tags={'role': 'web'}), machine('m2', 'db', state='stopped', public=()),
           machine('m3', 'web')],
    'b3': [machine('m9', 'hidden')],
}


def test_parse_builds_groups_hosts_and_vars(run):
    dialect = FakeDialect(DIALECT_BACKENDS, DIALECT_MACHINES)
    inv = run('plugin: mistio.cloud.mist\nurl: https://mist.example\n', dialect)
    assert sorted(inv.groups) == ['all', 'empty', 'mist', 'mist_provider_ec2', 'mist_provider_rackspace', 'prod', 'ungrouped']
    assert sorted(inv.hosts) == ['db', 'm1', 'm3']  # 'web' collided: both named by id
    assert sorted(h.name for h in inv.groups['prod'].hosts) == ['db', 'm1', 'm3']
    assert inv.groups['empty'].hosts == []
    assert sorted(g.name for g in inv.groups['mist'].child_groups) == ['empty', 'mist_provider_ec2', 'mist_provider_rackspace', 'prod']
    host = inv.hosts['m1'].vars
    assert host['ansible_host'] == '203.0.113.1'
    assert host['mist_name'] == 'web' and host['mist_backend_name'] == 'prod' and host['mist_region'] == 'us-east-1'
    assert inv.hosts['db'].vars['ansible_host'] == '10.0.0.1'  # no public IP: the private one (default order)
    assert dialect.calls == ['backends', 'b1', 'b2']  # the disabled backend is never read
    # Provider groups hold the backend groups, not each host.
    assert [g.name for g in inv.groups['mist_provider_ec2'].child_groups] == ['prod']
    assert inv.groups['mist_provider_ec2'].hosts == []
    assert sorted(h.name for h in inv.groups['mist_provider_ec2'].get_hosts()) == ['db', 'm1', 'm3']


def test_parse_constructed_and_hostnames(run):
    dialect = FakeDialect(DIALECT_BACKENDS, DIALECT_MACHINES)
    config = '\n'.join([
        'plugin: mistio.cloud.mist',
        'url: https://mist.example',
        'hostnames: ["{{ mist_name }}-{{ mist_id }}"]',
        'connect_with: private_ip',
        'machine_states: [running]',
        'compose: {ansible_user: "\'admin\'", role: mist_tags.role | default("none")}',
        'groups: {webs: "mist_name == \'web\'"}',
        'keyed_groups: [{key: role, prefix: role}]',
    ]) + '\n'
    inv = run(config, dialect)
    assert sorted(inv.hosts) == ['web-m1', 'web-m3']
    assert inv.hosts['web-m1'].vars['ansible_host'] == '10.0.0.1'
    assert inv.hosts['web-m1'].vars['ansible_user'] == 'admin'
    assert sorted(h.name for h in inv.groups['webs'].hosts) == ['web-m1', 'web-m3']
    assert [h.name for h in inv.groups['role_web'].hosts] == ['web-m1']
    assert [h.name for h in inv.groups['role_none'].hosts] == ['web-m3']


def test_parse_failed_backend_warns_and_keeps_group(run, monkeypatch):
    warnings = []
    dialect = FakeDialect(DIALECT_BACKENDS, DIALECT_MACHINES, errors={'b1': 'Mist failed the request (503)'})
    plugin_display = mist.InventoryModule().display
    monkeypatch.setattr(plugin_display, 'warning', lambda msg, *a, **k: warnings.append(msg))
    inv = run('plugin: mistio.cloud.mist\nurl: https://mist.example\n', dialect)
    assert 'prod' in inv.groups and inv.groups['prod'].hosts == []
    assert len(warnings) == 1 and "'prod'" in warnings[0] and 'b1' in warnings[0] and '503' in warnings[0]


def test_parse_failed_backend_fails_with_fail_on_errors(run):
    dialect = FakeDialect(DIALECT_BACKENDS, DIALECT_MACHINES, errors={'b1': 'Mist failed the request (503)'})
    with pytest.raises(AnsibleParserError, match="backend 'prod' \\(id b1\\)"):
        run('plugin: mistio.cloud.mist\nurl: https://mist.example\nfail_on_errors: true\n', dialect)


def test_verify_file():
    plugin = inventory_loader.get('mistio.cloud.mist')
    assert plugin.verify_file(__file__) is False  # exists, wrong name


def test_verify_file_names(tmp_path):
    plugin = inventory_loader.get('mistio.cloud.mist')
    for name, ok in (('prod.mist.yml', True), ('mist.yaml', True), ('prod.mist.json', False), ('prod.yml', False)):
        path = tmp_path / name
        path.write_text('plugin: mistio.cloud.mist\n')
        assert plugin.verify_file(str(path)) is ok, name


def test_parse_hostnames_fields_in_order(run):
    machines = {'b1': [machine('m1', 'web', public=('198.51.100.9',)), machine('m2', 'db', public=(), hostname='db.example')]}
    inv = run('plugin: mistio.cloud.mist\nurl: https://mist.example\nhostnames: [public_ip, hostname, id]\n'
              'connect_with: none\nprovider_groups: false\n', FakeDialect(DIALECT_BACKENDS[:1], machines))
    assert sorted(inv.hosts) == ['198.51.100.9', 'db.example']
    assert 'ansible_host' not in inv.hosts['db.example'].vars
    assert sorted(inv.groups) == ['all', 'mist', 'prod', 'ungrouped']


def test_parse_bad_hostname_expression_is_skipped_unless_strict(run):
    machines = {'b1': [machine('m1', 'web')]}
    config = 'plugin: mistio.cloud.mist\nurl: https://mist.example\nhostnames: ["mist_nosuch.attr", name]\n'
    inv = run(config, FakeDialect(DIALECT_BACKENDS[:1], machines))
    assert list(inv.hosts) == ['web']
    with pytest.raises(AnsibleParserError, match='hostnames entry'):
        run(config + 'strict: true\n', FakeDialect(DIALECT_BACKENDS[:1], machines))


def test_parse_listing_failure_is_one_clear_error(run):
    class Broken(FakeDialect):
        def list_backends(self):
            raise mist.mist_client.MistError('Mist rejected the request GET /api/v1/clouds (401 Not authorized).', status=401)
    with pytest.raises(AnsibleParserError, match='cannot list the backends of https://mist.example: .*401'):
        run('plugin: mistio.cloud.mist\nurl: https://mist.example\n', Broken([], {}))


def test_parse_host_var_prefix_reaches_hostnames_and_compose(run):
    machines = {'b1': [machine('m1', 'web', tags={'role': 'web'})]}
    config = '\n'.join([
        'plugin: mistio.cloud.mist',
        'url: https://mist.example',
        'host_var_prefix: cloud_',
        'hostnames: [cloud_tags.missing, backend_name]',
        'compose: {role: cloud_tags.role}',
        'keyed_groups: [{key: cloud_state, prefix: state}]',
    ]) + '\n'
    inv = run(config, FakeDialect(DIALECT_BACKENDS[:1], machines))
    # The host is named by backend_name, so the backend group 'prod' gets the backend id appended.
    assert list(inv.hosts) == ['prod'] and 'prod_b1' in inv.groups and 'prod' not in inv.groups
    host = inv.hosts['prod'].vars
    assert host['cloud_name'] == 'web' and host['role'] == 'web' and 'mist_name' not in host
    assert 'state_running' in inv.groups


def test_parse_empty_prefix(run):
    machines = {'b1': [machine('m1', 'web')]}
    inv = run('plugin: mistio.cloud.mist\nurl: https://mist.example\nhost_var_prefix: ""\nhostnames: [id]\n',
              FakeDialect(DIALECT_BACKENDS[:1], machines))
    assert inv.hosts['m1'].vars['name'] == 'web' and inv.hosts['m1'].vars['backend_id'] == 'b1'


@pytest.mark.parametrize('line, message', [
    ('host_var_prefix: "1x"', 'host_var_prefix must be empty or start a valid variable name'),
    ('host_var_prefix: "a-b"', 'host_var_prefix must be empty or start a valid variable name'),
    ('connect_with: [none, public_ip]', 'connect_with: none cannot be combined with public_ip'),
])
def test_parse_bad_options_are_clear(run, line, message):
    with pytest.raises(AnsibleParserError, match=message):
        run('plugin: mistio.cloud.mist\nurl: https://mist.example\n%s\n' % line, FakeDialect(DIALECT_BACKENDS[:1], {}))


def test_parse_connect_with_none_and_single(run):
    machines = {'b1': [machine('m1', 'web', public=())]}
    inv = run('plugin: mistio.cloud.mist\nurl: https://mist.example\nconnect_with: none\n', FakeDialect(DIALECT_BACKENDS[:1], machines))
    assert 'ansible_host' not in inv.hosts['web'].vars
    inv = run('plugin: mistio.cloud.mist\nurl: https://mist.example\nconnect_with: public_ip\n', FakeDialect(DIALECT_BACKENDS[:1], machines))
    assert 'ansible_host' not in inv.hosts['web'].vars


def test_parse_bare_metal_group_and_host_share_no_name(run, monkeypatch):
    """A bare-metal backend named like its one machine: the group gets the id, no warning."""
    warnings = []
    monkeypatch.setattr(mist.InventoryModule().display, 'warning', lambda msg, *a, **k: warnings.append(msg))
    backends = [backend('bm1', 'db01', 'bare_metal'), backend('b2', 'prod')]
    machines = {'bm1': [machine('x1', 'db01')], 'b2': [machine('m1', 'mist'), machine('m2', 'mist_provider_ec2')]}
    inv = run('plugin: mistio.cloud.mist\nurl: https://mist.example\n', FakeDialect(backends, machines))
    assert 'db01' in inv.hosts and 'db01' not in inv.groups
    assert [h.name for h in inv.groups['db01_bm1'].hosts] == ['db01']
    # A machine named like a group the plugin cannot rename is named by its id.
    assert sorted(inv.hosts) == ['db01', 'm1', 'm2']
    assert not set(inv.hosts) & set(inv.groups)
    assert warnings == []
