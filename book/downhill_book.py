"""Sphinx extension for the Downhill book: put each figure's text alternative on its <img>.

book/build.py writes the alternatives into each staged code cell's metadata, as
``downhill_book: {alts: [one per image output, in order]}``; myst-nb keeps a cell's metadata on
its container node, and each display output becomes one "mime_bundle" container. Here every image
of the n-th bundle that holds one gets the n-th text as its alt attribute.
"""
from docutils import nodes


def _is(element):
    return lambda node: isinstance(node, nodes.container) and node.get("nb_element") == element


def set_figure_alts(app, doctree):
    for cell in doctree.findall(_is("cell_code")):
        alts = (cell.get("cell_metadata") or {}).get("downhill_book", {}).get("alts")
        if not alts:
            continue
        bundles = [b for b in cell.findall(_is("mime_bundle")) if next(b.findall(nodes.image), None) is not None]
        if len(bundles) != len(alts):
            raise ValueError(f"{app.env.docname}: cell {cell.get('cell_index')} has {len(bundles)} figures "
                             f"but {len(alts)} text alternatives")
        for bundle, alt in zip(bundles, alts):
            for image in bundle.findall(nodes.image):
                image["alt"] = alt


def setup(app):
    app.connect("doctree-read", set_figure_alts)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
