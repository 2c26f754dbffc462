"""Secrets named by the policy (the sampling key), read once at start from env or file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from policies import LoadedPolicy
from policies.key_id import derive_key_id
from policies.sections.sampling import KeyRef
from sampling import SamplingKey
from streams.config import ConfigError
from streams.signing.key_files import WeakKey, key_material, read_key_file


def load_sampling_key(ref: KeyRef, environ: Mapping[str, str] | None = None) -> SamplingKey:
    """The key the policy's `sampling.key` names; errors say where it was looked for."""
    environ = os.environ if environ is None else environ
    if ref.env is not None:
        where = f"environment variable {ref.env}"
        secret = environ.get(ref.env, "").strip()
        if not secret:
            raise ConfigError(f"{ref.env}: not set; the policy's sampling key {ref.id!r} is "
                              f"read from it (e.g. export {ref.env}=$(openssl rand -hex 32))")
    else:
        path = Path(ref.file or "")
        where = f"file {path}"
        try:
            secret = read_key_file(path, f"sampling key {ref.id!r}").strip()
        except WeakKey as exc:
            raise ConfigError(str(exc)) from None
    try:
        key_material(secret, f"sampling key {ref.id!r} ({where})")
    except WeakKey as exc:
        raise ConfigError(str(exc)) from None
    # The published id names the key and which secret it held (HKDF, never a hash of it),
    # so an auditor recomputing draws knows which secret to ask for after a rotation.
    return SamplingKey(f"{ref.id}@{derive_key_id(secret.encode(), 'sampling-key')}",
                       secret.encode())


class SamplingKeys:
    """The sampling keys policies name, loaded once each and kept by id."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ
        self._keys: dict[str, SamplingKey] = {}

    def key_for(self, ref: KeyRef) -> SamplingKey:
        key = self._keys.get(ref.id)
        if key is None:
            key = self._keys[ref.id] = load_sampling_key(ref, self._environ)
        return key

    def check(self, policy: LoadedPolicy) -> None:
        """Raise ConfigError unless the policy's sampling key can be loaded."""
        if policy.policy.sampling is not None:
            self.key_for(policy.policy.sampling.key)
