"""The embedding explorer: the report's 2-D layout as a WebGL scatter."""
