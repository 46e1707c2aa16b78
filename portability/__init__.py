"""Owning your data: the interchange format, backups, import and the /data/ pages.

It reads and writes the rows of timeline, library and reviews; nothing imports it.
"""
