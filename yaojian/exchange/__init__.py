"""Department data sources, templates, imports with rejected rows, provenance, data-quality alerts."""
