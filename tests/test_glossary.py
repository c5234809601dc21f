"""The glossary (helpers.lessons.glossary, shown by notebooks/glossary.ipynb): complete and pointing at
notebooks that exist."""

import re
import unicodedata
from pathlib import Path

import pytest

from helpers.lessons import glossary

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SCRIPTS = {"zh": "CJK UNIFIED", "hi": "DEVANAGARI"}       # the script a word in that language must use
KEEP = {"Adam", "AdamW", "SGD"}                             # names that stay as they are in every language


def test_every_term_has_every_language_and_a_definition():
    assert len(glossary.TERMS) >= 25
    for t in glossary.TERMS:
        assert set(t.words) == set(glossary.LANGUAGES), t.key
        for code, (word, definition) in t.words.items():
            assert word.strip() and definition.strip(), (t.key, code)
            assert len(definition) >= 15 and "\n" not in definition, (t.key, code)


def test_the_keys_and_english_words_are_unique():
    keys = [t.key for t in glossary.TERMS]
    english = [t.words["en"][0] for t in glossary.TERMS]
    assert len(set(keys)) == len(keys) and len(set(english)) == len(english)


def test_the_words_the_issue_asks_for_are_there():
    english = " ".join(t.words["en"][0] for t in glossary.TERMS)
    for word in ("gradient", "learning rate", "loss", "batch", "epoch", "backpropagation", "momentum",
                 "warmup", "schedule", "weight decay"):
        assert word in english, word


def test_each_term_is_taught_in_a_notebook_that_exists():
    for t in glossary.TERMS:
        assert (NOTEBOOKS / f"{t.notebook}.ipynb").exists(), (t.key, t.notebook)
    for stem in glossary.NOTEBOOK_TITLES:
        assert (NOTEBOOKS / f"{stem}.ipynb").exists(), stem


def _has_script(text, script):
    return any(script in unicodedata.name(ch, "") for ch in text)


def test_chinese_and_hindi_are_written_in_their_scripts_and_names_stay_latin():
    for t in glossary.TERMS:
        for code, script in SCRIPTS.items():
            word, definition = t.words[code]
            if word not in KEEP:
                assert _has_script(word, script), (t.key, code, word)
            assert _has_script(definition, script), (t.key, code)
        if t.words["en"][0] in KEEP:
            assert {w for w, _ in t.words.values()} == {t.words["en"][0]}, t.key
        for code, (_, definition) in t.words.items():   # an optimizer's name is never translated away
            for name in KEEP & set(re.findall(r"[A-Za-z]+", t.words["en"][1])):
                assert name in definition, (t.key, code, name)


def test_the_table_shows_each_language_and_links_each_notebook():
    table = glossary.table_html()
    assert table.count("<tr>") == len(glossary.TERMS) + 1
    for code in glossary.LANGUAGES:
        assert f'lang="{code}"' in table
    for t in glossary.TERMS:
        assert f'href="{t.notebook}.ipynb"' in table
    few = glossary.table_html(languages=("en", "zh"), notebook="07_momentum_and_adam")
    assert 'lang="fr"' not in few
    assert few.count("<tr>") == 1 + sum(t.notebook == "07_momentum_and_adam" for t in glossary.TERMS)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="languages="):
        glossary.table_html(languages=("en", "de"))
    with pytest.raises(ValueError, match="notebook="):
        glossary.table_html(notebook="11_missing")
    with pytest.raises(ValueError, match="key="):
        glossary.term("velocity")
    assert glossary.term("gradient").notebook == "01_derivatives_and_gradients"
