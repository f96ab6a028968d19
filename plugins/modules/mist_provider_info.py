#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mist_provider_info
short_description: List the cloud providers a Mist server supports
version_added: 0.1.0
description:
  - Lists the providers a Mist server can add backends for, in the order the server gives them.
  - Each provider comes with what the server says about it (its id, title and aliases) and, from
    the collection's provider catalogue, the canonical provider it stands for, the region its id
    names, and the credential fields it takes (required, optional, secret).
  - Against a C(backends) server (mist.io 0.9 era) the ids are the server's own, for example
    C(ec2_us_east) or C(rackspace:lon); against a C(clouds) server (mist.api v1, Mist 3 and later,
    where backends are called clouds) they are names such as C(ec2) with aliases such as C(aws).
  - Read-only; never reports a change.
author:
  - mistio.cloud developers (@mistio)
extends_documentation_fragment:
  - mistio.cloud.connection
  - mistio.cloud.attributes
  - mistio.cloud.attributes.info_module
options:
  provider:
    description:
      - Only report the providers that match this one.
      - A provider id as the server spells it, an alias (for example C(aws) or C(google)), a canonical
        catalogue id (for example C(ec2)), or a backends-era id that names a region (for example
        C(ec2_us_east) or C(rackspace:lon)).
      - A canonical id or alias matches every server id that stands for it; C(ec2) matches all eight
        EC2 region ids of a C(backends) server. An id that names a region matches only that region
        when the server lists regions as ids.
      - A name neither the server nor the catalogue knows fails with the valid names listed.
        A provider the catalogue knows but the server does not offer gives an empty list.
    type: str
'''

EXAMPLES = r'''
- name: List every provider the server supports
  mistio.cloud.mist_provider_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
  register: mist_providers

- name: Show the provider ids
  ansible.builtin.debug:
    msg: "{{ mist_providers.providers | map(attribute='id') | list }}"

- name: What does Rackspace need, and in which regions?
  mistio.cloud.mist_provider_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    provider: rackspace
  register: rackspace

- name: Show the required credential fields of the first match
  ansible.builtin.debug:
    msg: "{{ rackspace.providers[0].credentials | selectattr('required') | map(attribute='name') | list }}"

- name: Connection options set once for every Mist module of a play
  module_defaults:
    group/mistio.cloud.mist:
      url: https://mist.example.com
      api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
  block:
    - name: Check that the server can add AWS accounts
      mistio.cloud.mist_provider_info:
        provider: aws
      register: aws
      failed_when: aws.providers | length == 0
'''

RETURN = r'''
dialect:
  description: The API dialect the server speaks, C(backends) (mist.io 0.9 era) or C(clouds) (mist.api v1).
  returned: always
  type: str
  sample: backends
