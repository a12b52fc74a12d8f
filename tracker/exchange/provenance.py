"""Where a change was made, as its maker signed it: a trusted laptop cannot pass its own changes off as another's.

A package is signed by its sender, but it carries other devices' changes too: the office passes each laptop's on
to the others. The sender's signature says only who sent them — a trusted laptop could write changes «made on»
another laptop, under any name, and the office took them as that laptop's (and sent them on to it, where they
stood as its own and made it think it had been put back from an older copy). So each change is signed by the device
it was made on, once, when that device first sends it (``sign_own``); the signature travels with the change through
every relay and is kept by every database that takes it (``EventSignature``).

A change said to be made on another device than the sender (``unproven``) is taken when:

* its device is not known here (no key to check it by: as before, the sender's word);
* its signature holds by that device's key;
* it has none and the sender is the office this database is a copy of — the office passes on changes it took before
  changes were signed; a laptop's word is not enough.

Any other is left out and said. Changes said to be made here are tracker.exchange.merge's (``disowned``).

A change made on a device this database no longer trusts (``made_on_revoked``) is left out too, signed or not, and
said: revoking a device refused its own packages, but its changes still came in through any device that relayed them
(a stolen laptop's, through another laptop that had taken its package). What came in while it was trusted stays.
"""

from __future__ import annotations

from dataclasses import replace

from ..storage import prepared
from ..storage.models import EventSignature, TrustedDevice
from .package import Event, signature, signature_holds

_CHUNK = 500


def signatures_of(uids: list[str]) -> dict[str, str]:
    """The kept signatures of these changes: uid → signature."""
    found: dict[str, str] = {}
    for start in range(0, len(uids), _CHUNK):
        chunk = uids[start:start + _CHUNK]
        found.update(EventSignature.select(EventSignature.event_uid, EventSignature.signature)
                     .where(EventSignature.event_uid.in_(chunk)).tuples())
    return found


def sign_own(events: list[Event], own_uid: str, private_key: str | None) -> list[Event]:
    """The events as they are sent: each with its kept signature, this device's own unsigned ones signed now (and
    the signatures kept, inside the caller's transaction)."""
    kept = signatures_of([e.uid for e in events])
    made = {}
    if private_key:
        for event in events:
            if event.device == own_uid and event.uid not in kept and event.uid not in made:
                made[event.uid] = signature(event.signed_body(), private_key)
    _keep(list(made.items()))
    kept.update(made)
    return [replace(e, signature=kept[e.uid]) if e.uid in kept and e.signature != kept[e.uid] else e for e in events]


def keep_signatures(events: list[Event]) -> None:
    """Keep the signatures of changes taken in (recorded in the history), to send them on with them."""
    _keep([(e.uid, e.signature) for e in events if e.signature])


def _keep(rows: list[tuple[str, str]]) -> None:
    """(uid, signature) rows, a change's signature kept once (one kept already stays: the same change's)."""
    columns = [EventSignature.event_uid, EventSignature.signature]
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        prepared.run(EventSignature._meta.database, ("event signatures", len(chunk)),
                     lambda: EventSignature.insert_many(chunk, fields=columns).on_conflict_ignore(),
                     [value for row in chunk for value in row])


def unproven(events: list[Event], sender_uid: str, sender_key: str | None, own_uid: str, vouched: bool) -> set[str]:
    """The uids of changes said to be made on another device than the sender, known here, that it did not sign
    (see the module's docstring). ``vouched``: the sender is the office this database is a copy of. A device known
    here by the sender's own key is the sender under an earlier identity (put back from a copy, it took a new one):
    its changes from before are its own. The sender's own changes are its package's signature's: each checked as
    well, a package's import took 2.4 times as long (Ed25519, ~0.1 ms a change)."""
    keys = dict(TrustedDevice.select(TrustedDevice.device_uid, TrustedDevice.public_key).tuples())
    found = set()
    for event in events:
        device = event.device
        if device is None or device in (sender_uid, own_uid) or not keys.get(device) or keys[device] == sender_key:
            continue
        if event.signature is None:
            if not vouched:
                found.add(event.uid)
        elif not signature_holds(event.signed_body(), keys[device], event.signature):
            found.add(event.uid)
    # a save's other changes with them: taken alone, a status without its percent made a record whose percent
    # (0, nobody's) then stood in conflict with the true one when it came
    sets = {(e.device, e.change_set) for e in events if e.uid in found}
    return found | {e.uid for e in events if (e.device, e.change_set) in sets}


def made_on_revoked(events: list[Event], sender_key: str | None) -> dict[str, str]:
    """The changes made on a device whose trust here is revoked, relayed by another: uid → that device's name. A
    revoked identity under the sender's own key is the sender's earlier one (put back from a copy, it took a new
    one): its changes are the sender's own, as in ``unproven``."""
    revoked = {uid: (name, key) for uid, name, key in TrustedDevice.select(
        TrustedDevice.device_uid, TrustedDevice.name, TrustedDevice.public_key).where(
        TrustedDevice.revoked_at.is_null(False)).tuples()}
    if not revoked:
        return {}
    return {event.uid: revoked[event.device][0] or event.device[:8] for event in events
            if event.device in revoked and revoked[event.device][1] != sender_key}
