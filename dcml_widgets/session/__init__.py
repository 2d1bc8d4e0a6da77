"""The front door: audit(), the analyses a dashboard runs, exports, measure."""
