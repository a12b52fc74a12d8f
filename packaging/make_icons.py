"""Render the application icon (resources/icons/lutsk-tracker.svg) into PNGs and a Windows .ico.

Run from the project root::

    python packaging/make_icons.py

It writes ``resources/icons/lutsk-tracker-{size}.png`` for sizes 16, 24, 32, 48, 64, 128 and 256, and
``resources/icons/lutsk-tracker.ico`` holding all of those sizes. Windows shows an icon at many sizes
(the taskbar, Explorer's views, the Start menu, the installer) and picks the nearest image in the .ico;
each size here is drawn from the SVG at that size by Qt, not scaled down from the 256 px image, so the
small ones stay sharp.

Qt (PySide6, which the program already needs) draws the SVG with QSvgRenderer; the window loads the PNGs
(ui/images.py), the frozen program and the installer the .ico. Pillow only packs the PNGs into the .ico container; this
is a developer tool run when the SVG changes, not part of the program, so Pillow is not a runtime
dependency (``pip install pillow`` to run it). The output is deterministic: the same SVG gives the same
bytes, so regenerated files show up in git only when the drawing changed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "lutsk-tracker.svg"
ICO = ICON_DIR / "lutsk-tracker.ico"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICON_DIR / f"lutsk-tracker-{size}.png"


def render_pngs() -> list[Path]:
    """Draw the SVG at each size with antialiasing on a transparent background and save it as PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window is shown; works without a display
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 - QPainter needs it
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: Qt cannot read this SVG")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        renderer.render(painter)  # scales the viewBox to the whole image
        painter.end()
        # straight (not premultiplied) alpha is what PNG stores
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
        path = png_path(size)
        if not image.save(str(path), "PNG"):
            raise SystemExit(f"{path}: could not write")
        written.append(path)
    return written


def make_ico(pngs: list[Path]) -> None:
    """Pack the rendered PNGs into one .ico, each size its own image (PNG-compressed entries)."""
    try:
        from PIL import Image
    except ImportError:
        raise SystemExit("Pillow is needed to write the .ico: pip install pillow") from None
    images = [Image.open(path) for path in pngs]
    for image in images:
        image.load()
    largest = max(images, key=lambda image: image.width)
    # Pillow writes the sizes asked for; where an image of exactly that size is among the base image and
    # append_images it is stored as is, otherwise the base image would be scaled down, which we avoid
    # by supplying every size. The base image must be the largest: sizes above it are dropped.
    largest.save(ICO, format="ICO", sizes=[(size, size) for size in SIZES],
                 append_images=[image for image in images if image is not largest])


def check_ico() -> list[tuple[int, int]]:
    """Read the .ico back: every size present, and each one the very pixels of its PNG."""
    from PIL import Image

    with Image.open(ICO) as ico:
        sizes = sorted(ico.info["sizes"])
        for size in SIZES:
            ico.size = (size, size)
            ico.load()
            with Image.open(png_path(size)) as png:
                if ico.convert("RGBA").tobytes() != png.convert("RGBA").tobytes():
                    raise SystemExit(f"{ICO}: the {size}×{size} image is not the rendered {png_path(size).name}")
    if sizes != [(size, size) for size in SIZES]:
        raise SystemExit(f"{ICO}: holds {sizes}, expected {list(SIZES)}")
    return sizes


def main() -> int:
    pngs = render_pngs()
    make_ico(pngs)
    sizes = check_ico()
    root = ICON_DIR.parent.parent
    for path in [*pngs, ICO]:
        print(path.relative_to(root))
    print("sizes in the .ico:", ", ".join(f"{width}×{height}" for width, height in sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
