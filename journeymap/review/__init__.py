"""Review: the check's findings told to people and tools, and what a change does to the journey.

Reports (text, JSON, GitHub annotations, SARIF), a revision read from git's objects,
the journey-level diff of two revisions and its reports, and the GitHub Action.
"""
