"""The funding part: where the money comes from, and the amounts written ('35.000.000 đồng',
'35 triệu đồng từ nguồn ngân sách xã')."""
from __future__ import annotations

import re

from services.plans.document import Funding, FundingAmount, FundingSource
from services.plans.importer.text import fold

_SOURCES = (
    (FundingSource.STATE_BUDGET, ("ngan sach",)),
    (FundingSource.OTHER_LAWFUL, ("huy dong hop phap", "nguon hop phap", "xa hoi hoa", "tai tro")),
)
_SCALES = {"nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000}
# '35.000.000 đồng' (dots group thousands), '35 triệu đồng', '12,5 triệu đồng' (a comma is the decimal mark)
_AMOUNT = re.compile(r"(?<![\d.,])(?P<number>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)\s*(?P<scale>nghìn|ngàn|triệu|tỷ|tỉ)?"
                     r"\s*(?:đồng|VNĐ|VND|đ)(?!\w)", re.IGNORECASE)
# what follows an amount: '(từ) (nguồn) ngân sách xã', up to the end of the clause
_SOURCE_AFTER = re.compile(r"\s*\(?\s*(?:(?:từ|do)\s+)?(?:(?:các\s+)?nguồn(?:\s+kinh phí)?\s+)?"
                           r"(?P<source>(?:ngân sách|xã hội hóa|xã hội hoá|huy động|tài trợ)[^;.,()]*)", re.IGNORECASE)


def funding(paragraphs: list[str]) -> Funding:
    text = "\n".join(paragraphs)
    return Funding(text=text, sources=funding_sources(text), amounts=amounts(text))


def funding_sources(text: str) -> list[FundingSource]:
    folded = fold(text)
    return [source for source, phrases in _SOURCES if any(phrase in folded for phrase in phrases)]


def amounts(text: str) -> list[FundingAmount]:
    found = []
    for match in _AMOUNT.finditer(text):
        scale = _SCALES.get((match["scale"] or "").lower(), 1)
        if match["scale"]:
            value = round(float(match["number"].replace(".", "").replace(",", ".")) * scale)
        else:
            value = int(match["number"].replace(".", "").split(",")[0])
        source = _SOURCE_AFTER.match(text, match.end())
        found.append(FundingAmount(amount_vnd=value, source=source["source"].strip() if source else None))
    return found
