"""The branch workspace: where branches submit evidence and researchers review and publish it."""
