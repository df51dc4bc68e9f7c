"""Generated documents (PDF in Chinese), stored with their SHA-256; evidence bundles."""
