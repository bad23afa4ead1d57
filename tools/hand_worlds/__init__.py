"""Builder of the embedded world ``paijat_hame`` from the StatFin tables in ``shared/data``.

Modules, in dependency order: ``inputs`` (the tables and the world record),
``population``, ``services``, ``travel``, ``facilities``, ``paijat_hame`` (assembles the
world), ``writers`` (the world folder) and ``readme`` (its provenance README). The
command line is ``tools/build_worlds.py``.
"""
