"""Branches' campaign case files for keeping a service in-house."""
