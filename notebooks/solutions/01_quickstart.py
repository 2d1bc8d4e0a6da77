# Solutions to notebooks/01_quickstart.ipynb, one section per exercise ("# %% <name>").
# A test runs each exercise's check unsolved (it must fail), then this section, then the check
# again (it must pass), in the same kernel.

# %% suspects
suspects = dash.report.issues["label_score"].sort_values().index[: len(df.attrs["flipped"])]
