"""REST API of the territory app: administrative regions and grid cells."""
