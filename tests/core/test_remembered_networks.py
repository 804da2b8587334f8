"""Contacts remembered from history keep their network and what it cannot do, before it reports them again."""

from __future__ import annotations

from lanchat.core.contacts import Network
from lanchat.core.history.records import ContactRecord, MessageRecord


def test_ipmsg_and_localsend_contacts_come_back_as_such(make_runtime):
    ana = make_runtime("ana")
    remembered = (("1" * 32, "ipmsg:10.0.0.5", "飞秋 pal"), ("2" * 32, "localsend:" + "AB" * 32, "Phone"))
    for mid, contact_id, name in remembered:
        ana.store.upsert_contact(ContactRecord(contact_id, name, "10.0.0.5", 2425))
        message = MessageRecord(mid, contact_id, ana.identity.id, "out", 1, "hi", "pending")
        ana.store.save_outgoing(message, [contact_id])
    assert ana.store.flush()
    ana.stop()

    again = make_runtime("ana")  # the same profile, networks other than lanchat off
    ipmsg = again.contacts.get("ipmsg:10.0.0.5")
    phone = again.contacts.get("localsend:" + "AB" * 32)
    assert ipmsg is not None and ipmsg.network is Network.IPMSG
    assert not ipmsg.capabilities.encryption and not ipmsg.capabilities.verified_identity
    assert phone is not None and phone.network is Network.LOCALSEND and phone.capabilities.encryption
    assert not phone.capabilities.verified_identity
