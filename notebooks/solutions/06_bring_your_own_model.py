# Solutions to notebooks/06_bring_your_own_model.ipynb, one section per exercise.

# %% probs
probs = cross_val_predict(model, X, y, cv=5, method="predict_proba")
report = dw.analyze(df, label="digit", pred_probs=probs, features=embedding, progress=False)
