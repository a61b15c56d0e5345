"""The record: writing changes as commits, reading the history, merging and sharing."""
