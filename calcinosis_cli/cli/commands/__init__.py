"""One module per command; cli.py imports a command only when it runs."""
