"""Scripts that rebuild the shipped models (need the dev extra: scikit-learn; not used at run time)."""
