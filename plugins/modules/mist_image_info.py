#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mist_image_info
short_description: List the images a Mist backend offers
version_added: 0.2.0
description:
  - Lists the images (operating system images, AMIs, templates) of one backend of a Mist server,
    or of every backend, to pick one for a new machine.
  - Every image is reported in one shape whatever the server's dialect and era (see RV(images)).
  - One request per backend; several backends are read in parallel (O(max_workers)).
  - Filters apply to the listed images; when several are given, an image must match all of them.
  - Read-only; never reports a change.
author:
  - mistio.cloud developers (@mistio)
extends_documentation_fragment:
  - mistio.cloud.connection
  - mistio.cloud.backend_choice
  - mistio.cloud.attributes
  - mistio.cloud.attributes.info_module
options:
  name:
    description:
      - Only the images whose name matches this shell-style pattern (V(ubuntu-22.04-*)); case-sensitive.
        A name without C(*), C(?) or C([) must match exactly.
    type: str
  search:
    description:
      - Only the images whose id, provider id or name contains this text, case-insensitive
        (as the Mist servers' own image search does).
    type: str
  starred:
    description:
      - V(true) for the starred images only (the ones Mist shows first), V(false) for the others only.
        Not given, both.
    type: bool
'''

EXAMPLES = r'''
- name: The images of one backend
  mistio.cloud.mist_image_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    backend_name: production
  register: listed

- name: The newest Ubuntu 22.04 build (its name ends with the build date)
  ansible.builtin.set_fact:
    image: "{{ (listed.images | selectattr('name', 'match', 'ubuntu-22.04-') | sort(attribute='name') | last) }}"

- name: Every image whose name or id contains "debian", on every backend
  mistio.cloud.mist_image_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    search: debian
  register: debian

- name: Rocky Linux images that are not starred, of the backend with this id
  mistio.cloud.mist_image_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    backend_id: "{{ listed.images[0].backend_id }}"
    name: "rocky-*"
    starred: false
'''

RETURN = r'''
dialect:
  description: The API dialect the server speaks, C(backends) (mist.io 0.9 era) or C(clouds) (mist.api v1).
  returned: always
  type: str
  sample: clouds
images:
  description: The images that match the filters, backend by backend in the server's order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description:
        - Mist's id of the image (32 hex digits on a C(clouds) server). A C(backends) server has
          no id of its own and gives the provider's, so it equals RV(images[].external_id) there.
      type: str
      returned: always
      sample: 5f0c6a3e8e1d4b0fa3c9e2d17b4a6c21
    external_id:
      description: The provider's id of the image (the AMI id on EC2), the one to create a machine from.
      type: str
      returned: always
      sample: ami-0a1b2c3d4e5f67890
    name:
      description: The image's name (its provider id when the provider gives none).
      type: str
      returned: always
      sample: ubuntu-22.04-x86_64-20241219
    starred:
      description: Whether Mist shows the image as starred (a default or one the user starred).
      type: bool
      returned: always
      sample: false
    os_type:
      description: The operating system family (C(linux), C(windows)), or null where the server does not say (C(backends)).
      type: str
      returned: always
      sample: linux
    os_distro:
      description: The distribution (C(ubuntu), C(debian), ...), or null where the server does not say.
      type: str
      returned: always
      sample: ubuntu
    architecture:
      description: The CPU architectures the image runs on (C(x86), C(arm)); empty where the server does not say.
      type: list
      elements: str
      returned: always
      sample: [x86]
    min_disk_size:
      description: The smallest disk the image needs, in GB, or null.
      type: float
      returned: always
      sample: 8.0
    min_memory_size:
      description: The least memory the image needs, in MiB, or null.
      type: int
      returned: always
      sample: 512
    origin:
      description: Where the image comes from (C(system), C(marketplace), C(custom)), or null.
      type: str
      returned: always
      sample: system
    tags:
      description: The image's Mist tags (empty on a C(backends) server).
      type: dict
      returned: always
      sample: {}
    extra:
      description: Whatever else the provider reports about the image, as the server passes it on.
      type: dict
      returned: always
      sample: {architecture: x86_64, creation_date: "2024-12-19T00:00:00.000Z"}
    backend_id:
      description: The id of the backend the image belongs to.
      type: str
      returned: always
      sample: 2b5f3f0c0e9d4c8fb1a7e6d5c4b3a291
    backend_name:
      description: The name of that backend.
      type: str
      returned: always
      sample: production
errors:
  description: When the task fails because backends could not be read, one entry per such backend.
  returned: failure
  type: list
  elements: dict
  sample: [{backend_id: 2b5f3f0c0e9d4c8fb1a7e6d5c4b3a291, backend_name: production,
            msg: "Mist failed the request GET /api/v1/clouds/2b5f.../images (503 Cloud unavailable)."}]
'''

from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.resource_info import MistResourceInfo, run_module

FILTERS = dict(name=dict(type='str'), search=dict(type='str'), starred=dict(type='bool'))


class MistImageInfo(MistResourceInfo):

    kind = 'images'

    def select(self, items):
        params = self.module.params
        return resources.select_images(items, params['name'], params['search'], params['starred'])


def main():
    run_module(MistImageInfo, FILTERS)


if __name__ == '__main__':
    main()
