"""The official administrative units after the reorganisation of 1 July 2025: 34 provinces and 3,321
communes, wards and special zones, from the maintained package `vietnam-provinces` (not a table of ours).

Codes are the official ones as strings: a province '24', a commune '07543' (five digits, leading zero
kept). Two communes may share a name in different provinces (Xã Sơn Hải is 07543 in Bắc Ninh and
30811 in An Giang): a commune is always found by its code, never by its name.

Where a commune code enters the platform from outside (an HTTP path or body) it must be one of the
list. Events are not checked against it: a code the list drops in a later reorganisation must not
turn yesterday's events into dead letters, and the producer checked the code when it took it in.
"""
from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, Field
from vietnam_provinces import Province as _Province
from vietnam_provinces import VietNamDivisionType
from vietnam_provinces import Ward as _Ward

from services.common.events.contracts import COMMUNE_CODE

PROVINCE_CODE = r"^[0-9]{2}$"


class LocalityKind(str, enum.Enum):
    """The kind of a commune-level unit after 1 July 2025."""
    COMMUNE = "xa"            # xã
    WARD = "phuong"           # phường
    SPECIAL_ZONE = "dac_khu"  # đặc khu


_KINDS = {VietNamDivisionType.XA: LocalityKind.COMMUNE, VietNamDivisionType.PHUONG: LocalityKind.WARD,
          VietNamDivisionType.DAC_KHU: LocalityKind.SPECIAL_ZONE}
_KIND_PREFIXES = {LocalityKind.COMMUNE: "Xã ", LocalityKind.WARD: "Phường ", LocalityKind.SPECIAL_ZONE: "Đặc khu "}


@dataclass(frozen=True)
class Province:
    code: str           # '24'
    name: str           # 'Tỉnh Bắc Ninh', 'Thành phố Hà Nội'
    short_name: str     # 'Bắc Ninh', 'Hà Nội'
    centrally_governed_city: bool

    @property
    def in_words(self) -> str:
        """As a sentence names it: 'tỉnh Bắc Ninh', 'thành phố Hà Nội'."""
        return ("thành phố " if self.centrally_governed_city else "tỉnh ") + self.short_name


@dataclass(frozen=True)
class Commune:
    code: str           # '07543'
    name: str           # 'Xã Sơn Hải'
    short_name: str     # 'Sơn Hải'
    kind: LocalityKind
    province_code: str  # '24'


def _clean(name: str) -> str:
    # the list has the odd double space ('Phường  Tân Lập'); names are compared and printed in NFC
    return unicodedata.normalize("NFC", " ".join(name.split()))


@cache
def _provinces() -> dict[str, Province]:
    provinces = {}
    for province in _Province.iter_all():
        city = province.division_type is VietNamDivisionType.THANH_PHO_TRUNG_UONG
        name = _clean(province.name)
        short = name.removeprefix("Thành phố ") if city else name
        provinces[f"{int(province.code):02d}"] = Province(
            code=f"{int(province.code):02d}", name=name if city else f"Tỉnh {name}", short_name=short,
            centrally_governed_city=city)
    return provinces


@cache
def _communes() -> dict[str, Commune]:
    communes = {}
    for ward in _Ward.iter_all():
        kind, name = _KINDS[ward.division_type], _clean(ward.name)
        code = f"{int(ward.code):05d}"
        communes[code] = Commune(code=code, name=name, short_name=name.removeprefix(_KIND_PREFIXES[kind]),
                                 kind=kind, province_code=f"{int(ward.province_code):02d}")
    return communes


@cache
def _by_province() -> dict[str, tuple[Commune, ...]]:
    grouped: dict[str, list[Commune]] = {}
    for commune in sorted(_communes().values(), key=lambda c: c.code):
        grouped.setdefault(commune.province_code, []).append(commune)
    return {code: tuple(communes) for code, communes in grouped.items()}


def commune(code: str) -> Commune | None:
    return _communes().get(code)


def is_commune(code: str) -> bool:
    return code in _communes()


def province(code: str) -> Province | None:
    return _provinces().get(code)


def provinces() -> list[Province]:
    return sorted(_provinces().values(), key=lambda p: p.code)


def province_of(commune_code: str) -> Province | None:
    found = commune(commune_code)
    return _provinces()[found.province_code] if found else None


def communes_of(province_code: str) -> tuple[Commune, ...]:
    """The communes, wards and special zones of a province, by code; none for an unknown province."""
    return _by_province().get(province_code, ())


def all_communes() -> list[Commune]:
    return sorted(_communes().values(), key=lambda c: c.code)


def _known_commune(code: str) -> str:
    if not is_commune(code):
        raise ValueError("không có xã, phường, đặc khu nào mang mã này trong danh mục đơn vị hành chính")
    return code


def _known_province(code: str) -> str:
    if province(code) is None:
        raise ValueError("không có tỉnh, thành phố nào mang mã này trong danh mục đơn vị hành chính")
    return code


# Request fields that name a commune or a province: 422 naming the field when the code is not official.
KnownCommuneCode = Annotated[str, Field(pattern=COMMUNE_CODE), AfterValidator(_known_commune)]
KnownProvinceCode = Annotated[str, Field(pattern=PROVINCE_CODE), AfterValidator(_known_province)]
