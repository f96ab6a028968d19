#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mist_backend_info
short_description: List the backends (clouds) of a Mist server
version_added: 0.1.0
description:
  - Lists the backends a Mist server manages, the cloud accounts it adds machines from.
    Mist 3 and later call them clouds; this collection calls them backends in both API dialects.
  - Every backend is reported in one shape whatever the server's dialect, with its provider as
    the collection's canonical provider id (C(ec2), C(rackspace), ...) and its region apart.
  - Filters are exact (O(id), O(name), O(provider)) or a substring search (O(search)); when several
    are given a backend must match all of them.
  - Secrets are never returned; the servers never show them, and only the non-secret credential
    fields (such as the EC2 access key id or a username) are reported.
  - Read-only; never reports a change.
author:
  - mistio.cloud developers (@mistio)
extends_documentation_fragment:
  - mistio.cloud.connection
  - mistio.cloud.attributes
  - mistio.cloud.attributes.info_module
options:
  id:
    description:
      - Only the backend with exactly this id.
    type: str
  name:
    description:
      - Only the backends with exactly this name (the C(title) of a C(backends) server).
      - Names are not unique on a C(backends) server, so this can return several.
    type: str
  provider:
    description:
      - Only the backends of this provider.
      - A canonical id (C(ec2)), an alias (C(aws)), or a backends-era id that names a region
        (C(ec2_us_east), C(rackspace:lon)), which also matches the region.
      - An unknown provider fails with the valid ones listed, and so does a region its provider
        lacks (C(rackspace:london) lists C(rackspace)'s regions).
    type: str
  search:
    description:
      - Only the backends whose id, name or provider contains this text (case-sensitive),
        like C(backends(search=...)) of the mist.client library. The provider is looked at both as
        the canonical id (C(ec2)) and, where one exists, as the backends-era id naming its region (C(ec2_us_east)).
      - A convenience for people; playbooks that act on the result should use the exact filters.
    type: str
'''

EXAMPLES = r'''
- name: List every backend
  mistio.cloud.mist_backend_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
  register: mist

- name: Show their names
  ansible.builtin.debug:
    msg: "{{ mist.backends | map(attribute='name') | list }}"

- name: Every AWS backend, whatever region
  mistio.cloud.mist_backend_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    provider: aws
  register: aws

- name: The backend called production, by exact name
  mistio.cloud.mist_backend_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    name: production
  register: prod

- name: Connection options set once for every Mist module of a play
  module_defaults:
    group/mistio.cloud.mist:
      url: https://mist.example.com
      api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
  block:
    - name: Backends whose id, name or provider contains "rack"
      mistio.cloud.mist_backend_info:
        search: rack
      register: rack
'''

RETURN = r'''
dialect:
  description: The API dialect the server speaks, C(backends) (mist.io 0.9 era) or C(clouds) (mist.api v1).
  returned: always
  type: str
  sample: clouds
backends:
  description: The backends that match the filters, in the server's order; empty when none match.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description:
        - The backend's id. On a C(backends) server it is computed from the provider, region and key,
          so it survives a rename; on a C(clouds) server it is random (32 hex digits).
      returned: always
      type: str
      sample: 282anRybLn34tNGugwCNK7oCisfY
    name:
      description: The backend's name (its C(title) on a C(backends) server).
      returned: always
      type: str
      sample: production
    provider:
      description:
        - The canonical provider id of the collection's catalogue (C(ec2), C(rackspace), C(gce), ...).
        - A provider the catalogue does not know is passed through as the server spells it.
      returned: always
      type: str
      sample: ec2
    region:
      description: The backend's region (AWS region names for EC2), or null when it has none.
      returned: always
      type: str
      sample: us-east-1
    enabled:
      description: Whether the backend is enabled. Disabled backends are listed too.
      returned: always
      type: bool
      sample: true
    state:
      description: The server's state for the backend (C(online), C(offline), C(wait), ...).
      returned: always
      type: str
      sample: online
    credentials:
      description:
        - The non-secret credential fields the server shows (an EC2 access key id, a username, a URL, ...),
          named as M(mistio.cloud.mist_backend) takes them. Secrets are never included.
      returned: always
      type: dict
      sample: {apikey: AKIAEXAMPLE}
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mistio.cloud.plugins.module_utils import providers as catalogue
from ansible_collections.mistio.cloud.plugins.module_utils.module import MistModule, connection_argument_spec

FILTERS = ('id', 'name', 'provider', 'search')


def search_keys(backend):
    """What O(search) looks in: id, name, provider, and the backends-era id naming the region (ec2_us_east)."""
    keys = [backend.get('id'), backend.get('name'), backend.get('provider')]
    try:
        keys.append(catalogue.seed_id(backend.get('provider'), backend.get('region')))
    except catalogue.ProviderError:
        pass
    return [str(key) for key in keys if key]


def select(backends, filters):
    """The backends that match every given filter (a dict of FILTERS; None: not given), in their order."""
    selected = list(backends)
    for key in ('id', 'name'):
        if filters.get(key) is not None:
            selected = [b for b in selected if b.get(key) == filters[key]]
    if filters.get('provider') is not None:
        match = catalogue.provider_matcher(filters['provider'], set(b.get('provider') for b in backends))
        selected = [b for b in selected if match(b)]
    if filters.get('search') is not None:
        selected = [b for b in selected if any(filters['search'] in key for key in search_keys(b))]
    return selected


class MistBackendInfo(MistModule):

    def execute(self):
        dialect = self.dialect
        filters = dict((key, self.module.params[key]) for key in FILTERS)
        return {'dialect': dialect.name, 'backends': select(dialect.list_backends(), filters)}


def main():
    argument_spec = connection_argument_spec()
    argument_spec.update(dict((key, dict(type='str')) for key in FILTERS))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    MistBackendInfo(module).run()


if __name__ == '__main__':
    main()
