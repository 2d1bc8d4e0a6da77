

def test_the_header_counts_conflicting_labels_and_a_click_selects_them(copies):
    from dcml_widgets.views.dashboard.header import Header

    df, report = copies
    state = DatasetState(df, "y", report=report)
    header = Header(state)
    entry = next(e for e in header.issues if e["issue"] == "conflicting_label")
    assert entry["label"] == "conflicting labels" and entry["count"] == 4 and entry["selectable"]
    header._handle_msg(comm_message({"type": "select_issue", "issue": "conflicting_label"}))
    assert header.error == ""
    assert sorted(state.selection) == [5, 900, 901, 902]
