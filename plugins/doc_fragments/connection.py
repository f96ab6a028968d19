# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  url:
    description:
      - Base URL of the Mist server, for example C(https://mist.example.com).
      - A trailing C(/api/v1) is ignored.
      - If not set, the value of the E(MIST_URL) environment variable is used.
    type: str
    required: true
    aliases: [ mist_uri ]
  api_token:
    description:
      - Mist API token.
      - The C(clouds) dialect sends it as C(Authorization) header; the C(backends) dialect sends
        C(mist_1 <email>:<token>) when O(email) is set too.
      - If not set, the value of the E(MIST_API_TOKEN) environment variable is used.
      - This value is marked C(no_log) and never appears in output.
    type: str
  email:
    description:
      - Email of the Mist user.
      - With O(password) and no O(api_token), a token is minted before the first request
        (C(POST /api/v1/tokens) or, on a C(backends) server, C(POST /auth)), once per module task
        (each task runs in its own process), once per inventory run. Prefer O(api_token) for long plays.
      - If not set, the value of the E(MIST_EMAIL) environment variable is used.
    type: str
  password:
    description:
      - Password of the Mist user, used with O(email) to mint a token.
      - Minting is a C(POST) (it creates a token on the server) and happens in check mode too;
        use O(api_token) when a check run must send nothing but reads.
      - If not set, the value of the E(MIST_PASSWORD) environment variable is used.
      - This value is marked C(no_log) and never appears in output.
    type: str
  api_version:
    description:
      - Which Mist API dialect the server speaks.
      - V(backends) is mist.io up to 0.9 (paths at the root); V(clouds) is mist.api v1 of Mist 3 and later,
        which calls backends "clouds". This collection calls both backends.
      - V(auto) asks the server (C(/api/v1/ping), then C(/backends)) once per module task or inventory run;
        pinning the dialect saves that request.
    type: str
    default: auto
    choices: [ auto, backends, clouds ]
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Only set to V(false) for a server you trust.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM file) to verify the server's certificate with, for a private CA.
    type: path
  timeout:
    description:
      - Seconds to wait for each answer from the server.
    type: int
    default: 30
  retries:
    description:
      - How often a safe request (read, rename, enable, disable, delete) is retried after a connection error
        or a 429, 502, 503 or 504 answer, with exponential backoff and jitter honouring C(Retry-After).
      - Adding a backend is never retried blindly; the backends are listed again instead.
    type: int
    default: 3
requirements:
  - requests
'''
