"""Writing the map: `init`'s scaffold, the safe fixes, and edits of YAML that keep its layout."""
