"""A log-in with an unknown name is verified against a hash of no one's password, as slow as a
real one: made by the hasher in use (its parameters), on the first such log-in — not at import,
where it cost every command and worker some 0.15 s of its start."""

from __future__ import annotations

import subprocess
import sys

from argon2 import PasswordHasher, extract_parameters

from sagwa.services import accounts


def test_importing_the_accounts_module_hashes_nothing() -> None:
    said = subprocess.run(
        [sys.executable, "-c", "import sagwa.services.accounts as a; print(len(a._DUMMY_HASHES))"],
        capture_output=True, text=True, check=True, timeout=60)
    assert said.stdout.strip() == "0"


def test_the_dummy_hash_has_the_parameters_of_the_hasher_in_use(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    slow = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    monkeypatch.setattr(accounts, "_HASHER", slow)
    made = accounts._dummy_hash()
    assert extract_parameters(made).time_cost == 2 and extract_parameters(made).memory_cost == 16
    assert accounts._dummy_hash() is made  # once
