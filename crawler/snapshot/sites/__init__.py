"""Site copies of publishers other than baonghean: one folder per publisher (crawler/snapshot/sitecopy.py)."""
