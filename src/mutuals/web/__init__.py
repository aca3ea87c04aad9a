"""The web app: server-rendered pages and a JSON API over the same library functions as the CLI."""
