"""The playground's string table (helpers.lessons.playground_text) and the playground in five languages.

* every key has every language, no string is empty, and each translation has exactly the English
  placeholders (so ``text(key, lang, **fields)`` fills any language with the same fields);
* unknown languages, keys and fields are refused with a ValueError naming them;
* ``Playground(lang=...)`` builds in each language with its labels, menus and banner translated, and
  English stays the default;
* a frame's description in each language names every optimizer shown, with its own words.
"""

import re

import pytest

from helpers.lessons import playground_text as pt
from helpers.lessons.playground import (OPTIMIZERS, Playground, PlaygroundSettings, app_language, describe_frame,
                                        draw_playground, drop_static_preview, optimizer_name, playground_frame)
from helpers.lessons.playground_scenarios import SCENARIOS, explanation

OTHERS = [lang for lang in pt.LANGUAGES if lang != "en"]
SCRIPT = {"zh": re.compile(r"[\u4e00-\u9fff]"), "hi": re.compile(r"[\u0900-\u097f]")}
ACCENTED = re.compile(r"[à-ÿ]")   # Portuguese and French words with accents (ã, é, ç, ...)


def test_the_languages_are_the_five_of_the_glossary():
    from helpers.lessons.glossary import LANGUAGES

    assert pt.LANGUAGES == ("en", "pt", "zh", "fr", "hi") == tuple(LANGUAGES)


@pytest.mark.parametrize("key", sorted(pt.TEXT))
def test_every_key_has_every_language_with_the_same_placeholders(key):
    row = pt.TEXT[key]
    assert set(row) == set(pt.LANGUAGES), f"{key}: languages {sorted(row)}"
    english = pt.placeholders(row["en"])
    for lang, words in row.items():
        assert isinstance(words, str) and words.strip(), f"{key} is empty in {lang}"
        assert pt.placeholders(words) == english, f"{key} in {lang}: {pt.placeholders(words)} != {english}"
        # no stray braces: a format with the English fields must work in every language
        words.format(**{name: "X" for name in english})


def test_placeholders_finds_the_names():
    assert pt.placeholders("{label} diverged at step {step}") == {"label", "step"}
    assert pt.placeholders("no fields") == set()


def test_the_other_languages_are_translations_not_copies():
    """Sentences (more than three words in English) differ from English in every other language."""
    for key, row in pt.TEXT.items():
        if len(row["en"].split()) > 3:
            for lang in OTHERS:
                assert row[lang] != row["en"], f"{key} is English in {lang}"


def test_the_optimizer_names_stay_as_they_are():
    for lang in pt.LANGUAGES:
        for name in ("SGD", "Adam", "AdamW"):
            assert optimizer_name(name, lang) == name
        assert optimizer_name("SGD + momentum", lang).startswith("SGD + ")
    assert optimizer_name("SGD + momentum", "zh") == "SGD + 动量"


def test_text_fills_the_placeholders_in_each_language():
    assert pt.text("diverged", label="SGD", step=25) == "SGD diverged at step 25"
    assert pt.text("diverged", "pt", label="SGD", step=25) == "SGD divergiu no passo 25"
    assert pt.text("diverged", "zh", label="SGD", step=25) == "SGD 在第 25 步发散"
    assert pt.text("diverged", "fr", label="SGD", step=25) == "SGD a divergé au pas 25"
    assert pt.text("diverged", "hi", label="SGD", step=25) == "SGD स्टेप 25 पर डाइवर्ज हो गया"


@pytest.mark.parametrize("lang", ["de", "EN", "", None, 3, "zh-CN"])
def test_an_unknown_language_is_refused_naming_lang(lang):
    with pytest.raises(ValueError, match=r"lang must be one of en, pt, zh, fr, hi, got lang="):
        pt.text("title", lang)
    if lang is not None:   # Playground(lang=None): the default language
        with pytest.raises(ValueError, match="lang"):
            Playground(lang=lang)
    with pytest.raises(ValueError, match="lang"):
        describe_frame(playground_frame(PlaygroundSettings(steps=30)), lang)


def test_an_unknown_key_or_wrong_fields_are_refused():
    with pytest.raises(ValueError, match=r"key=.nonsense."):
        pt.text("nonsense", "en")
    with pytest.raises(ValueError, match=r"fields for 'diverged' must be \['label', 'step'\]"):
        pt.text("diverged", "fr", label="SGD")
    with pytest.raises(ValueError, match="fields"):
        pt.text("title", "en", extra=1)


