"""The importers, listed explicitly. Order matters: the first importer that claims a member gets it
(so the location importer comes before the general Takeout importer, which leaves location files to it, and
Instagram comes before Facebook: the two share the Messenger thread files, and Instagram claims only inside an
Instagram export or by its own wrapper keys)."""

from __future__ import annotations

from importlib import import_module
from typing import Any


class Deferred:
    """An importer whose module is imported when it is first asked anything but its name: importing a chat then
    never loads the Facebook, Instagram, Takeout and location parsers (about 0.1 s of start-up), which
    only run when an earlier importer has let a member pass."""

    def __init__(self, name: str, module: str | None = None):
        self.name = name
        self.module = module or name  # the module under datavault.importers (each so far is named as its importer)

    def __getattr__(self, attribute: str) -> Any:  # anything but name and module: the importer's own
        if attribute in ("name", "module") or attribute.startswith("__"):  # not set yet (a copy being made)
            raise AttributeError(attribute)
        return getattr(self.loaded(), attribute)

    def loaded(self) -> Any:
        """The importer itself (its module imported the first time)."""
        importer = self.__dict__.get("_importer")
        if importer is None:
            importer = self.__dict__["_importer"] = import_module(f"datavault.importers.{self.module}").IMPORTER
        return importer


IMPORTERS = [
    Deferred("whatsapp"),
    Deferred("location"),  # before takeout: the location files are its own
    Deferred("instagram"),  # before facebook: same vendor, same thread files
    Deferred("facebook"),
    Deferred("takeout"),
]


def by_name(name: str):
    for importer in IMPORTERS:
        if importer.name == name:
            return importer
    raise KeyError(name)
