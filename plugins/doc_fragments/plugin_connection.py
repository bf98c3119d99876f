# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The connection options of the collection's controller-side plugins (the
    # tenants inventory): the same options, defaults and ACRONIS_* environment
    # variables as the modules' acronis.cyber_platform.connection fragment,
    # declared the way Ansible's configuration system reads plugin options.
    DOCUMENTATION = r'''
options:
  base_url:
    description:
      - URL of the Acronis data center, for example V(https://eu2-cloud.acronis.com).
      - A trailing V(/api/2) is accepted and ignored.
      - Required, here or in the environment.
    type: str
    env:
      - name: ACRONIS_BASE_URL
  client_id:
    description:
      - Client ID of the API client the plugin authenticates as.
      - Required, here or in the environment.
    type: str
    env:
      - name: ACRONIS_CLIENT_ID
  client_secret:
    description:
      - Secret of the API client.
      - Required, here or in the environment.
      - Keep it out of inventory files in clear text; use the environment variable
        (an AWX credential injects it) or Ansible Vault.
    type: str
    env:
      - name: ACRONIS_CLIENT_SECRET
  validate_certs:
    description:
      - Whether to check the TLS certificate of the data center.
      - Set to V(false) only for a test endpoint with a self-signed certificate.
    type: bool
    default: true
    env:
      - name: ACRONIS_VALIDATE_CERTS
  timeout:
    description:
      - Seconds to wait for the service to answer one request.
    type: float
    default: 30
    env:
      - name: ACRONIS_TIMEOUT
  backoff_retries:
    description:
      - How many times a request is retried after HTTP 429, 502, 503 or 504 or a connection failure.
    type: int
    default: 8
    env:
      - name: ACRONIS_BACKOFF_RETRIES
  backoff_delay:
    description:
      - Seconds of the first retry delay; each later retry waits about twice as long, with random jitter.
      - A C(Retry-After) header sent by the service takes precedence.
    type: float
    default: 1.0
    env:
      - name: ACRONIS_BACKOFF_DELAY
  backoff_max_delay:
    description:
      - Upper bound, in seconds, of any single retry delay, including one asked for by C(Retry-After).
    type: float
    default: 30.0
    env:
      - name: ACRONIS_BACKOFF_MAX_DELAY
  token_cache:
    description:
      - Whether to keep access tokens on disk, shared with the collection's modules,
        so that a run issues one token instead of one per plugin and task.
      - Cache files are readable by their owner only, and keyed by data center, client ID and secret.
    type: bool
    default: true
    env:
      - name: ACRONIS_TOKEN_CACHE
  token_cache_dir:
    description:
      - Directory of the token cache.
      - Defaults to C(acronis.cyber_platform/tokens) under E(XDG_CACHE_HOME), or under C(~/.cache).
    type: path
    env:
      - name: ACRONIS_TOKEN_CACHE_DIR
  token_renew_margin:
    description:
      - A token with less than this many seconds of life left is renewed before use.
    type: int
    default: 900
    env:
      - name: ACRONIS_TOKEN_RENEW_MARGIN
requirements:
  - requests >= 2.25.0
'''
