"""Vendor the compiled GOV.UK Frontend release from the npm registry into static/vendor/.

Usage: python scripts/vendor_govuk_frontend.py 6.6.0

Open Safeguarding is not a GOV.UK service, so the GDS Transport typeface may not be
used (its licence restricts it to GOV.UK). We therefore drop the @font-face rules and
font files and use the Design System's documented fallback stack (arial, sans-serif).
See docs/adr/0005-govuk-design-system-without-gov-uk-branding.md.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(version: str) -> None:
    target = ROOT / "static" / "vendor" / f"govuk-frontend-{version}"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"govuk-frontend@{version}"], cwd=tmp, check=True, capture_output=True)
        with tarfile.open(Path(tmp) / f"govuk-frontend-{version}.tgz") as tar:
            tar.extractall(tmp, filter="data")
        dist = Path(tmp) / "package" / "dist" / "govuk"
        shutil.rmtree(target, ignore_errors=True)
        (target / "assets").mkdir(parents=True)
        css = (dist / "govuk-frontend.min.css").read_text()
        css = re.sub(r"@font-face\{[^}]*\}", "", css)
        css = css.replace('font-family:"GDS Transport",arial,sans-serif', "font-family:arial,sans-serif")
        css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")
        css = css.replace("url(/assets/", "url(assets/")
        css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
        (target / "govuk-frontend.min.css").write_text(css)
        js = (dist / "govuk-frontend.min.js").read_text()
        js = re.sub(r"//# sourceMappingURL=\S+", "", js)
        (target / "govuk-frontend.min.js").write_text(js)
        shutil.copytree(dist / "assets" / "images", target / "assets" / "images")
        (target / "VERSION").write_text(
            f"govuk-frontend {version}, compiled release from the npm registry (MIT licence).\n"
            "Rewritten by scripts/vendor_govuk_frontend.py: no GDS Transport font.\n"
        )
    print(f"vendored into {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "6.6.0")
