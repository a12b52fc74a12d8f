"""The devices of the exchange tests: an office database, a laptop copied from it, one set up on its own."""

from __future__ import annotations

import pytest

from tests.tracker.exchange.exchange_devices import (
    device_from,
    introduce,
    make_bundled_template,
    make_office_template,
)
from tracker.storage.device import this_device


@pytest.fixture(scope="session")
def office_template(tmp_path_factory):
    return make_office_template(tmp_path_factory.mktemp("office") / "office.sqlite3")


@pytest.fixture(scope="session")
def bundled_template(tmp_path_factory):
    return make_bundled_template(tmp_path_factory.mktemp("bundled") / "bundled.sqlite3")


@pytest.fixture
def made():
    """The devices a test has made so far: each new one and they trust each other (tracker.exchange.trust)."""
    return []


@pytest.fixture
def office(tmp_path, office_template, made):
    device = device_from(office_template, "office", tmp_path)
    with device:
        this_device()  # its identity and key exist before a laptop is copied from it
    made.append(device)
    return device


@pytest.fixture
def laptop(tmp_path, office, made):
    """A laptop set up from a file copy of the office database (made before any test edit): it trusts the office
    from the start; the office trusts it as its people would after comparing fingerprints."""
    device = office.copy_to("laptop", tmp_path / "laptop.sqlite3")
    made.append(device)
    introduce(*made)
    return device


@pytest.fixture
def standalone(tmp_path, bundled_template, made):
    """A laptop set up on its own from the bundled plan: other database ids than the office's."""
    device = device_from(bundled_template, "standalone", tmp_path)
    made.append(device)
    introduce(*made)
    return device
