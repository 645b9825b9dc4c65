"""The patient link's token: 128 random bits, written as 26 letters and digits (base32, no
look-alike 0/1/8), kept by the clinic only as its SHA-256. Pure Python, no Django."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

import segno

TOKEN_BYTES = 16  # 128 bits
_TYPED = re.compile(r"[^a-z2-7]")


def new_token() -> str:
    """A fresh token, lower case (easier to read aloud and to type on a phone)."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode("ascii").rstrip("=").lower()


def normalised(typed: str) -> str:
    """A token as typed from the printed slip: spaces, dashes and case do not matter."""
    return _TYPED.sub("", typed.strip().lower())


def token_hash(token: str) -> str:
    return hashlib.sha256(normalised(token).encode("ascii")).hexdigest()


def qr_svg(text: str, *, title: str, scale: int = 4) -> str:
    """A QR code of ``text`` as an SVG drawing (segno: drawn here, nothing fetched). The
    one place the patient's link becomes a QR code: the handover slip and the printed plan."""
    svg: str = segno.make(text, error="m").svg_inline(
        scale=scale, border=4, dark="#000", light="#fff", title=title
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def grouped(token: str) -> str:
    """The short code as printed: groups of four, easy to copy by hand."""
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))
