"""The staff console: the web pages and JSON API where 동 centre staff work their cases."""
