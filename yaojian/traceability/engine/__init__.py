"""The traceability analytics engine: normalisation, the rules, two executors.

Nothing in this package imports Django, so the same files run under ``spark-submit`` on a
cluster (ship the package with ``--py-files``) and inside the web process.
"""
