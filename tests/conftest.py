"""Tests never write into the user's own cache folder."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory):
    saved = os.environ.get("CALCINOSIS_CACHE_DIR")
    os.environ["CALCINOSIS_CACHE_DIR"] = str(tmp_path_factory.mktemp("calcinosis-cache"))
    yield
    if saved is None:
        os.environ.pop("CALCINOSIS_CACHE_DIR", None)
    else:
        os.environ["CALCINOSIS_CACHE_DIR"] = saved
