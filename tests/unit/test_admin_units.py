"""The official administrative units after 1 July 2025, from `vietnam-provinces`, wrapped in one module."""
import unicodedata

import pytest
from pydantic import BaseModel, ValidationError

from services.common import admin_units
from services.common.admin_units import KnownCommuneCode, KnownProvinceCode, LocalityKind


def test_the_list_has_34_provinces_and_3321_communes():
    assert len(admin_units.provinces()) == 34
    assert len(admin_units.all_communes()) == 3321
    assert len(admin_units.communes_of("24")) == 99


def test_son_hai_is_07543_of_bac_ninh():
    son_hai = admin_units.commune("07543")
    assert son_hai is not None
    assert son_hai.name == "Xã Sơn Hải" and son_hai.short_name == "Sơn Hải"
    assert son_hai.kind is LocalityKind.COMMUNE and son_hai.province_code == "24"
    bac_ninh = admin_units.province_of("07543")
    assert bac_ninh is not None
    assert (bac_ninh.code, bac_ninh.name, bac_ninh.in_words) == ("24", "Tỉnh Bắc Ninh", "tỉnh Bắc Ninh")
    assert son_hai in admin_units.communes_of("24")


def test_two_communes_share_a_name_and_are_told_apart_by_code():
    named = [c for c in admin_units.all_communes() if c.name == "Xã Sơn Hải"]
    assert {(c.code, c.province_code) for c in named} == {("07543", "24"), ("30811", "91")}


def test_wards_special_zones_and_cities_are_named_with_their_kind():
    kinds = {c.kind for c in admin_units.all_communes()}
    assert kinds == set(LocalityKind)
    ward = next(c for c in admin_units.communes_of("24") if c.kind is LocalityKind.WARD)
    assert ward.name == f"Phường {ward.short_name}"
    hanoi = admin_units.province("01")
    assert hanoi is not None
    assert (hanoi.name, hanoi.short_name, hanoi.in_words) == ("Thành phố Hà Nội", "Hà Nội", "thành phố Hà Nội")


def test_names_are_clean_nfc_text():
    for commune in admin_units.all_communes():
        assert commune.name == unicodedata.normalize("NFC", commune.name)
        assert "  " not in commune.name and commune.name == commune.name.strip()


@pytest.mark.parametrize("code", ["27154", "00000", "99999"])
def test_codes_outside_the_list_are_not_communes(code):
    assert admin_units.commune(code) is None and not admin_units.is_commune(code)
    assert admin_units.province_of(code) is None


def test_request_fields_accept_only_official_codes():
    class Query(BaseModel):
        commune_code: KnownCommuneCode
        province_code: KnownProvinceCode

    assert Query(commune_code="07543", province_code="24").commune_code == "07543"
    with pytest.raises(ValidationError) as refused:
        Query(commune_code="27154", province_code="23")
    assert [e["loc"][0] for e in refused.value.errors()] == ["commune_code", "province_code"]
    with pytest.raises(ValidationError) as malformed:
        Query(commune_code="7543", province_code="24")
    assert malformed.value.errors()[0]["type"] == "string_pattern_mismatch"
