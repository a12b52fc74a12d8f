"""A database on a network share is told to be one: SQLite's WAL and locks are not safe there."""

from __future__ import annotations

from tracker.storage import network

MOUNTS = """proc /proc proc rw 0 0
/dev/sda1 / ext4 rw,relatime 0 0
//fileserver/economy /mnt/office cifs rw 0 0
nas:/export/data /home/olena/nas nfs4 rw 0 0
/dev/sdb1 /mnt/office/usb vfat rw 0 0
"""


def test_network_shares_are_recognised():
    assert network.on_network_share(r"\\fileserver\economy\tracker.sqlite3")
    assert network.on_network_share("//fileserver/economy/tracker.sqlite3")
    assert network.on_network_share("/mnt/office/tracker.sqlite3", MOUNTS)
    assert network.on_network_share("/home/olena/nas/plan/tracker.sqlite3", MOUNTS)
    assert not network.on_network_share("/home/olena/tracker.sqlite3", MOUNTS)
    assert not network.on_network_share("/mnt/office/usb/tracker.sqlite3", MOUNTS)  # the deepest mount decides


def test_the_warning_is_for_files_on_shares_only(monkeypatch):
    monkeypatch.setattr(network, "on_network_share", lambda path, mounts=None: "office" in str(path))
    assert "мережевій теці" in network.network_warning("/mnt/office/tracker.sqlite3")
    assert network.network_warning("/home/olena/tracker.sqlite3") is None
    assert network.network_warning("postgresql://olena@server/tracker") is None

