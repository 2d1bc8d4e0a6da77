# Solutions to notebooks/05_measure_the_intervention.ipynb, one section per exercise.

# %% fix
# The projection ranks accepting the suggestions first (plans.index[0]).
ids = plans.loc["accept_suggestions", "ids"]
dash.state.accept_suggestion(ids, reason="what-if: accept_suggestions ranked first")
cmp = dash.measure()
