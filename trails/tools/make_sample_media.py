"""Draws the sample trails' pictures and sound: simple, own illustrations, reproducible.

Run from the repository: .venv/bin/python trails/tools/make_sample_media.py
"""

import io
import math
import struct
import wave
from pathlib import Path

from PIL import Image, ImageDraw

TRAILS = Path(__file__).resolve().parent.parent
W, H = 1200, 800
SKY, DUSK, COAL, BRICK, GREEN = (
    (126, 176, 214),
    (244, 170, 96),
    (38, 38, 44),
    (160, 72, 48),
    (86, 140, 80),
)
STONE, ROOF, CREAM, GOLD = (196, 186, 168), (92, 52, 44), (246, 238, 220), (226, 182, 64)


def canvas(top, bottom) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    for y in range(H):
        t = y / H
        draw.line(
            [(0, y), (W, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return image, draw


def headframe(draw, x, ground, scale=1.0, color=COAL):
    """A pit headframe: two legs, a strut, the sheave wheels on top."""
    s = scale
    top = ground - 430 * s
    draw.polygon(
        [(x - 70 * s, ground), (x - 20 * s, top), (x + 20 * s, top), (x + 70 * s, ground)],
        outline=color,
        width=int(10 * s),
    )
    for k in range(1, 6):
        y = ground - k * 75 * s
        half = 70 * s - k * 9 * s
        draw.line([(x - half, y), (x + half, y - 75 * s)], fill=color, width=int(6 * s))
        draw.line([(x + half, y), (x - half, y - 75 * s)], fill=color, width=int(6 * s))
    draw.line([(x + 60 * s, ground), (x + 190 * s, top + 40 * s)], fill=color, width=int(12 * s))
    for dx in (-28, 28):
        cx, cy, r = x + dx * s, top - 30 * s, 34 * s
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=color, width=int(8 * s))
        for a in range(0, 180, 45):
            ax, ay = math.cos(math.radians(a)) * r, math.sin(math.radians(a)) * r
            draw.line([(cx - ax, cy - ay), (cx + ax, cy + ay)], fill=color, width=int(3 * s))


def houses(draw, x0, ground, count, wall=BRICK):
    for i in range(count):
        x = x0 + i * 210
        draw.rectangle([x, ground - 170, x + 180, ground], fill=wall)
        draw.polygon(
            [(x - 15, ground - 170), (x + 90, ground - 260), (x + 195, ground - 170)], fill=ROOF
        )
        for wx in (x + 25, x + 115):
            draw.rectangle([wx, ground - 130, wx + 40, ground - 80], fill=CREAM)
        draw.rectangle([x + 75, ground - 90, x + 105, ground], fill=ROOF)


def cover_museum():
    image, draw = canvas(DUSK, (120, 70, 90))
    draw.ellipse([820, 160, 980, 320], fill=(255, 214, 120))
    draw.rectangle([0, 640, W, H], fill=COAL)
    headframe(draw, 600, 640, 1.1)
    houses(draw, 40, 640, 2)
    houses(draw, 790, 640, 2)
    return image


def foerderturm():
    image, draw = canvas(SKY, (220, 232, 240))
    draw.rectangle([0, 680, W, H], fill=(90, 84, 76))
    headframe(draw, 520, 680, 1.3)
    draw.rectangle([820, 430, 1120, 680], fill=BRICK)  # machine hall
    draw.polygon([(800, 430), (970, 340), (1140, 430)], fill=ROOF)
    for wx in range(850, 1100, 70):
        draw.rectangle([wx, 480, wx + 40, 600], fill=CREAM)
    return image


def grubenlampe():
    image, draw = canvas((40, 40, 52), (14, 14, 18))
    cx = W // 2
    draw.ellipse([cx - 260, 120, cx + 260, 640], fill=(70, 60, 40))  # warm glow
    draw.ellipse([cx - 170, 200, cx + 170, 560], fill=(120, 96, 50))
    draw.rectangle([cx - 90, 160, cx + 90, 200], fill=GOLD)  # top
    draw.arc([cx - 60, 60, cx + 60, 180], 180, 360, fill=GOLD, width=12)  # hook
    for k in range(7):  # the wire gauze around the flame
        x = cx - 75 + k * 25
        draw.line([(x, 200), (x, 430)], fill=(190, 190, 190), width=4)
    draw.ellipse([cx - 18, 300, cx + 18, 380], fill=(255, 200, 60))  # flame
    draw.ellipse([cx - 8, 330, cx + 8, 372], fill=(255, 250, 210))
    draw.rectangle([cx - 110, 430, cx + 110, 600], fill=GOLD)  # oil pot
    draw.rectangle([cx - 110, 480, cx + 110, 500], fill=(170, 130, 40))
    return image


def zechensiedlung():
    image, draw = canvas(SKY, (232, 236, 226))
    draw.rectangle([0, 600, W, H], fill=GREEN)
    houses(draw, 40, 600, 5)
    for x in range(60, W, 210):  # gardens with a path
        draw.rectangle([x, 640, x + 150, 760], fill=(110, 160, 90))
        for k in range(4):
            draw.line(
                [(x + 15, 660 + k * 25), (x + 135, 660 + k * 25)], fill=(70, 110, 60), width=5
            )
    draw.ellipse([1040, 690, 1110, 740], fill=CREAM)  # the goat, "the miner's cow"
    draw.ellipse([1095, 675, 1125, 705], fill=CREAM)
    for lx in (1050, 1095):
        draw.line([(lx, 735), (lx, 770)], fill=CREAM, width=6)
    return image


def cover_altstadt():
    image, draw = canvas((232, 226, 208), (214, 206, 186))
    cx, cy = W // 2, H // 2
    draw.ellipse(
        [cx - 420, cy - 300, cx + 420, cy + 300], outline=(130, 120, 100), width=34
    )  # the Wall
    draw.ellipse([cx - 420, cy - 300, cx + 420, cy + 300], outline=(238, 232, 216), width=6)
    for a in range(0, 360, 30):  # streets into the old town
        r = math.radians(a)
        draw.line(
            [(cx, cy), (cx + math.cos(r) * 520, cy + math.sin(r) * 380)],
            fill=(190, 180, 160),
            width=10,
        )
    draw.rectangle([cx - 70, cy - 50, cx + 70, cy + 50], fill=STONE)  # market square
    stops = [(-40, -10), (60, -90), (140, -120), (-160, 120), (-300, -60), (170, 220)]
    for i, (dx, dy) in enumerate(stops, 1):
        x, y = cx + dx, cy + dy
        draw.ellipse([x - 26, y - 26, x + 26, y + 26], fill=(11, 93, 87))
        draw.text((x - 6, y - 10), str(i), fill=(255, 255, 255), font_size=24)
    return image


def rathaus():
    image, draw = canvas(SKY, (226, 234, 240))
    draw.rectangle([0, 660, W, H], fill=STONE)
    draw.rectangle([240, 300, 960, 660], fill=(200, 150, 110))  # the hall
    draw.polygon([(220, 300), (600, 190), (980, 300)], fill=ROOF)
    draw.rectangle([540, 80, 660, 300], fill=(200, 150, 110))  # tower
    draw.polygon([(525, 80), (600, 10), (675, 80)], fill=ROOF)
    draw.ellipse([570, 120, 630, 180], fill=CREAM, outline=COAL, width=4)  # clock
    draw.line([(600, 150), (600, 128)], fill=COAL, width=4)
    draw.line([(600, 150), (618, 150)], fill=COAL, width=4)
    for x in range(280, 940, 90):
        draw.rounded_rectangle([x, 360, x + 50, 450], radius=22, fill=CREAM)
        draw.rounded_rectangle([x, 500, x + 50, 590], radius=22, fill=CREAM)
    draw.rounded_rectangle([560, 540, 640, 660], radius=36, fill=ROOF)  # door
    return image


def kirche():
    image, draw = canvas(SKY, (230, 236, 242))
    draw.rectangle([0, 680, W, H], fill=STONE)
    draw.rectangle([300, 420, 900, 680], fill=(170, 160, 140))  # nave
    draw.polygon([(280, 420), (600, 300), (920, 420)], fill=(80, 96, 92))
    draw.rectangle([520, 130, 680, 680], fill=(182, 172, 150))  # tower
    draw.polygon([(505, 130), (600, 20), (695, 130)], fill=(80, 96, 92))
    for x in range(340, 880, 95):
        if 500 < x < 690:
            continue
        draw.pieslice([x, 470, x + 50, 520], 180, 360, fill=(90, 120, 150))  # round arches
        draw.rectangle([x, 495, x + 50, 600], fill=(90, 120, 150))
    draw.pieslice([570, 180, 630, 240], 180, 360, fill=COAL)
    draw.rectangle([570, 210, 630, 270], fill=COAL)
    return image


def ikone():
    image, draw = canvas((120, 40, 30), (70, 20, 20))
    draw.rectangle([330, 90, 870, 710], fill=(150, 110, 60))  # wooden panel
    draw.rectangle([360, 120, 840, 680], fill=GOLD)  # gold ground
    draw.ellipse(
        [520, 170, 680, 330], fill=(240, 210, 120), outline=(180, 130, 40), width=8
    )  # halo
    draw.ellipse([555, 200, 645, 300], fill=(214, 170, 130))  # face
    draw.polygon([(470, 640), (520, 330), (680, 330), (730, 640)], fill=(40, 60, 120))  # robe
    draw.polygon([(520, 330), (600, 420), (680, 330)], fill=(150, 30, 30))
    return image


def stadtmauer():
    image, draw = canvas(SKY, (224, 232, 236))
    draw.rectangle([0, 620, W, H], fill=GREEN)
    for row in range(8):  # a wall of stones
        y = 320 + row * 40
        offset = 0 if row % 2 else 45
        for x in range(100 - offset, 1100, 90):
            draw.rectangle([x, y, x + 86, y + 36], fill=STONE, outline=(150, 140, 124), width=3)
    for x in range(100, 1100, 120):  # battlements
        draw.rectangle([x, 270, x + 70, 320], fill=STONE, outline=(150, 140, 124), width=3)
    for x in (80, 300, 560, 820, 1060):  # trees of the Wall ring
        draw.rectangle([x - 10, 560, x + 10, 640], fill=(90, 60, 40))
        draw.ellipse([x - 60, 470, x + 60, 590], fill=(70, 130, 70))
    return image


def save_webp(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=80, method=6)
    path.write_bytes(out.getvalue())
    print(f"{path.relative_to(TRAILS)}: {len(out.getvalue()) // 1024} KB")


def bell_signal(path: Path, strikes: int = 3, rate: int = 16000) -> None:
    """Bell strikes as at a pit shaft, where miners signalled to the winding engine."""
    samples = []
    for _ in range(strikes):
        for n in range(int(rate * 0.7)):
            t = n / rate
            tone = sum(
                math.sin(2 * math.pi * f * t) * a for f, a in ((880, 1), (1320, 0.5), (2210, 0.25))
            )
            samples.append(int(9000 * tone * math.exp(-5 * t)))
    samples += [0] * (rate // 2)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    print(f"{path.relative_to(TRAILS)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    museum = TRAILS / "stadtmuseum-zeche-und-stadt" / "media"
    for name, draw_it in [
        ("titelbild", cover_museum),
        ("foerderturm", foerderturm),
        ("grubenlampe", grubenlampe),
        ("zechensiedlung", zechensiedlung),
    ]:
        save_webp(draw_it(), museum / f"{name}.webp")
    bell_signal(museum / "glockensignal.wav")
    town = TRAILS / "altstadt-recklinghausen" / "media"
    for name, draw_it in [
        ("titelbild", cover_altstadt),
        ("rathaus", rathaus),
        ("propsteikirche", kirche),
        ("ikone", ikone),
        ("stadtmauer", stadtmauer),
    ]:
        save_webp(draw_it(), town / f"{name}.webp")
