"""Refusals name the field and the problem, never what the caller sent (a file name, a type, a value):
an error body is shown, logged and copied around, and the input may be a script or a victim's name."""
import json

import pytest

from services.common.errors import AppError, map_exception
from services.plans import attachments
from services.plans.importer import UnreadableDocument, import_file

HOSTILE = "<script>alert(1)</script>"


@pytest.mark.parametrize("filename, content_type, data", [
    (f"{HOSTILE}.pdf", "application/pdf", b"<html>not a pdf</html>"),  # the content is not the type
    ("bao-cao.pdf", f"text/{HOSTILE}", b"%PDF-1.7"),  # a type not accepted
])
def test_a_refused_attachment_is_not_named_back(filename, content_type, data):
    with pytest.raises(AppError) as refused:
        attachments.check(filename, content_type, data)
    status, body = map_exception(refused.value)
    assert status == 415 and body["error"]["fields"][0]["field"] == "file"
    assert "script" not in json.dumps(body)


def test_an_unsupported_extension_is_not_named_back():
    with pytest.raises(UnreadableDocument) as refused:
        import_file("ke-hoach.<script>", b"KE HOACH\n")  # no "/": the suffix is all of it
    assert "script" not in str(refused.value)
