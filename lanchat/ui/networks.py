"""How the window names a contact's network and says what that network cannot do."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from lanchat.core.contacts import Contact, Network

translate = QCoreApplication.translate


def network_name(network: Network) -> str:
    return {
        Network.LANCHAT: "lanchat",
        Network.IPMSG: translate("networks", "IP Messenger"),
        Network.LOCALSEND: "LocalSend",
        Network.BROWSER: translate("networks", "Browser"),
    }[network]


def lacking_notes(contact: Contact) -> list[str]:
    """A short phrase for each capability the contact's network lacks, most important first."""
    notes = {
        "encryption": translate("networks", "not encrypted"),
        "verified_identity": translate("networks", "identity not verified"),
        "read_receipts": translate("networks", "no read receipts"),
        "typing": translate("networks", "no typing indicator"),
        "rooms": translate("networks", "group messages arrive one by one"),
        "resume": translate("networks", "cut transfers start over"),
    }
    lacking = set(contact.capabilities.lacking())
    return [note for name, note in notes.items() if name in lacking]


def network_parts(contact: Contact) -> list[str]:
    """What a chat header says of the contact's network: its name when it is not lanchat's own, and
    what it does not protect (the rest it lacks is in the contact's details)."""
    parts = [] if contact.network is Network.LANCHAT else [network_name(contact.network)]
    caps = contact.capabilities
    protection = [] if caps.encryption else [translate("networks", "not encrypted")]
    if not caps.verified_identity and caps.encryption:
        protection.append(translate("networks", "identity not verified"))
    return parts + protection
