"""The confusion matrix: given against predicted labels, a drill-down into its cells."""
