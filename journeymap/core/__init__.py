"""The core: a map folder read, modelled and checked. Everything else is built on it.

locate → load (YAML and front matter, with positions) → schema → model → rules → check,
with findings as the one result type and the cache beneath. Nothing here knows about a
site, a pull request or a terminal.
"""
