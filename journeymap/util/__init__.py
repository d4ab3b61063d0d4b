"""Small pieces with no knowledge of journeys: words, paths, bundled files, safe text and URLs."""
