"""What a document says, format-free: the document model and the sections built from results.

Never imports :mod:`junheng.reports.renderers` (tests/test_architecture.py)."""
