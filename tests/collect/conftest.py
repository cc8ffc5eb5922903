"""Fixtures of the collection tests."""

from __future__ import annotations

import pytest
from collect_helpers import sample_values


@pytest.fixture(scope="session")
def truth() -> dict[tuple, float]:
    """The sample's values: what the communes « send » for 2011 and 2012."""
    return sample_values()
