"""Fixtures of the grid tests: the programme and its evaluation matrix, a data folder whose store
holds a mid-term appraisal and a rich final one, and that folder read."""

from __future__ import annotations

import pytest
from grid_helpers import data_folder, midterm_appraisal, rich_appraisal, store

from maroc_eval.base import paths
from maroc_eval.core.dataset import read_dataset
from maroc_eval.core.matrix import load_matrix


@pytest.fixture(scope="session")
def matrix(programme):
    """The shipped evaluation matrix (``params/evaluation.yml``)."""
    return load_matrix(programme)


@pytest.fixture
def rich_data(tmp_path):
    """A data folder (the sample's data) whose store holds Forest–Jérada's mid-term appraisal
    and the rich final one (:func:`grid_helpers.rich_appraisal`)."""
    data = data_folder(tmp_path / "data")
    store(data, midterm_appraisal())
    store(data, rich_appraisal())
    return data


@pytest.fixture
def rich_dataset(rich_data):
    """The rich data folder, read and checked."""
    return read_dataset(paths.PROGRAMME_FILE, rich_data)
