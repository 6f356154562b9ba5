"""The server-drawn SVG charts: valid XML, accessible (role, title, description), values written as text."""
import xml.etree.ElementTree as ET

from services.web.charts import Bar, Pair, bars, number, paired_bars, shorten

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(SVG + "text")]


def test_bars_are_an_accessible_image_with_each_value_written():
    svg = bars("ti-le", "Số xã theo tỉ lệ", "Mô tả <đủ> & rõ", [Bar("100 %", 12, "12 xã"), Bar("Dưới 50 %", 3, "3 xã")])
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "ti-le-tieu-de ti-le-mo-ta"
    assert root.findtext(SVG + "title") == "Số xã theo tỉ lệ"
    assert root.findtext(SVG + "desc") == "Mô tả <đủ> & rõ"  # escaped in the SVG, read back whole
    assert texts(svg) == ["100 %", "12 xã", "Dưới 50 %", "3 xã"]
    widths = [float(r.get("width", "")) for r in root.iter(SVG + "rect")]
    assert widths[0] > widths[1] > 0 and widths[0] == widths[1] * 4


def test_bars_with_nothing_to_show_draw_no_length():
    svg = bars("x", "T", "D", [Bar("Không", 0, "0 xã")])
    assert [r.get("width") for r in ET.fromstring(svg).iter(SVG + "rect")] == ["0.0"]
    ET.fromstring(bars("y", "T", "D", []))  # still a valid image


def test_paired_bars_label_each_sex_in_words_not_only_colour():
    svg = paired_bars("gioi", "Chỉ tiêu theo giới", "D", [Pair("Số người được tuyên truyền (người)", 1200, 900.5)])
    assert texts(svg) == ["Số người được tuyên truyền (người)", "Nữ", "Nữ: 1.200", "Nam", "Nam: 900,5"]
    female, male = ET.fromstring(svg).iter(SVG + "rect")
    assert float(female.get("width", "")) > float(male.get("width", "")) and female.get("fill") != male.get("fill")


def test_numbers_are_written_the_vietnamese_way_and_long_labels_cut():
    assert [number(1200), number(12.5), number(0.25), number(None), number(3.0)] == ["1.200", "12,5", "0,25", "–", "3"]
    assert shorten("a" * 60, 10) == "a" * 9 + "…" and shorten("ngắn") == "ngắn"
