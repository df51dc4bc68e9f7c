"""The served workers move their long-lived objects out of the collector's way (``gc.freeze``)."""

from __future__ import annotations

import gc
import importlib.util

from django.conf import settings


def _conf():
    path = settings.BASE_DIR / "scripts" / "gunicorn_conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_loaded_worker_freezes_what_it_holds_and_a_full_collection_then_has_little_to_examine():
    conf = _conf()
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        conf.post_worker_init(object())
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # Django, DRF, every app's views: tens of thousands of objects
        assert len(gc.get_objects()) < frozen / 10
    finally:
        gc.unfreeze()


def test_the_worker_freezes_again_after_its_first_requests_and_then_no_more():
    conf = _conf()
    gc.unfreeze()
    try:
        for served in range(1, 501):
            conf.post_request(None, None, None, None)
            if served == 49:
                assert gc.get_freeze_count() == 0
            if served == 50:
                assert gc.get_freeze_count() > 0
                gc.unfreeze()
            if 50 < served < 500:
                assert gc.get_freeze_count() == 0
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        conf.post_request(None, None, None, None)
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
