"""The small core every part uses: settings (config.py), texts (messages.py), errors, state, caches,
URLs as they may be printed (urls.py)."""
