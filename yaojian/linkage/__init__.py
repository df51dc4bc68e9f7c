"""Probabilistic record linkage (Splink on DuckDB) with Chinese normalisation; review queue."""
