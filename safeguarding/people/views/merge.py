"""People pages. See people/urls.py for the routes this module serves."""
