from pipeline import provinces
from pipeline.provinces import Where, key, where


def test_the_gazetteer_holds_both_maps():
    g = provinces.gazetteer()
    assert len(g["provinces"]) == 63 and len(g["provinces_2025"]) == 34
    # every province of before 2025 is in exactly one of after, and that one says so
    parts = [p for merged in g["provinces_2025"].values() for p in merged]
    assert sorted(parts) == sorted(g["provinces"])
    assert all(p in g["provinces_2025"][v["from_2025"]] for p, v in g["provinces"].items())
    assert g["provinces_2025"]["Gia Lai"] == ["Bình Định", "Gia Lai"]
    assert sum(len(units) for units in g["districts"].values()) > 690


def test_a_district_or_a_province_resolves_to_its_province():
    assert where("Tuy Phước", "Ban Thường vụ Huyện ủy") == Where("Bình Định", True)
    assert where(None, "Huyện ủy Tuy Phước") == Where("Bình Định", True)
    assert where(None, "Ban Thường vụ Thành ủy Quy Nhơn") == Where("Bình Định", True)
    assert where("An Phú", None) == Where("An Giang", True)
    assert where("An Phủ", None) == Where("An Giang", True)  # a mark misread by OCR
    assert where("Bắc Ninh", "Ủy ban nhân dân tỉnh Bắc Ninh") == Where("Bắc Ninh", False)
    assert where("Thành phố Hồ Chí Minh", None) == Where("Hồ Chí Minh", False)
    assert where("Thừa Thiên Huế", None) == Where("Huế", False)  # its name until 2025
    # a city that is a province, not Thành phố Hà Nội district of another
    assert where(None, "Hội đồng nhân dân thành phố Hà Nội") == Where("Hà Nội", False)
    # "Quảng Ninh" is a province and a district of Quảng Bình: the word before it tells
    assert where(None, "Ủy ban nhân dân tỉnh Quảng Ninh") == Where("Quảng Ninh", False)
    assert where(None, "Huyện ủy Quảng Ninh") == Where("Quảng Bình", True)


def test_what_names_no_one_province_tells_none():
    assert where("Châu Thành", None) is None  # ten provinces' districts
    assert where(None, "Ban Chấp hành Đảng bộ tỉnh") is None
    assert where("Hà Nội", "Ủy ban nhân dân tỉnh Bắc Ninh") is None  # they disagree
    assert where("Căn cứ Luật Tổ chức Chính phủ", None) is None
    assert where(None, None) is None


def test_the_citing_date_decides_which_map_applies():
    binh_dinh, gia_lai = Where("Bình Định", True), Where("Gia Lai", False)
    assert key(binh_dinh, "2024-05-10", "2024") == "Bình Định"
    assert key(gia_lai, "2024-05-10", "2024-02-01") == "Gia Lai"
    # after the merger, a number of before it: which of the two gave it is not told
    assert key(gia_lai, "2025-09-10", "2024") is None
    # the merged province numbers anew
    assert key(gia_lai, "2025-09-10", "2025-08-01") == "Gia Lai (2025)"
    assert key(gia_lai, "2025-09-10", "2026") == "Gia Lai (2025)"
    assert key(gia_lai, "2025-09-10", "2025") is None  # before or after July
    # undated: a district's document is from before districts were abolished
    assert key(binh_dinh, None, "2023") == "Bình Định" and key(gia_lai, None, "2023") is None
    # a province left whole is one across the reorganisation
    ha_tinh = Where("Hà Tĩnh", False)
    assert key(ha_tinh, "2025-09-10", "2024") == key(ha_tinh, None, "2026") == "Hà Tĩnh"
    assert key(None, "2024-01-01", "2024") is None


def test_units_named_together_narrow_each_other():
    # a district name ten provinces share, and the province the issuer names with it
    assert where("Châu Thành", "Huyện ủy Châu Thành, tỉnh Tiền Giang") == Where("Tiền Giang", True)
    # a place read wrongly from the text is left aside, the issuer still tells
    assert where("Căn cứ Luật Tổ chức", "Ủy ban nhân dân tỉnh Lào Cai") == Where("Lào Cai", False)


def test_unit_names_are_found_with_their_unit_word_the_longest_name_first():
    def named(text):
        return [text[a:b] for a, b in provinces.unit_names(text)]

    assert named("ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ VỀ VIỆC") == ["TỈNH THỪA THIÊN HUẾ"]
    assert named("UBND tỉnh Bà Rịa - Vũng Tàu và huyện Tuy Phước") == [
        "tỉnh Bà Rịa - Vũng Tàu",
        "huyện Tuy Phước",
    ]
    # a unit word with no name the gazetteer knows after it, or a name with no unit word
    assert named("UBND xã Yên Thành, tỉnh ủy viên") == [] and named("Lào Cai") == []
