"""The dashboard: every view of one audit, with its header and panels."""
