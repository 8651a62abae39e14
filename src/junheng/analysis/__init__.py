"""Analyses beyond a standard's verdict — school places and 大班额, school groups,
双减 after-school services. Pure like ``junheng.core``: county data in, results out."""
