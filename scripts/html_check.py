"""`make html-check`: the Nu HTML checker (vnu.jar) on the pages the issue names; exits 1 on any error.

Renders home, browse, track, top and the studio upload form from this checkout's demo database
(seeded when empty) with Django's test client, signed in as the demo creator for the studio,
and hands the HTML to `java -jar $VNU_JAR --errors-only`. Prints the errors per page.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimusicstore.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from marketplace.models import Track  # noqa: E402

DEMO_CREATOR = "creator@demo.aimusicstore.test"


def pages():
    track = Track.objects.published().order_by("id").first()
    return {
        "home": ("/", False), "browse": ("/browse/", False), "browse-list": ("/browse/?view=list", False),
        "track": (track.get_absolute_url(), False), "top": ("/top/", False),
        "studio-upload": ("/dashboard/upload/", True),
    }


def render_all(folder):
    visitor, creator = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    creator.force_login(User.objects.get(email=DEMO_CREATOR))
    files = {}
    for name, (path, signed_in) in pages().items():
        response = (creator if signed_in else visitor).get(path)
        if response.status_code != 200:
            sys.exit(f"{name}: {path} answered {response.status_code}")
        files[name] = folder / f"{name}.html"
        files[name].write_bytes(response.content)
    return files


def main():
    jar = os.environ.get("VNU_JAR")
    if not jar or not Path(jar).exists():
        sys.exit("VNU_JAR must name vnu.jar (make html-check installs it)")
    call_command("seed_demo", "--if-empty")
    with tempfile.TemporaryDirectory() as tmp:
        files = render_all(Path(tmp))
        result = subprocess.run(["java", "-jar", jar, "--errors-only", "--format", "json", *map(str, files.values())],
                                capture_output=True, text=True)
        messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    by_file = {name: [m for m in messages if m.get("url", "").endswith(f"/{name}.html")] for name in files}
    for name, errors in by_file.items():
        print(f"{name:14} {len(errors)} error(s)")
        for error in errors:
            extract = error.get("extract", "").strip()[:100]
            print(f"    line {error.get('lastLine', '?')}: {error['message']}  «{extract}»")
    return 1 if any(by_file.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
