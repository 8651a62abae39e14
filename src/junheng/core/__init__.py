"""The pure core: facts, issues, the evaluation engine and its formula registry.

Imports nothing from intake, storage, web, CLI, FastAPI, SQLAlchemy or any Excel
library (tests/test_architecture.py enforces it).
"""
