# Solutions to notebooks/03_consistency_and_people.ipynb, one section per exercise.

# %% resolve
# The model cannot settle twins (each was scored by a model trained on the other), so count
# the annotators' votes over the whole group and give every row of it that digit.
for group, members in groups.groupby("conflict_group").groups.items():
    votes = df.loc[members, annotators].stack()
    dash.state.relabel(members, int(votes.mode()[0]), reason="annotators' majority")

# %% guidelines
said_vs_consensus = pd.concat(
    [pd.DataFrame({"said": df[a], "consensus": consensus}) for a in annotators]
).dropna()
disagree = said_vs_consensus[said_vs_consensus["said"] != said_vs_consensus["consensus"]]
pairs = disagree.apply(lambda r: tuple(sorted((int(r["said"]), int(r["consensus"])))), axis=1)
a, b = pairs.value_counts().index[0]
texts = {
    1: "A 1 is one stroke down; a short flag at the top is allowed, a horizontal bar is not.",
    7: "A 7 has a horizontal bar on top, then one stroke down to the left; count it as 7 "
    "even when the bar is short.",
}
for cls in (a, b):
    examples = report.prototypes.loc[report.prototypes["class"] == cls, "id"].head(2).tolist()
    dash.state.set_guideline(
        cls, texts.get(cls, f"What a {cls} looks like here."), examples=examples
    )
