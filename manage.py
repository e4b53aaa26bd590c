#!/usr/bin/env python
"""Django's command-line utility; `mutualwatch` is the same thing, installed as a command."""

from mutualwatch.cli import main

if __name__ == "__main__":
    main()
