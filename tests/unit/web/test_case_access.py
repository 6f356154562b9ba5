"""The case-access reason kept by the web: readable only with the browser's cookie, for the case it was given."""
from services.web import case_access


def test_a_reason_is_read_back_only_with_the_same_cookie_and_for_the_same_case():
    sealed = case_access.seal("cookie-value-1", "VV26-ABCD1234", "Họp liên ngành về chị Hoa")
    assert b"Hoa" not in sealed
    assert case_access.unseal("cookie-value-1", "VV26-ABCD1234", sealed) == "Họp liên ngành về chị Hoa"
    assert case_access.unseal("cookie-value-2", "VV26-ABCD1234", sealed) is None
    assert case_access.unseal("cookie-value-1", "VV26-OTHER999", sealed) is None
    assert case_access.unseal("cookie-value-1", "VV26-ABCD1234", b"short") is None
