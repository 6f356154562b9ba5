"""A caller's correlation id is kept only when it cannot carry anything but an id."""
import uuid

import pytest

from services.common.context import accepted_correlation_id


@pytest.mark.parametrize("given", [str(uuid.uuid4()), "req-2026.11_02", "a", "x" * 64])
def test_a_uuid_or_a_short_token_is_kept(given):
    assert accepted_correlation_id(given) == given


@pytest.mark.parametrize("given", [
    "Nguyễn Thị Hoa 0912345678",  # a name and a phone
    "Nguyen Thi Hoa 0912345678",  # spaces
    "abc\r\nlevel=error msg=forged",  # a forged log line
    "id\x00",
    "x" * 65,
    "",
    None,
    ["a list"],
    42,
])
def test_anything_else_is_replaced_by_a_new_id(given):
    replaced = accepted_correlation_id(given)
    assert replaced != given and str(uuid.UUID(replaced)) == replaced
