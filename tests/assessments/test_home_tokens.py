"""The patient link's token (issue 11): 128 random bits, typed forgivingly, kept as a hash."""

import re

from hypothesis import given
from hypothesis import strategies as st

from assessments import home_tokens


def test_a_token_carries_128_random_bits_in_26_plain_characters():
    tokens = {home_tokens.new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert re.fullmatch(r"[a-z2-7]{26}", token)  # 26 x 5 bits = 130 >= 128


def test_the_code_as_typed_from_the_slip_finds_the_same_hash():
    token = home_tokens.new_token()
    typed = " " + home_tokens.grouped(token).upper().replace("-", " - ") + "\n"
    assert home_tokens.token_hash(typed) == home_tokens.token_hash(token)
    assert home_tokens.token_hash(token) != home_tokens.token_hash(home_tokens.new_token())


def test_only_the_hash_is_kept_and_it_does_not_contain_the_token():
    token = home_tokens.new_token()
    digest = home_tokens.token_hash(token)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert token not in digest


def test_the_qr_code_is_an_svg_drawing_with_its_title():
    svg = home_tokens.qr_svg("https://clinic.example/p/abc/", title="Your page")
    assert svg.startswith('<svg role="img" ')
    assert "<title>Your page</title>" in svg
    assert "<script" not in svg


@given(st.text(max_size=200))
def test_any_typed_text_normalises_to_the_token_alphabet(text):
    assert re.fullmatch(r"[a-z2-7]*", home_tokens.normalised(text))
    assert re.fullmatch(r"[0-9a-f]{64}", home_tokens.token_hash(text))
