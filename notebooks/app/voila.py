# Voila settings for the playground page (make app), loaded with --Voila.config_file_paths=notebooks/app:
# the cells tagged "static-preview" (a picture for readers without a kernel) are left out,
# so the projector page shows only the live playground.
import os

from helpers.lessons.playground import app_language, drop_static_preview

# the page's language: ?lang=pt in its address, else DOWNHILL_APP_LANG (`make app APP_LANG=pt`), else English
APP_LANG = app_language(None, os.environ.get("DOWNHILL_APP_LANG", "").strip() or "en")


def prelaunch(req_handler=None, notebook=None, cwd=None):
    """Leave out the static preview, and give the page its _xsrf cookie.

    When its tab closes, Voila's page asks the server to shut its kernel down (a POST carrying the
    _xsrf cookie's value). Voila 0.5 never sets that cookie, so the request is refused with 403
    ("'_xsrf' argument missing from POST", voila-dashboards/voila#1458) and every kernel outlives
    its page. Reading the handler's xsrf_token sets the cookie on this response (the hook runs
    before any of the page is sent), so a closed tab frees its kernel at once.

    ?lang=zh (one of helpers.lessons.playground_text.LANGUAGES) in the address: the playground in
    that language; an unknown one is refused with 400 and the list of languages.
    """
    try:
        lang = app_language(req_handler, APP_LANG)
    except ValueError as err:
        from tornado.web import HTTPError

        raise HTTPError(400, reason=str(err)) from None
    if req_handler is not None:
        req_handler.xsrf_token  # noqa: B018  (read for its side effect: the Set-Cookie header)
    return drop_static_preview(req_handler, notebook=notebook, cwd=cwd, lang=lang)


c.VoilaConfiguration.prelaunch_hook = prelaunch  # noqa: F821  (c is given by traitlets)

# our template (voila/templates/downhill here, found through JUPYTER_PATH=notebooks/app):
# Voila's lab template without its CDN stylesheets, so the page stays offline
c.VoilaConfiguration.template = "downhill"  # noqa: F821

# a class on one server (make app, make classroom): every page that opens starts a kernel. A page that
# is closed asks Voila to shut its kernel down; a page that vanishes (a laptop that dies or loses the
# network) leaves its kernel behind, so kernels with no page connected and idle for 5 minutes are shut
# down, checked every minute. A kernel whose page is still open is never culled, however long the
# student only looks (cull_connected stays False). Voila's docs, "Cull idle kernels".
# Both can be set from outside for a short run (the kernel-cull browser test, a rehearsal):
#   DOWNHILL_CULL_IDLE=20 DOWNHILL_CULL_INTERVAL=2 make app   (seconds, whole numbers >= 1)
# and a command-line --MappingKernelManager.cull_idle_timeout=... still overrides both.

def _seconds(variable, default):
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{variable} must be a whole number of seconds >= 1, got {variable}={text!r}")
    return int(text)


c.MappingKernelManager.cull_idle_timeout = _seconds("DOWNHILL_CULL_IDLE", 300)  # noqa: F821
c.MappingKernelManager.cull_interval = _seconds("DOWNHILL_CULL_INTERVAL", 60)  # noqa: F821
c.MappingKernelManager.cull_connected = False  # noqa: F821

# kernels talk to the server over Unix sockets rather than TCP ports on 127.0.0.1: a class opening the
# page at once starts 30 kernels together, and TCP ports are picked before the kernels bind them, so
# two kernels can be handed the same port; one dies with "ZMQError: Address already in use" and its
# student waits for a page that never comes (seen here with 30 students; jupyter/jupyter_client#487).
# Unix sockets are files named after each kernel's connection file, so no two kernels can clash.
c.KernelManager.transport = "ipc"  # noqa: F821
