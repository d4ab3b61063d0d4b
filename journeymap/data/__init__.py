"""Figures in and out of the map: metrics imported from CRM exports, the exports, and map.json."""
