"""Draws the app icons (the pin on a dotted path of favicon.svg) as PNGs with Pillow.

Run from the repository: .venv/bin/python pwa/tools/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

TEAL, AMBER, WHITE = (11, 93, 87), (255, 176, 0), (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"


def draw(size: int, *, maskable: bool = False) -> Image.Image:
    scale = 8  # draw large, then shrink: smooth edges without an SVG renderer
    s = size * scale
    image = Image.new("RGB" if maskable else "RGBA", (s, s), TEAL if maskable else (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    # Maskable icons keep their content inside the central 80 % safe zone.
    inset = 0.12 if maskable else 0.0
    unit = s * (1 - 2 * inset) / 64
    ox = oy = s * inset

    def p(x: float, y: float) -> tuple[float, float]:
        return ox + x * unit, oy + y * unit

    if not maskable:
        d.rounded_rectangle([0, 0, s - 1, s - 1], radius=14 * unit, fill=TEAL)
    path = [(12, 50), (20, 46), (26, 40), (32, 38), (40, 39), (46, 37), (52, 34)]
    for x, y in path:
        d.ellipse([*p(x - 1.8, y - 1.8), *p(x + 1.8, y + 1.8)], fill=AMBER)
    d.ellipse([*p(27, 10), *p(49, 32)], fill=WHITE)
    d.polygon([p(28.2, 25), p(47.8, 25), p(38, 40)], fill=WHITE)
    d.ellipse([*p(33.5, 16.5), *p(42.5, 25.5)], fill=TEAL)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
        ("apple-touch-icon.png", 180, True),
    ]:
        draw(size, maskable=maskable).save(OUT / name, optimize=True)
        print(OUT / name)
