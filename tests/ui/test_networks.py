"""The window says which network a contact is on and what that network lacks, from its capabilities."""

from __future__ import annotations

from lanchat.core.contacts import Capabilities, Contact, Network, Status
from lanchat.ui.contact_dialog import ContactDialog
from lanchat.ui.networks import lacking_notes, network_parts

NO_KEYS = Capabilities(rooms=False, typing=False, read_receipts=False, resume=True,
                       verified_identity=False, encryption=False)
IPMSG_ID = "ipmsg:10.0.0.7"


def test_lanchat_contacts_lack_nothing():
    contact = Contact("ab" * 32, "ben", "10.0.0.2", 48484, Status.ONLINE)
    assert network_parts(contact) == []


def test_a_contact_without_keys_says_so_in_order():
    contact = Contact(IPMSG_ID, "小红", "10.0.0.7", 2425, Status.ONLINE, network=Network.IPMSG, capabilities=NO_KEYS)
    assert lacking_notes(contact) == [
        "not encrypted", "identity not verified", "no read receipts", "no typing indicator",
        "group messages arrive one by one",
    ]
    assert network_parts(contact)[:2] == ["IP Messenger", "not encrypted"]


def test_the_chat_header_and_the_details_show_the_network(make_runtime, make_window, qtbot):
    ana = make_runtime("ana")
    window = make_window(ana)
    ana.contacts.update(Contact(IPMSG_ID, "小红", "10.0.0.7", 2425, Status.ONLINE, network=Network.IPMSG,
                                capabilities=NO_KEYS))
    qtbot.waitUntil(lambda: window.contacts_model.entry(IPMSG_ID) is not None, timeout=5000)
    tab = window.open_chat(IPMSG_ID)
    assert tab is not None
    subtitle = tab.subtitle.text()
    assert "IP Messenger" in subtitle and "not encrypted" in subtitle and "no read receipts" in subtitle
    contact = ana.contacts.get(IPMSG_ID)
    assert contact is not None
    dialog = ContactDialog(ana, contact, window)
    qtbot.addWidget(dialog)
    assert dialog.network.text() == "IP Messenger — not encrypted, identity not verified, no read receipts, " \
                                    "no typing indicator, group messages arrive one by one"
    assert not dialog.verified.isVisibleTo(dialog)  # no key to compare: nothing to tick
