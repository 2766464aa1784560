"""Migrations: plan steps per env, render them per dialect, write them per layout."""
