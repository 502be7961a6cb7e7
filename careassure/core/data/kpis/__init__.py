"""Operational KPI metadata and the default locality grouping (YAML)."""
