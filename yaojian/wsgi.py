"""WSGI entry point (gunicorn yaojian.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yaojian.settings")
application = get_wsgi_application()
