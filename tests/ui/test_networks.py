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
    assert network_parts(contact) == ["IP Messenger", "not encrypted"]
    localsend = Contact("localsend:" + "AB" * 32, "phone", "10.0.0.8", 53317, Status.ONLINE,
                        network=Network.LOCALSEND, capabilities=Capabilities(encryption=True))
    assert network_parts(localsend) == ["LocalSend", "identity not verified"]


def test_the_chat_header_and_the_details_show_the_network(make_runtime, make_window, qtbot):
    ana = make_runtime("ana")
    window = make_window(ana)
    ana.contacts.update(Contact(IPMSG_ID, "小红", "10.0.0.7", 2425, Status.ONLINE, network=Network.IPMSG,
                                capabilities=NO_KEYS))
    qtbot.waitUntil(lambda: window.contacts_model.entry(IPMSG_ID) is not None, timeout=5000)
    tab = window.open_chat(IPMSG_ID)
    assert tab is not None
    subtitle = tab.subtitle.text()
    assert subtitle.endswith("IP Messenger  ·  not encrypted")
    contact = ana.contacts.get(IPMSG_ID)
    assert contact is not None
    dialog = ContactDialog(ana, contact, window)
    qtbot.addWidget(dialog)
    assert dialog.network.text() == "IP Messenger — not encrypted, identity not verified, no read receipts, " \
                                    "no typing indicator, group messages arrive one by one"
    assert not dialog.verified.isVisibleTo(dialog)  # no key to compare: nothing to tick


def test_the_compose_area_says_what_the_network_does_not_protect(make_runtime, make_window, qtbot):
    ana = make_runtime("ana")
    window = make_window(ana)
    ana.contacts.update(Contact(IPMSG_ID, "小红", "10.0.0.7", 2425, Status.ONLINE, network=Network.IPMSG,
                                capabilities=NO_KEYS))
    lanchat_id = "cd" * 32
    ana.contacts.update(Contact(lanchat_id, "ben", "10.0.0.2", 48484, Status.ONLINE))
    qtbot.waitUntil(lambda: window.contacts_model.entry(IPMSG_ID) is not None
                    and window.contacts_model.entry(lanchat_id) is not None, timeout=5000)
    ipmsg_tab = window.open_chat(IPMSG_ID)
    assert ipmsg_tab.network_note.isVisibleTo(ipmsg_tab)
    assert "IP Messenger is not encrypted" in ipmsg_tab.network_note.text()
    lanchat_tab = window.open_chat(lanchat_id)
    assert not lanchat_tab.network_note.isVisibleTo(lanchat_tab)
    everyone = window.open_chat(window.contacts_model.entries()[0].id)  # Everyone: both are online
    assert everyone.network_note.isVisibleTo(everyone) and "小红" in everyone.network_note.text()
