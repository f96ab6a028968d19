# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The connection options of the modules. PLUGINS below is the same for plugins (the inventory):
    # environment variables as env entries, templates allowed. As in amazon.aws, the two are kept
    # in step by a unit test (tests/unit/plugins/module_utils/test_module.py), which also checks
    # them against the one argument spec, module_utils/connection.py.
    DOCUMENTATION = r'''
options:
  url:
    description:
    - Base URL of the Mist server, for example C(https://mist.example.com).
    - A trailing C(/api/v1) is ignored.
    - If not set, the value of the E(MIST_URL) environment variable is used.
    type: str
    required: true
    aliases:
    - mist_uri
  api_token:
    description:
    - Mist API token.
    - The C(clouds) dialect sends it as C(Authorization) header; the C(backends) dialect sends C(mist_1 <email>:<token>)
      when O(email) is set too. Standalone servers of the C(backends) dialect need none.
    - This value is marked C(no_log) and never appears in output.
    - If not set, the value of the E(MIST_API_TOKEN) environment variable is used.
    type: str
  email:
    description:
    - Email of the Mist user.
    - With O(password) and no O(api_token), a token is minted before the first request (C(POST /api/v1/tokens) or,
      on a C(backends) server, C(POST /auth)), once per module task (each task runs in its own process), once per
      inventory run. Prefer O(api_token) for long plays.
    - If not set, the value of the E(MIST_EMAIL) environment variable is used.
    type: str
  password:
    description:
    - Password of the Mist user, used with O(email) to mint a token.
    - Minting is a C(POST) (it creates a token on the server) and happens in check mode too; use O(api_token) when
      a check run must send nothing but reads.
    - This value is marked C(no_log) and never appears in output.
    - If not set, the value of the E(MIST_PASSWORD) environment variable is used.
    type: str
  api_version:
    description:
    - Which Mist API dialect the server speaks.
    - V(backends) is mist.io up to 0.9 (paths at the root); V(clouds) is mist.api v1 of Mist 3 and later, which
      calls backends "clouds". This collection calls both backends.
    - 'V(auto) asks the server once per module task or inventory run: the first list of backends is the question
      (C(GET /api/v1/clouds), then C(GET /backends) when that is not found), so a task that lists anyway pays no
      extra request on a C(clouds) server.'
    - 'A C(backends) server found so is remembered per URL (hashed; no credentials) in
      C($XDG_CACHE_HOME/mistio.cloud/dialects.json), by default C(~/.cache/mistio.cloud/dialects.json), so
      only the first task ever pays the extra request; later ones ask C(GET /backends) first. A stale entry costs
      one request and is corrected; an unwritable cache only costs that request. Pinning the dialect saves all this.'
    - The era of the server (the Mist release), where it matters, is learnt from its answers.
    type: str
    default: auto
    choices:
    - auto
    - backends
    - clouds
  validate_certs:
    description:
    - Whether to verify the server's TLS certificate. Only set to V(false) for a server you trust; the task
      (or inventory source) then warns once.
    - This option and O(ca_path) win over the environment variables C(REQUESTS_CA_BUNDLE) and
      C(CURL_CA_BUNDLE); those apply only when neither is set.
    type: bool
    default: true
  ca_path:
    description:
    - A CA bundle (PEM file) to verify the server's certificate with, for a private CA. A path that is not a
      file fails the task before any request.
    type: path
  timeout:
    description:
    - Seconds to wait for each answer from the server, above 0 and at most 86400.
    type: int
    default: 30
  retries:
    description:
    - How often a safe request (read, rename, enable, disable, delete) is retried after a connection error or a
      429, 502, 503 or 504 answer, with exponential backoff and jitter honouring C(Retry-After).
    - Adding a backend is never retried blindly; the backends are listed again instead.
    type: int
    default: 3
requirements:
  - requests
'''

    PLUGINS = r'''
options:
  url:
    description:
    - Base URL of the Mist server, for example C(https://mist.example.com).
    - A trailing C(/api/v1) is ignored.
    - May be a template (a lookup, a vaulted variable, ...).
    type: str
    env:
    - name: MIST_URL
  api_token:
    description:
    - Mist API token.
    - The C(clouds) dialect sends it as C(Authorization) header; the C(backends) dialect sends C(mist_1 <email>:<token>)
      when O(email) is set too. Standalone servers of the C(backends) dialect need none.
    - May be a template (a lookup, a vaulted variable, ...).
    type: str
    env:
    - name: MIST_API_TOKEN
  email:
    description:
    - Email of the Mist user.
    - With O(password) and no O(api_token), a token is minted before the first request (C(POST /api/v1/tokens) or,
      on a C(backends) server, C(POST /auth)), once per module task (each task runs in its own process), once per
      inventory run. Prefer O(api_token) for long plays.
    - May be a template (a lookup, a vaulted variable, ...).
    type: str
    env:
    - name: MIST_EMAIL
  password:
    description:
    - Password of the Mist user, used with O(email) to mint a token.
    - May be a template (a lookup, a vaulted variable, ...).
    type: str
    env:
    - name: MIST_PASSWORD
  api_version:
    description:
    - Which Mist API dialect the server speaks.
    - V(backends) is mist.io up to 0.9 (paths at the root); V(clouds) is mist.api v1 of Mist 3 and later, which
      calls backends "clouds". This collection calls both backends.
    - 'V(auto) asks the server once per module task or inventory run: the first list of backends is the question
      (C(GET /api/v1/clouds), then C(GET /backends) when that is not found), so a task that lists anyway pays no
      extra request on a C(clouds) server.'
    - 'A C(backends) server found so is remembered per URL (hashed; no credentials) in
      C($XDG_CACHE_HOME/mistio.cloud/dialects.json), by default C(~/.cache/mistio.cloud/dialects.json), so
      only the first task ever pays the extra request; later ones ask C(GET /backends) first. A stale entry costs
      one request and is corrected; an unwritable cache only costs that request. Pinning the dialect saves all this.'
    - The era of the server (the Mist release), where it matters, is learnt from its answers.
    type: str
    default: auto
    choices:
    - auto
    - backends
    - clouds
  validate_certs:
    description:
    - Whether to verify the server's TLS certificate. Only set to V(false) for a server you trust; the task
      (or inventory source) then warns once.
    - This option and O(ca_path) win over the environment variables C(REQUESTS_CA_BUNDLE) and
      C(CURL_CA_BUNDLE); those apply only when neither is set.
    type: bool
    default: true
  ca_path:
    description:
    - A CA bundle (PEM file) to verify the server's certificate with, for a private CA. A path that is not a
      file fails the task before any request.
    type: path
  timeout:
    description:
    - Seconds to wait for each answer from the server, above 0 and at most 86400.
    type: int
    default: 30
  retries:
    description:
    - How often a safe request (read, rename, enable, disable, delete) is retried after a connection error or a
      429, 502, 503 or 504 answer, with exponential backoff and jitter honouring C(Retry-After).
    - Adding a backend is never retried blindly; the backends are listed again instead.
    type: int
    default: 3
requirements:
  - requests (Python library, on the controller)
'''
