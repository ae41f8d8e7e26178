"""The offset-keeping editor: edits, the map back to the source, block boundaries beside the
text."""

from pipeline.editor import TextEditor


def test_edits_keep_offsets_back_to_the_source_and_record_repairs():
    ed = TextEditor("ab  cd\r\nef")
    ed.apply([(2, 4, " "), (6, 8, "\n")], "spaces")
    assert ed.text == "ab cd\nef"
    cleaned = ed.finish()
    assert [cleaned.source_offset(i) for i in (0, 3, 6)] == [0, 4, 8]
    assert [(r.kind, r.before, r.after) for r in cleaned.repairs] == [
        ("spaces", "  ", " "),
        ("spaces", "\r\n", "\n"),
    ]


def test_block_boundaries_travel_with_the_text_and_go_with_a_replaced_span():
    ed = TextEditor("**I. MỤC ĐÍCH**\nnội dung\n---\ntiếp")
    ed.mark(15, "hard")  # after the heading line
    ed.mark(25, "rule")  # the rule line's start
    ed.mark(5, "soft")  # inside "MỤC", which an edit below replaces
    ed.apply([(0, 2, ""), (3, 8, "X"), (13, 15, "")], "markdown")
    assert ed.text == "IX ĐÍCH\nnội dung\n---\ntiếp"
    assert ed.breaks == {7: "hard", 17: "rule"}
    assert ed.break_between(7, 8) == "hard" and ed.break_between(8, 16) is None
    ed.mark(7, "soft")  # a weaker kind never replaces a stronger one
    assert ed.breaks[7] == "hard"
    ed.unmark(0, 20, "rule")
    assert ed.breaks == {7: "hard"}
    assert "\x00" not in ed.text and "\x01" not in ed.text
