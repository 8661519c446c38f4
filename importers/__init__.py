"""The importers, listed explicitly. Order matters: the first importer that claims a member gets it
(so the location importer comes before the general Takeout importer, which leaves location files to it, and
Instagram comes before Facebook: the two share the Messenger thread files, and Instagram claims only inside an
Instagram export or by its own wrapper keys)."""

from datavault.importers import facebook, instagram, location, takeout, whatsapp

IMPORTERS = [
    whatsapp.IMPORTER,
    location.IMPORTER,  # before takeout: the location files are its own
    instagram.IMPORTER,  # before facebook: same vendor, same thread files
    facebook.IMPORTER,
    takeout.IMPORTER,
]


def by_name(name: str):
    for importer in IMPORTERS:
        if importer.name == name:
            return importer
    raise KeyError(name)
