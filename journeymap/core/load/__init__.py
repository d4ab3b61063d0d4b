"""Files → documents that remember where every value came from: a folder's files (`folder`), one file
(`file`), its YAML (`yaml`) or Markdown front matter (`markdown`), and the document itself (`document`)."""

from .document import KINDS, Document, Folder, Path_, Problem
from .file import MAX_FILE_BYTES, _inside, parse_document, read_bytes, read_document
from .folder import (
    Listing,
    MapNotFound,
    Reader,
    find_journeys,
    list_folder,
    load_folder,
    load_shared_owners,
    read_folder,
    shared_owners_file,
)
from .markdown import parse_markdown
from .yaml import MAX_DEPTH, MERGED_PER_BYTE, VALUES_PER_BYTE, _Loader, parse_yaml

__all__ = ["KINDS", "MAX_DEPTH", "MAX_FILE_BYTES", "MERGED_PER_BYTE", "VALUES_PER_BYTE", "Document", "Folder",
           "Listing", "MapNotFound", "Path_", "Problem", "Reader", "find_journeys", "list_folder", "load_folder",
           "load_shared_owners", "parse_document", "parse_markdown", "parse_yaml", "read_bytes", "read_document",
           "read_folder", "shared_owners_file",
           "_Loader", "_inside"]  # the two internals tests/test_load.py holds to (libyaml in use, no link out)
