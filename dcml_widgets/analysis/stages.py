"""The analysis stages, in order, for one frame and one set of options.

features -> out-of-sample model (or the user's pred_probs) -> one kNN graph (on the
features, or on sqrt(pred_probs) when there are none) -> Datalab issues -> data checks
(coverage, expectations) -> consistency (conflicting labels, slices, prototypes) ->
optional self-check -> PCA first look. :mod:`~dcml_widgets.analysis.pipeline` validates,
caches and calls :func:`run_stages`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis import data_checks, embed
from dcml_widgets.analysis.consistency import (
    CONSISTENCY_STAGE,
    ConsistencyInputs,
    check_consistency,
    join_consistency,
)
from dcml_widgets.analysis.consistency import report_fields as consistency_fields
from dcml_widgets.analysis.coverage import place_gaps
from dcml_widgets.analysis.data_checks import COVERAGE_STAGE, EXPECTATIONS_STAGE
from dcml_widgets.analysis.exclusions import split_labels
from dcml_widgets.analysis.inputs import (
    annotations_frame,
    check_layout,
    check_no_features_model,
    is_given_array,
    missing_pattern,
)
from dcml_widgets.analysis.issues import find_issues
from dcml_widgets.analysis.knn import nearest_neighbors
from dcml_widgets.analysis.knn_probs import probability_neighbors
from dcml_widgets.analysis.labels import encode_labels
from dcml_widgets.analysis.members import disagreement_counts
from dcml_widgets.analysis.pending import LAYOUT_STAGE, PendingAnalysis
from dcml_widgets.analysis.predictions import predictions, report_options
from dcml_widgets.analysis.progress import Progress
from dcml_widgets.analysis.report import AuditReport
from dcml_widgets.analysis.self_check import run_self_check

FIRST_LOOK_STAGES = ("features", "model", "neighbours", "issues", "first look")
#: Runs between "issues" and "first look" when analyze(self_check=True).
SELF_CHECK_STAGE = "self-check"


def run_stages(df: pd.DataFrame, *, progress: bool, **opts: Any) -> PendingAnalysis:
    """Run every stage but UMAP on ``df`` (options as :func:`~dcml_widgets.analyze`).

    Returns
    -------
    PendingAnalysis
    """
    from dcml_widgets.analysis.features import build_features
    from dcml_widgets.analysis.metrics import per_class_metrics

    label, features, seed = opts["label"], opts["features"], opts["random_state"]
    split = split_labels(df, label, opts["exclude"])
    labels, classes, notes = split.labels, split.classes, split.notes
    annotations = annotations_frame(df, label, opts["annotators"])
    given_layout = check_layout(opts["layout"], len(df))
    n = len(df)
    # UMAP's numba code is compiled (or loaded from its cache) by the layout stage itself: a
    # warm-up thread beside the classifier competed for the GIL and delayed the first look by
    # 2-3 s at 20k rows (a fresh process, 2 busy cores) while the whole analysis gained nothing.
    wants_umap = given_layout is None and n >= embed.MIN_UMAP_ROWS

    checks = [COVERAGE_STAGE, EXPECTATIONS_STAGE, CONSISTENCY_STAGE]
    checks += [SELF_CHECK_STAGE] if opts["self_check"] else []
    stages = [*FIRST_LOOK_STAGES[:4], *checks, FIRST_LOOK_STAGES[4]]
    bar = Progress(
        stages + [LAYOUT_STAGE] * wants_umap, enabled=bool(progress), title="dcml-widgets"
    )
    try:
        with bar.stage("features"):
            exclude = [] if annotations is None else list(annotations.columns)
            exclude = [c for c in exclude if c in df.columns]
            fm = build_features(
                df,
                label,
                features,
                exclude=exclude,
                random_state=_seed(seed),
                allow_empty=opts["pred_probs"] is not None,
                # the user's model already saw the pictures; decoding every file for raw
                # pixels would cost more than the whole audit (pass features= to use them)
                images=not (opts["pred_probs"] is not None and features is None),
            )
            X = fm.matrix
            if is_given_array(features):
                embedding_input = "given"
            else:
                embedding_input = "features" if X.shape[1] else "pred_probs"
            if embedding_input == "pred_probs":
                check_no_features_model(opts["model"])
        with bar.stage("model"):
            pred = predictions(
                X,
                labels,
                classes,
                model=opts["model"],
                cv=opts["cv"],
                pred_probs=opts["pred_probs"],
                given_classes=opts["classes"],
                random_state=_seed(seed),
                progress=bar.fraction,
            )
            classes, probs = pred.classes, pred.pred_probs
            notes += list(pred.notes)
        with bar.stage("neighbours"):
            k = min(embed.N_NEIGHBORS - 1, n - 1)
            if embedding_input == "pred_probs":
                reduced = embed.reduce_dimensions(np.sqrt(probs), random_state=_seed(seed))
                graph = probability_neighbors(probs, k)
            else:
                reduced = embed.reduce_dimensions(X, random_state=_seed(seed))
                graph = nearest_neighbors(reduced, k)
        with bar.stage("issues"):
            found = find_issues(
                labels,
                classes,
                probs,
                graph,
                missing=missing_pattern(df, label, features, exclude),
                too_rare=pred.too_rare,
                pred_probs_only=embedding_input == "pred_probs",
            )
            notes += list(found.notes)
            issues = found.issues
            codes = encode_labels(labels, classes)
            if pred.member_pred_probs is not None:
                issues = issues.assign(
                    num_models_disagreeing=disagreement_counts(
                        pred.member_pred_probs, codes, labels.index
                    )
                )
            issues["given_label"] = split.given
        with bar.stage(COVERAGE_STAGE):
            covered = data_checks.coverage(split, graph, reduced, classes, _seed(seed))
        with bar.stage(EXPECTATIONS_STAGE):
            schema, checked = data_checks.expectations(df, fm.plan, split.trained)
        issues, summary, invalid, more_notes = data_checks.join_results(
            issues, found.summary, covered, checked
        )
        notes += list(more_notes)
        with bar.stage(CONSISTENCY_STAGE):
            pieces = ConsistencyInputs(
                df, label, fm.plan, tuple(exclude), opts["slices"], split, classes, X,
                reduced, probs, found, embedding_input != "pred_probs", _seed(seed),
            )  # fmt: skip
            consistent = check_consistency(pieces, issues)
            issues, summary = join_consistency(issues, summary, consistent)
        check = None
        if opts["self_check"]:
            with bar.stage(SELF_CHECK_STAGE):
                check = run_self_check(
                    X,
                    codes,
                    pred.folds,
                    pred.model,
                    issues["is_label_issue"].to_numpy(bool)
                    if "is_label_issue" in issues
                    else np.zeros(n, bool),
                    pred.too_rare,
                    graph,
                    labels.index,
                    classes,
                    seed=seed,
                    progress=bar.fraction,
                )
        with bar.stage("first look"):
            predicted = pd.Series(classes[probs.argmax(axis=1)], index=labels.index)
            known = labels.notna().to_numpy()
            metrics, accuracy = per_class_metrics(labels[known], predicted[known], classes)
            agreement = _agreement(annotations, classes, probs)
            if given_layout is not None:
                coords, method = given_layout, "given"
            else:
                coords, method = embed.pca_layout(reduced, random_state=_seed(seed)), "pca"
                if not wants_umap:
                    notes.append(
                        f"Only {n} rows (UMAP needs {embed.MIN_UMAP_ROWS}): the layout is PCA."
                    )
            gaps = place_gaps(covered.gaps, labels.index, coords)
    except BaseException:
        bar.close("stopped", ok=False)
        raise

    report = AuditReport(
        label=label,
        ids=labels.index,
        classes=classes,
        given=split.given,
        pred_probs=probs,
        predicted=predicted,
        folds=pred.folds,
        feature_plan=data_checks.plan_with_expectations(fm.plan, schema),
        model_matrix=X,
        model=pred.model,
        issues=issues,
        summary=summary,
        embedding=coords,
        embedding_method=method,
        metrics=metrics,
        accuracy=float(accuracy),
        agreement=agreement,
        options=report_options(
            **{k: v for k, v in opts.items() if k not in ("annotators", "exclude", "slices")},
            annotations=annotations,
            encoder=fm.encoder,
        ),
        notes=tuple(dict.fromkeys(notes)),
        timings=dict(bar.timings),
        embedding_input=embedding_input,
        member_pred_probs=pred.member_pred_probs,
        self_check=check,
        excluded=split.excluded if split.excluded.any() else None,
        gaps=gaps,
        invalid_values=invalid,
        expectations=schema,
        **consistency_fields(consistent),
    )
    return PendingAnalysis(report, reduced if wants_umap else None, graph, bar)


def _seed(random_state: int | None) -> int:
    return 0 if random_state is None else int(random_state)


def _agreement(annotations, classes, probs):
    if annotations is None:
        return None
    from dcml_widgets.analysis.agreement import annotator_agreement

    return annotator_agreement(annotations, classes, pred_probs=probs)