def test_set_default_language_is_checked_and_changes_the_default():
    try:
        assert pt.default_language() == "en"
        assert pt.set_default_language("fr") == "fr" and pt.default_language() == "fr"
        with pytest.raises(ValueError, match="lang"):
            pt.set_default_language("xx")
        assert pt.default_language() == "fr"
    finally:
        pt.set_default_language("en")


def test_the_english_scenario_notes_are_the_table_s():
    for name, (_, note) in SCENARIOS.items():
        assert note == explanation(name, "en") == pt.text(f"scenario.{name}", "en", **_fields(name))
    assert "fewer than 9 warmup steps" in SCENARIOS["warmup"][1]
    with pytest.raises(ValueError, match="name"):
        explanation("nope")


def _fields(name):
    from helpers.lessons.playground_scenarios import _FIELDS

    return _FIELDS[name]


@pytest.mark.parametrize("lang", OTHERS)
def test_scenario_notes_keep_their_numbers_in_every_language(lang):
    for name in SCENARIOS:
        english, there = explanation(name, "en"), explanation(name, lang)
        assert there != english
        numbers = [sorted(re.findall(r"\d+(?:\.\d+)?", note)) for note in (english, there)]
        assert numbers[0] and numbers[0] == numbers[1] or name == "basins", (name, numbers)


def _labels(p):
    c = p.controls
    return {name: c[name].description for name in ("scenario", "lr_mode", "lr", "schedule", "steps",
                                                   "momentum", "weight_decay", "surface", "x", "fog")}


def test_the_playground_is_english_by_default():
    p = Playground()
    labels = _labels(p)
    assert p.lang == "en"
    assert labels["lr"] == "shared learning rate" and labels["x"] == "start x"
    assert p.controls["SGD + momentum"].description == "SGD + momentum"
    assert p.play.description == "play"
    assert p.image.info["words"]["step"] == "step"   # the canvas's words
    assert Playground(renderer="jpeg").panels.ax_loss.get_xlabel() == "step"
    assert p.caption.value.startswith("Rosenbrock surface from")


@pytest.mark.parametrize("lang", OTHERS)
def test_the_playground_builds_in_each_language_with_its_labels(lang):
    english = _labels(Playground(steps=40))
    p = Playground(lang=lang, steps=40)
    labels = _labels(p)
    assert p.lang == lang
    for name, words in labels.items():
        assert words == pt.text(f"control.{name}" if name != "x" else "control.start", lang,
                                **({"axis": "x"} if name == "x" else {}))
    assert sum(labels[k] != english[k] for k in labels) >= 8, labels
    assert p.controls["SGD + momentum"].description == optimizer_name("SGD + momentum", lang)
    menu = dict((v, k) for k, v in p.controls["schedule"].options)
    assert menu["warmup_cosine"] == pt.text("schedule.warmup_cosine", lang)
    assert dict((v, k) for k, v in p.controls["lr_mode"].options)["tuned"] == pt.text("mode.tuned", lang)
    assert p.image.info["words"]["title_loss"] == pt.text("title.loss", lang)
    assert p.image.info["words"]["diverged"] == pt.text("diverged", lang, label="{label}", step="{step}")
    assert p.figure_name == pt.text("figure_name", lang) and p.accessible_name() == p.figure_name
    if lang in SCRIPT:
        assert SCRIPT[lang].search(p.caption.value), p.caption.value
        jpeg = Playground(lang=lang, steps=40, renderer="jpeg")   # matplotlib's fonts (the browser picks its own)
        assert "Noto" in " ".join(jpeg.panels.ax_loss.xaxis.label.get_fontfamily())
    # a scenario: its note in the language
    p.controls["scenario"].value = "warmup"
    assert p.scenario_note.value == explanation("warmup", lang)
    # a divergence: the banner in the language
    p.controls["scenario"].value = ""
    p.set(lr_mode="shared", lr=1.0, steps=30)
    assert p.last_message and p.last_message.startswith("SGD")
    assert p.last_message == "; ".join(p.last_frame.messages_in(lang))
    assert "diverged" not in p.last_message and p.last_message != "; ".join(p.last_frame.messages)


