"""Each test starts with no in-memory search index, since test databases roll back."""

import pytest

from inpractice.library.search import reset_index


@pytest.fixture(autouse=True)
def _fresh_search_index():
    reset_index()
    yield
    reset_index()
