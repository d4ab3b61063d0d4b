"""journeymap: B2B customer journey maps as YAML in git, checked like code, published as a site."""

__version__ = "1.0.0"
