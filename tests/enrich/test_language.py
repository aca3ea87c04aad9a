from __future__ import annotations

from mutuals.enrich.language import detect_language, is_supported


def test_long_texts_are_recognised_and_short_ones_default_to_english() -> None:
    assert detect_language("Das ist wirklich schlecht, ich bin sehr enttäuscht von der Lieferung.") == "de"
    assert detect_language("This delivery is really late and nobody answers my emails.") == "en"
    assert detect_language("lol same") == "en"  # too short to call anything else


def test_texts_without_letters_have_no_language_and_are_still_readable() -> None:
    assert detect_language("😀😀😀 !!!") == "und"
    assert detect_language("") == "und"
    assert is_supported("und") and is_supported("en") and not is_supported("de")


def test_a_non_latin_script_is_never_called_english() -> None:
    assert detect_language("配送がとても遅いです。まだ届いていません。") != "en"
