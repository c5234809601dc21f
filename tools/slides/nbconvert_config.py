"""nbconvert settings for `make slides` (jupyter nbconvert --config tools/slides/nbconvert_config.py).

Every URL a deck loads is relative to the deck's own folder, where `make slides` copies reveal.js and
MathJax from node_modules/ (package.json pins them): nothing is fetched from a CDN.
"""
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when nbconvert loads this file)

c.NbConvertApp.export_format = "slides"
c.TemplateExporter.extra_template_basedirs = [str(Path(__file__).resolve().parent)]
c.SlidesExporter.template_name = "downhill"
c.SlidesExporter.reveal_url_prefix = "reveal.js"
c.SlidesExporter.mathjax_url = "mathjax/es5/tex-chtml.js"
c.SlidesExporter.reveal_theme = "white"
c.SlidesExporter.reveal_transition = "none"
c.SlidesExporter.reveal_scroll = True
c.SlidesExporter.reveal_number = "c/t"
c.SlidesExporter.reveal_width = "1280"
c.SlidesExporter.reveal_height = "720"
# In [3]: prompts take a tenth of the width and tell an audience nothing
c.TemplateExporter.exclude_input_prompt = True
c.TemplateExporter.exclude_output_prompt = True
