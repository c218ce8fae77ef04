"""Static files for production: hashed names and pre-compressed copies (whitenoise), ES module imports included.

Django rewrites `import … from "./queue.js"` to the hashed name only when asked; without it the
modules player.js imports keep plain names, which whitenoise may only cache for a minute.
Third-party bundles (htmx's extensions import a bare "htmx") keep any reference that names no file.

The stylesheets every page links (STYLESHEETS) are also joined into one, css/bundle.css, at
collectstatic: one render-blocking request instead of nine on a phone's network. Pages link it
whenever collectstatic made it (templatetags/assets.py); `make run` and the tests, which serve
the files as they are, link the nine in the same order, so the cascade is the same either way.
"""

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

OWN_MODULES = "js/"
# In cascade order: later files override earlier ones (base.html's order before the bundle).
STYLESHEETS = (
    "css/site.css", "css/studio.css", "css/player.css", "css/api.css", "css/voting.css",
    "css/buy.css", "css/community.css", "css/moderation.css", "css/licensing.css",
)
BUNDLE = "css/bundle.css"


class HashedModulesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)
        if name.startswith(OWN_MODULES):
            return convert  # our own references must all resolve

        def convert_if_found(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                return matchobj.group(0)

        return convert_if_found

    def post_process(self, paths, dry_run=False, **options):
        if not dry_run and all(name in paths for name in STYLESHEETS):
            paths = dict(paths)
            paths[BUNDLE] = (self, self._write_bundle(paths))
        yield from super().post_process(paths, dry_run=dry_run, **options)

    def _write_bundle(self, paths):
        parts = []
        for name in STYLESHEETS:
            storage, path = paths[name]
            with storage.open(path) as handle:
                parts.append(f"/* {name} */\n" + handle.read().decode("utf-8").strip() + "\n")
        if self.exists(BUNDLE):
            self.delete(BUNDLE)
        return self.save(BUNDLE, ContentFile("\n".join(parts).encode("utf-8")))
