"""The small core every part uses: settings (config.py), texts (messages.py), errors, state, caches."""
