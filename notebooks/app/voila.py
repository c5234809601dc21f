# Voila settings for the playground page (make app), loaded with --Voila.config_file_paths=notebooks/app:
# the cells tagged "static-preview" (a picture for readers without a kernel) are left out,
# so the projector page shows only the live playground.
from helpers.lessons.playground import drop_static_preview

c.VoilaConfiguration.prelaunch_hook = drop_static_preview  # noqa: F821  (c is given by traitlets)

# our template (voila/templates/downhill here, found through JUPYTER_PATH=notebooks/app):
# Voila's lab template without its CDN stylesheets, so the page stays offline
c.VoilaConfiguration.template = "downhill"  # noqa: F821
