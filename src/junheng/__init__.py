"""junheng (均衡) — 县域义务教育优质均衡发展督导评估 for county education bureaus."""

__version__ = "0.1.0"
