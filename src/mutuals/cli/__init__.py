"""The command line: thin wrappers over library functions. Errors are translated in main.py only."""
