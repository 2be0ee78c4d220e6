"""From files to an index: corpus -> chunking -> analysis -> bm25 -> store (persisted, incremental)."""
