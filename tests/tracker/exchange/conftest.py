"""The devices of the exchange tests: an office database, a laptop copied from it, one set up on its own."""

from __future__ import annotations

import pytest

from tests.tracker.exchange.exchange_devices import device_from, make_bundled_template, make_office_template


@pytest.fixture(scope="session")
def office_template(tmp_path_factory):
    return make_office_template(tmp_path_factory.mktemp("office") / "office.sqlite3")


@pytest.fixture(scope="session")
def bundled_template(tmp_path_factory):
    return make_bundled_template(tmp_path_factory.mktemp("bundled") / "bundled.sqlite3")


@pytest.fixture
def office(tmp_path, office_template):
    return device_from(office_template, "office", tmp_path)


@pytest.fixture
def laptop(tmp_path, office):
    """A laptop set up from a file copy of the office database (made before any test edit)."""
    return office.copy_to("laptop", tmp_path / "laptop.sqlite3")


@pytest.fixture
def standalone(tmp_path, bundled_template):
    """A laptop set up on its own from the bundled plan: other database ids than the office's."""
    return device_from(bundled_template, "standalone", tmp_path)
