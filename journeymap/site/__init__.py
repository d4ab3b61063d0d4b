"""Render a checked journey as a static site: pages, diagrams, search index, map.json.

build.py orchestrates a build; render.py renders one page; the other modules are what they name.
"""

from .build import Built, Progress, build_site
from .templates import TemplateProblem

__all__ = ["Built", "Progress", "TemplateProblem", "build_site"]
