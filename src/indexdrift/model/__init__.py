"""The model: tables with their columns and indexes, snapshots, finding kinds."""
