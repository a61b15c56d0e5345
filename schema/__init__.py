"""The JSON Schemas for duban files, installed as duban.schema so an installed duban finds them."""
