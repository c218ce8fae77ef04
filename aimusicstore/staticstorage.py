"""Static files for production: hashed names and pre-compressed copies (whitenoise), ES module imports included.

Django rewrites `import … from "./queue.js"` to the hashed name only when asked; without it the
modules player.js imports keep plain names, which whitenoise may only cache for a minute.
Third-party bundles (htmx's extensions import a bare "htmx") keep any reference that names no file.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

OWN_MODULES = "js/"


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
