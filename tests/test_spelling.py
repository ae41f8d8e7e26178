from conftest import raw_text
from pipeline.clean import clean
from pipeline.spelling import find_repairs


def test_damaged_tone_is_repaired_when_the_document_proves_it():
    text = "I. MỤC ĐÍCH, YÊU CẨU\nđáp ứng yêu cầu nhiệm vụ; yêu cầu cao; thực hiện yêu cầu."
    c = clean(raw_text(text))
    assert c.text.startswith("I. MỤC ĐÍCH, YÊU CẦU")
    (r,) = [r for r in c.repairs if r.kind == "spelling"]
    assert (r.before, r.after) == ("CẨU", "CẦU") and text[
        r.source_start : r.source_start + 3
    ] == "CẨU"


def test_no_repair_without_evidence_in_the_document():
    assert find_repairs("MỤC ĐÍCH, YÊU CẨU") == []  # "yêu cầu" never written in this text


def test_words_that_are_right_are_left_alone():
    text = (
        "đi đôi với làm; phát huy dân chủ; nội dung công tác; cơ quan trong bộ máy; tình hình thực "
        "tiễn; "
        "về việc; của Đảng; đối với hình thức, hình thức, hình thức, quan trọng, quan trọng, nội "
        "dụng."
    )
    assert find_repairs(text) == []


def test_zero_false_repairs_on_the_typeset_seed_texts(shared_corpus):
    # the typeset texts are correct apart from the documents' own known errors ("YÊU CẨU" in 004)
    for path in sorted((shared_corpus / "typeset").glob("*.txt")):
        c = clean(raw_text(path.read_text(encoding="utf-8")))
        repairs = [(r.before, r.after) for r in c.repairs if r.kind == "spelling"]
        assert repairs == ([("CẨU", "CẦU")] if path.stem.startswith("004") else []), path.name


def test_capitals_ocr_was_unsure_of_get_back_the_marks_above_they_lost():
    def unsure(offset: int) -> bool:
        return True  # every word read with low confidence

    def repaired(text: str) -> list[str]:
        return [fixed for _, _, fixed in find_repairs(text, unsure)]

    # a heading's capitals are no name: the hat and the tone over it that OCR dropped come back
    assert repaired("I. THÀNH PHẢN") == ["PHẦN"]
    assert repaired("NỘI DUNG, ĐÓI TƯỢNG KIỂM TRA") == ["ĐỐI"]
    assert repaired("TÓM TÁT NỘI DUNG") == ["TẮT"]
    # never a hat taken away or a dot below changed: "LÂM" is no "LÀM", "CỤC" no "CÚC"
    assert repaired("CỤC HOA") == []
    # a place the gazetteer knows is a name, whatever the word lists say ("làm đồng")
    assert repaired("ĐẢNG BỘ TỈNH LÂM ĐỒNG") == []
    # where the pairs on its two sides want two words of it ("thành phần", "phân đoàn"),
    # neither is sure
    assert repaired("A. THÀNH PHÀN ĐOÀN LÀM VIỆC") == []


def test_names_in_capitals_get_their_marks_back_from_the_catalogue_in_ocr_text_only():
    from conftest import ocr_text
    from pipeline.spelling import find_name_repairs

    # a joint guidance's signature columns as a scan reads them
    text = (
        "Các bộ, ngành có trách nhiệm tổ chức thực hiện./.\n"
        "KT. BỘ TRƯỞNG\nBỌ QUỐC PHÒNG\nTHƯ TRƯƠNG\nNguyễn Văn Gấu\n"
        "KTCHÁNHÁN,\nTOA AN NHÀN DAN TỐI CAO\nPHO CHANH AN\nTrần Hải Quân\n"
    )
    scanned = clean(ocr_text(text)).text
    for line in ("BỘ QUỐC PHÒNG", "THỨ TRƯỞNG", "TÒA ÁN NHÂN DÂN TỐI CAO", "PHÓ CHÁNH ÁN"):
        assert f"\n{line}\n" in scanned
    assert "BỌ QUỐC PHÒNG" in clean(raw_text(text)).text  # typed text is as written
    # only lines in capitals, only names the catalogue has, and never one word alone
    assert find_name_repairs("Bọ quốc phòng\nTHƯ\nCÔNG TY CO PHAN\n") == []
