"""The journey as typed objects, built tolerantly from whatever the files hold: the items (`items`), the
journey with its lookups and derived figures (`journey`), and the building from documents (`build`)."""

from .build import build_journey
from .items import (
    LABEL_CHARS,
    LARGEST_NUMBER,
    SLUG,
    Brief,
    Evidence,
    Experiment,
    Metric,
    Origin,
    Owner,
    Persona,
    Phase,
    Stage,
    Touchpoint,
    compared_fields,
    exported_fields,
    is_figure,
    listed,
    percent,
)
from .journey import ITEM_CLASSES, ITEM_KINDS, Journey, Transition

__all__ = ["ITEM_CLASSES", "ITEM_KINDS", "LABEL_CHARS", "LARGEST_NUMBER", "SLUG", "Brief", "Evidence", "Experiment",
           "Journey", "Metric", "Origin", "Owner", "Persona", "Phase", "Stage", "Touchpoint", "Transition",
           "build_journey", "compared_fields", "exported_fields", "is_figure", "listed", "percent"]
