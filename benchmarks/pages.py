"""Print each built page's weight: its HTML plus the images it references (budget: 1.5 MB).

Theme assets and MathJax are shared by every page and cached after the first, so they are reported once,
separately. Run `make book` first.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
BUDGET_BYTES = 1.5 * 1024 * 1024


def main():
    if not SITE.exists():
        raise SystemExit("no _build/html: run 'make book' first")
    print(f"{'page':40s} {'HTML KB':>8s} {'images KB':>9s} {'total KB':>9s}")
    for page in sorted(SITE.rglob("*.html")):
        rel = page.relative_to(SITE).as_posix()
        if rel.startswith(("_static/", "_sources/")):
            continue
        html = page.read_text(encoding="utf-8")
        images = 0
        for src in re.findall(r'<img[^>]+src="([^"]+)"', html):
            if not src.startswith("data:"):
                target = (page.parent / src).resolve()
                images += target.stat().st_size if target.exists() else 0
        total = len(html.encode()) + images
        flag = "ok" if total <= BUDGET_BYTES else "OVER"
        print(f"{rel:40s} {len(html.encode()) / 1024:8.0f} {images / 1024:9.0f} {total / 1024:9.0f}  {flag}")
    static = sum(p.stat().st_size for p in (SITE / "_static").rglob("*") if p.is_file())
    print(f"shared _static assets (theme, MathJax, fonts), loaded once and cached: {static / 1024 / 1024:.1f} MB")


if __name__ == "__main__":
    main()
