"""Yaojian (药监协同): one platform for every department that shares drug safety."""