@pytest.mark.parametrize("lang", pt.LANGUAGES)
def test_a_frame_description_names_every_optimizer_in_each_language(lang):
    frame = playground_frame(PlaygroundSettings(lr_mode="shared", lr=0.3, steps=30))
    words = describe_frame(frame, lang)
    for label in OPTIMIZERS:
        assert optimizer_name(label, lang) in words, (label, words)
    assert pt.text("describe.shared", lang, lr="0.3") in words
    for walk in frame.walks:
        if walk.diverged_at is not None:
            assert pt.text("diverged", lang, label="", step=walk.diverged_at).strip() in words
    if lang in SCRIPT:
        assert SCRIPT[lang].search(words)
    if lang in ("pt", "fr"):
        assert ACCENTED.search(words)
    if lang != "en":
        assert "above the minimum" not in words and "shared learning rate" not in words


def test_the_tuned_legend_is_translated():
    frame = playground_frame(PlaygroundSettings(steps=30))
    walk = frame.walks[0]
    assert walk.lr_label == walk.lr_label_in("en") == f"SGD: lr {walk.lr:.2g}, best of 61"
    assert walk.lr_label_in("zh") == f"SGD：lr {walk.lr:.2g}，61 个中最佳"


def test_the_static_picture_draws_in_chinese():
    import matplotlib.pyplot as plt

    fig = draw_playground(PlaygroundSettings(steps=40, lr_mode="shared", lr=1.0), lang="zh")
    try:
        texts = [t.get_text() for t in fig.texts] + [ax.get_title() for ax in fig.axes]
        assert pt.text("title.loss", "zh") in texts
        assert any(t.startswith("SGD 在第") for t in texts), texts   # the banner
    finally:
        plt.close(fig)


class _Handler:
    def __init__(self, **args):
        self.args = args

    def get_argument(self, name, default=None):
        return self.args.get(name, default)


def test_the_app_takes_its_language_from_the_address_or_the_default():
    assert app_language(None) == "en"
    assert app_language(None, "pt") == "pt"
    assert app_language(_Handler(), "fr") == "fr"
    assert app_language(_Handler(lang="zh"), "fr") == "zh"
    assert app_language(_Handler(lang="HI"), "en") == "hi"
    with pytest.raises(ValueError, match="lang='de'"):
        app_language(_Handler(lang="de"))


def test_the_app_page_gets_a_language_cell_and_a_translated_title():
    import nbformat

    nb = nbformat.read("notebooks/playground.ipynb", as_version=4)
    english = drop_static_preview(notebook=nbformat.from_dict(nb))
    assert english.cells[0].source == "# Playground"
    assert not any("set_default_language" in c.source for c in english.cells)
    zh = drop_static_preview(notebook=nbformat.from_dict(nb), lang="zh")
    assert zh.cells[0].source == "# " + pt.text("title", "zh")
    setting = [c for c in zh.cells if "set_default_language" in c.source]
    assert len(setting) == 1 and "'zh'" in setting[0].source
    first_code = next(c for c in zh.cells if c.cell_type == "code")
    assert first_code is setting[0]
    with pytest.raises(ValueError, match="lang"):
        drop_static_preview(notebook=nbformat.from_dict(nb), lang="xx")


@pytest.mark.parametrize("lang", OTHERS)
@pytest.mark.parametrize("renderer", ["canvas", "jpeg"])
def test_the_figures_banners_are_in_the_language_too(lang, renderer):
    p = Playground(lang=lang, steps=40, renderer=renderer)
    # a setting that cannot run: the words around the helpers' own (English) message are translated
    p.set(warmup=100)
    assert p.last_frame is None and p.last_error is None
    prefix = pt.text("banner.refused", lang, detail="")
    assert p.last_message.startswith(prefix) and "warmup" in p.last_message[len(prefix):]
    assert not p.last_message.startswith(pt.text("banner.refused", "en", detail=""))
    if lang == "zh":   # the README's example
        assert p.last_message == "无法绘制：the warmup (100 steps) must be shorter than the run (40 steps)"
    # a bug in a frame: said in the language, the kernel kept quiet
    p.set(warmup=0)

    def broken(*args):
        raise KeyError("oops")

    p.present = p.draw = broken
    p.set(steps=50)
    assert isinstance(p.last_error, KeyError)
    assert p.last_message == pt.text("banner.bug", lang, detail="KeyError: 'oops'")
    # the canvas's own drawing error: the template the browser fills
    if renderer == "canvas":
        assert p.image.info["words"]["drawing_error"] == pt.text("banner.drawing", lang, detail="{detail}")
