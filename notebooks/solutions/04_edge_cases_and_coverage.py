# Solutions to notebooks/04_edge_cases_and_coverage.ipynb, one section per exercise.

# %% to_exclude
# No till charges thousands for a handful of items in the afternoon; the frauds are large too,
# but they come at night from far away and are labelled fraud: keep them.
to_exclude = tx.index[(tx["amount"] > 2000) & (tx["fraud"] == 0)]

# %% collect_next
examples = [i for ids in report.gaps["example_ids"] for i in ids]
collect_next = pool.loc[examples, "scanner"].mode()[0]

# %% weak_slice
# The first row of report.slices whose whole interval lies below 0 (it is sorted by ci_high).
sure = report.slices[report.slices["significant"] & (report.slices["source"] == "column")]
weak_slice = (sure.iloc[0]["column"], sure.iloc[0]["value"])
