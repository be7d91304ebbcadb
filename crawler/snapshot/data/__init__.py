"""Offline copies of baonghean.vn documents (from shared/baonghean/samples) used to build the snapshot."""
