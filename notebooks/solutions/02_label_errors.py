# Solutions to notebooks/02_label_errors.ipynb, one section per exercise ("# %% <name>").

# %% sure_fixes
issues = report.issues
everyone_disagrees = issues["num_models_disagreeing"] == len(models)
sure_fixes = issues.index[issues["is_label_issue"] & everyone_disagrees]
