"""The relabel grid: the kernel-paged review table."""