providers:
  description:
    - The providers the server supports, in the server's order, filtered by O(provider).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description:
        - The provider id as the server spells it; give it (or O(provider)'s other spellings) to
          M(mistio.cloud.mist_backend).
        - On a C(clouds) server of Mist 4.4 and later this is the provider's driver (C(ec2), C(gce)); the
          C(Other server) entry, which has none, is C(bare_metal). Two entries can share an id there
          (C(OpenStack) and C(Vexxhost) both use C(openstack)); their RV(providers[].title) tells them apart.
      returned: always
      type: str
      sample: ec2_us_east
    title:
      description:
        - The server's title for the provider (C(backends) dialect), or its display name (C(clouds)
          dialect, for example C(Amazon Web Services)); the catalogue's title, else the id, when the
          server gives none.
      returned: always
      type: str
      sample: EC2 US EAST
    aliases:
      description: Other names the server lists for this provider, without its id (C(clouds) dialect; empty for C(backends)).
      returned: always
      type: list
      elements: str
      sample: [aws, amazon]
    provider:
      description:
        - The canonical provider id of the collection's catalogue that this server id stands for
          (the value RV(mistio.cloud.mist_backend_info#module:backends[].provider) reports).
      returned: always
      type: str
      sample: ec2
    region:
      description: The region the server id names (backends-era ids such as C(ec2_us_east) or C(rackspace:lon)); null otherwise.
      returned: always
      type: str
      sample: us-east-1
    catalogued:
      description:
        - Whether the collection's catalogue knows this provider in this server's dialect. When false,
          RV(providers[].credentials) is empty, RV(providers[].provider) is the server's id and
          M(mistio.cloud.mist_backend) cannot add backends of it (for example classic C(azure) of a
          C(backends) server).
      returned: always
      type: bool
      sample: true
    credentials:
      description: The credential fields the provider takes in this server's dialect, from the catalogue.
      returned: always
      type: list
      elements: dict
      contains:
        name:
          description: The field name, as M(mistio.cloud.mist_backend) takes it in its C(credentials) option.
          returned: always
          type: str
          sample: apikey
        required:
          description: Whether the field must be given to add a backend of this provider; optional otherwise.
          returned: always
          type: bool
          sample: true
        secret:
          description: Whether the field is a secret; the server never shows it back.
          returned: always
          type: bool
          sample: false
      sample:
        - {name: apikey, required: true, secret: false}
        - {name: apisecret, required: true, secret: true}
'''


from ansible_collections.mistio.cloud.plugins.module_utils import providers as catalogue
from ansible_collections.mistio.cloud.plugins.module_utils.module import MistAnsibleModule, MistModule, connection_argument_spec


def describe(entry, dialect):
    """One provider entry of the server, merged with the catalogue (the fields the server's dialect takes)."""
    server_id = str(entry.get('id') or '')
    try:
        canonical, region = catalogue.lookup_provider(server_id)
    except catalogue.ProviderError:
        # A provider newer than this collection: reported as the server spells it.
        canonical, region = server_id, None
    fields = []
    if canonical in catalogue.PROVIDERS:
        fields = [
            {'name': f['name'], 'required': f['required'], 'secret': f['secret']}
            for f in catalogue.credential_fields(canonical, dialect)
        ]
    # A name the catalogue holds only for the other dialect is another provider here
    # (B2's `azure` is classic Azure, not the clouds' Azure ARM): reported as the server spells it.
    known = bool(fields)
    if not known:
        canonical, region = server_id, None
    return {
        'id': server_id,
        'title': entry.get('title') or server_id,
        'aliases': list(entry.get('aliases') or []),
        'provider': canonical,
        'region': region,
        'catalogued': known,
        'credentials': fields,
    }


def select(described, wanted):
    """The described providers that match the user's provider name, in their order.

    An id or alias the server spells exactly wins; otherwise the name is resolved
    in the catalogue. Raises catalogue.ProviderError when neither knows it.
    """
    if not wanted:
        return list(described)
    key = wanted.strip().lower()
    exact = [p for p in described if key == p['id'].lower() or key in [a.lower() for a in p['aliases']]]
    if exact:
        return exact
    try:
        canonical, region = catalogue.lookup_provider(wanted)
    except catalogue.ProviderError:
        names = [p['id'] for p in described] + sorted(set(a for p in described for a in p['aliases']))
        raise catalogue.ProviderError('Unknown provider %r. This Mist server supports: %s.' % (wanted, ', '.join(names)))
    catalogue.check_filter_region(wanted, canonical, region)
    return [p for p in described
            if p['provider'] == canonical and (region is None or p['region'] is None or p['region'] == region)]


class MistProviderInfo(MistModule):

    def execute(self):
        dialect = self.dialect
        described = [describe(entry, dialect) for entry in dialect.list_providers()]
        return {'dialect': dialect.name, 'providers': select(described, self.module.params['provider'])}


def main():
    argument_spec = connection_argument_spec()
    argument_spec.update(provider=dict(type='str'))
    module = MistAnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    MistProviderInfo(module).run()


if __name__ == '__main__':
    main()
