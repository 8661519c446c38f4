"""The importers, listed explicitly. Order matters: the first importer that claims a member gets it
(so the location importer comes before the general Takeout importer, which leaves location files to it)."""

from importers import facebook, location, takeout, whatsapp

IMPORTERS = [
    whatsapp.IMPORTER,
    location.IMPORTER,  # before takeout: the location files are its own
    facebook.IMPORTER,
    takeout.IMPORTER,
]


def by_name(name: str):
    for importer in IMPORTERS:
        if importer.name == name:
            return importer
    raise KeyError(name)
