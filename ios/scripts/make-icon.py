#!/usr/bin/env python3
"""The iOS app icon (a 1024 x 1024 opaque PNG, as App Store Connect asks), drawn from the
very shapes of the Android launcher icon (res/drawable/ic_launcher_foreground.xml): a
white house (recovering at home) with a red heart (being watched over) on the launcher
colour. iOS rounds the corners itself. Run from anywhere; writes
ios/MimamoriApp/Assets.xcassets/AppIcon.appiconset/AppIcon-1024.png. Standard library
only: the shapes are filled row by row with 4 x 4 samples a pixel."""
import pathlib
import struct
import zlib

SIZE = 1024
SUB = 4
BACKGROUND = (0x5B, 0x4B, 0xA0)
WHITE = (0xFF, 0xFF, 0xFF)
RED = (0xD9, 0x48, 0x5F)
# The Android drawing's viewport units around its centre (54, 54), scaled to the icon.
SCALE = SIZE / 80.0

HOUSE = [(54, 30), (80, 52), (74, 52), (74, 78), (34, 78), (34, 52), (28, 52)]


def cubic(p0, p1, p2, p3, steps=24):
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        out.append(tuple(u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d for a, b, c, d in zip(p0, p1, p2, p3)))
    return out


# M54,72 C46,65 41,61 41,56 C41,52.5 43.8,50 47,50 C49.5,50 52,51.5 54,54
# C56,51.5 58.5,50 61,50 C64.2,50 67,52.5 67,56 C67,61 62,65 54,72 Z
HEART = [(54, 72)]
for c in [((46, 65), (41, 61), (41, 56)), ((41, 52.5), (43.8, 50), (47, 50)), ((49.5, 50), (52, 51.5), (54, 54)),
          ((56, 51.5), (58.5, 50), (61, 50)), ((64.2, 50), (67, 52.5), (67, 56)), ((67, 61), (62, 65), (54, 72))]:
    HEART += cubic(HEART[-1], *c)


def to_icon(points):
    return [((x - 54) * SCALE + SIZE / 2, (y - 54) * SCALE + SIZE / 2) for x, y in points]


def coverage(polygon):
    """Per pixel, how many of its SUB x SUB samples fall inside the polygon (even-odd)."""
    cover = [bytearray(SIZE) for _ in range(SIZE)]
    edges = list(zip(polygon, polygon[1:] + polygon[:1]))
    for sy in range(SIZE * SUB):
        y = (sy + 0.5) / SUB
        xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0) for (x0, y0), (x1, y1) in edges if (y0 <= y) != (y1 <= y))
        row = cover[sy // SUB]
        for a, b in zip(xs[0::2], xs[1::2]):
            first, last = max(0, int(a * SUB + 0.5)), min(SIZE * SUB, int(b * SUB + 0.5))
            for sx in range(first, last):
                row[sx // SUB] += 1
    return cover


def blend(under, over, amount):
    return tuple(round(u + (o - u) * amount) for u, o in zip(under, over))


def main():
    house, heart = coverage(to_icon(HOUSE)), coverage(to_icon(HEART))
    full = SUB * SUB
    raw = bytearray()
    for y in range(SIZE):
        raw.append(0)
        for x in range(SIZE):
            pixel = blend(BACKGROUND, WHITE, house[y][x] / full)
            raw += bytes(blend(pixel, RED, heart[y][x] / full))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")
    out = pathlib.Path(__file__).resolve().parents[1] / "MimamoriApp/Assets.xcassets/AppIcon.appiconset/AppIcon-1024.png"
    out.write_bytes(png)
    print(out)


main()
