from services.web import idempotency


def test_a_key_the_page_made_is_kept():
    key = idempotency.new_key()
    assert idempotency.KEY.fullmatch(key) and idempotency.key_of({"idempotency_key": key}) == key


def test_anything_else_gets_a_new_key():
    for sent in ({}, {"idempotency_key": ""}, {"idempotency_key": "a\r\nX-Other: 1"},
                 {"idempotency_key": "k" * 65}, {"idempotency_key": "khóa"}):
        key = idempotency.key_of(sent)
        assert idempotency.KEY.fullmatch(key) and key != sent.get("idempotency_key")
    assert idempotency.new_key() != idempotency.new_key()
