"""Every word the playground shows, in English, Portuguese, Chinese, French and Hindi.

``TEXT[key][lang]`` is one string, possibly with ``{placeholders}`` that :func:`text` fills in;
``text("diverged", "zh", label="SGD", step=25)`` -> "SGD 在第 25 步发散". Numbers are formatted by
the caller (the table gets "0.0071", never a float), so every language shows the same digits.
The terms are those of helpers.lessons.glossary; the optimizer names SGD, Adam and AdamW stay as
they are. tests/test_playground_text.py checks that every key has every language and that each
translation has exactly the English placeholders. Nothing happens on import.
"""

from __future__ import annotations

import string

from helpers.lessons.glossary import LANGUAGES as _NAMES

__all__ = ["LANGUAGES", "TEXT", "text", "check_language", "placeholders", "figure_fonts", "default_language",
           "set_default_language"]

LANGUAGES = tuple(_NAMES)  # ("en", "pt", "zh", "fr", "hi")


def _row(en, pt, zh, fr, hi):
    return {"en": en, "pt": pt, "zh": zh, "fr": fr, "hi": hi}


TEXT = {
    # the page
    "title": _row("Playground", "Playground: otimizadores descendo uma superfície de perda",
                  "游乐场：优化器沿损失曲面下山", "Bac à sable : des optimiseurs qui descendent une surface de perte",
                  "प्लेग्राउंड: लॉस सतह पर नीचे उतरते ऑप्टिमाइज़र"),
    "figure_name": _row(
        "Playground: optimizer paths on the contour map, loss and learning rate per step",
        "Playground: trajetórias dos otimizadores no mapa de curvas de nível, perda e taxa de aprendizado "
        "a cada passo",
        "游乐场：等高线图上的优化器路径，以及每一步的损失和学习率",
        "Bac à sable : trajectoires des optimiseurs sur la carte des lignes de niveau, perte et taux "
        "d'apprentissage à chaque pas",
        "प्लेग्राउंड: कंटूर मैप पर ऑप्टिमाइज़र के रास्ते, हर स्टेप पर लॉस और लर्निंग रेट"),
    # the controls
    "control.scenario": _row("scenario", "cenário", "场景", "scénario", "परिदृश्य"),
    "control.choose": _row("(choose one)", "(escolha um)", "（请选择）", "(choisissez-en un)", "(एक चुनें)"),
    "control.lr_mode": _row("learning rates", "taxas de aprendizado", "学习率", "taux d'apprentissage",
                            "लर्निंग रेट"),
    "control.lr": _row("shared learning rate", "taxa de aprendizado comum", "共同学习率",
                       "taux d'apprentissage commun", "साझा लर्निंग रेट"),
    "control.schedule": _row("schedule", "agendamento", "学习率调度", "planification", "शेड्यूल"),
    "control.warmup": _row("warmup", "aquecimento (warmup)", "预热步数", "échauffement (warmup)", "वार्मअप"),
    "control.steps": _row("steps", "passos", "步数", "pas", "स्टेप"),
    "control.show_step": _row("show step", "mostrar passo", "显示第几步", "pas affiché", "दिखाया गया स्टेप"),
    "control.play": _row("play", "reproduzir", "播放", "lecture", "चलाएँ"),
    "control.momentum": _row("momentum", "momento (momentum)", "动量", "momentum", "मोमेंटम"),
    "control.beta1": _row("beta1 (Adam)", "beta1 (Adam)", "beta1（Adam）", "beta1 (Adam)", "beta1 (Adam)"),
    "control.beta2": _row("beta2 (Adam)", "beta2 (Adam)", "beta2（Adam）", "beta2 (Adam)", "beta2 (Adam)"),
    "control.weight_decay": _row("weight decay (AdamW)", "decaimento de pesos (AdamW)", "权重衰减（AdamW）",
                                 "décroissance des poids (AdamW)", "वेट डीके (AdamW)"),
    "control.surface": _row("surface", "superfície", "曲面", "surface", "सतह"),
    "control.start": _row("start {axis}", "início {axis}", "起点 {axis}", "départ {axis}", "शुरुआती {axis}"),
    "control.fog": _row("fog (feel only the slope underfoot)", "neblina (só se sente a inclinação sob os pés)",
                        "雾（只能感觉到脚下的坡度）", "brouillard (on ne sent que la pente sous ses pieds)",
                        "कोहरा (केवल पैरों के नीचे की ढलान महसूस होती है)"),
    "control.large": _row("larger text", "texto maior", "放大文字", "texte plus grand", "बड़ा टेक्स्ट"),
    # menus
    "mode.tuned": _row("each at its own best rate", "cada um na sua melhor taxa", "各用自己的最佳学习率",
                       "chacun à son meilleur taux", "हर एक अपनी सबसे अच्छी रेट पर"),
    "mode.shared": _row("one shared rate", "uma taxa comum", "共用一个学习率", "un seul taux commun",
                        "एक साझा रेट"),
    "schedule.constant": _row("constant", "constante", "常数", "constant", "स्थिर"),
    "schedule.step": _row("step (x0.1 every third of the run)", "em degraus (x0.1 a cada terço da execução)",
                          "阶梯（每三分之一的运行乘以 0.1）", "par paliers (x0.1 à chaque tiers de l'exécution)",
                          "स्टेप (रन के हर तिहाई पर x0.1)"),
    "schedule.cosine": _row("cosine", "cosseno", "余弦", "cosinus", "कोसाइन"),
    "schedule.warmup_cosine": _row("warmup then cosine", "aquecimento, depois cosseno", "先预热再余弦",
                                   "échauffement puis cosinus", "पहले वार्मअप, फिर कोसाइन"),
    "surface.bowl": _row("bowl", "tigela", "碗形", "cuvette", "कटोरा"),
    "surface.rosenbrock": _row("Rosenbrock", "Rosenbrock", "Rosenbrock", "Rosenbrock", "Rosenbrock"),
    "surface.saddle": _row("saddle", "sela", "鞍面", "selle", "सैडल"),
    "surface.himmelblau": _row("Himmelblau", "Himmelblau", "Himmelblau", "Himmelblau", "Himmelblau"),
    "surface.double_well": _row("double well", "poço duplo", "双势阱", "double puits", "दोहरा कुआँ"),
    "surface.bumpy": _row("bumpy", "acidentada", "崎岖", "accidentée", "ऊबड़-खाबड़"),
    # optimizer names (only the one with a word in it is translated)
    "optimizer.SGD": _row("SGD", "SGD", "SGD", "SGD", "SGD"),
    "optimizer.SGD + momentum": _row("SGD + momentum", "SGD + momento", "SGD + 动量", "SGD + momentum",
                                     "SGD + मोमेंटम"),
    "optimizer.Adam": _row("Adam", "Adam", "Adam", "Adam", "Adam"),
    "optimizer.AdamW": _row("AdamW", "AdamW", "AdamW", "AdamW", "AdamW"),
    # the figure
    "axis.step": _row("step", "passo", "步", "pas", "स्टेप"),
    "axis.loss_gap": _row("loss − minimum", "perda − mínimo", "损失 − 最小值", "perte − minimum",
                          "लॉस − न्यूनतम"),
    "title.loss": _row("loss (log scale)", "perda (escala log)", "损失（对数坐标）", "perte (échelle log)",
                       "लॉस (लॉग स्केल)"),
    "axis.lr": _row("lr ÷ peak lr", "lr ÷ lr de pico", "lr ÷ 峰值 lr", "lr ÷ lr maximal", "lr ÷ पीक lr"),
    "title.schedule": _row("schedule", "agendamento", "学习率调度", "planification", "शेड्यूल"),
    "lr_text.tuned": _row("step {t}: {unit} × each peak", "passo {t}: {unit} × cada pico",
                          "第 {t} 步：{unit} × 各自峰值", "pas {t} : {unit} × chaque maximum",
                          "स्टेप {t}: {unit} × हर एक का पीक"),
    "lr_text.shared": _row("peak {peak}; step {t}: {rate}", "pico {peak}; passo {t}: {rate}",
                           "峰值 {peak}；第 {t} 步：{rate}", "maximum {peak} ; pas {t} : {rate}",
                           "पीक {peak}; स्टेप {t}: {rate}"),
    "legend.lr": _row("{label}: lr {lr}", "{label}: lr {lr}", "{label}：lr {lr}", "{label} : lr {lr}",
                      "{label}: lr {lr}"),
    "legend.tuned": _row("{label}: lr {lr}, best of {n}", "{label}: lr {lr}, a melhor de {n}",
                         "{label}：lr {lr}，{n} 个中最佳", "{label} : lr {lr}, le meilleur de {n}",
                         "{label}: lr {lr}, {n} में सबसे अच्छी"),
    "diverged": _row("{label} diverged at step {step}", "{label} divergiu no passo {step}",
                     "{label} 在第 {step} 步发散", "{label} a divergé au pas {step}",
                     "{label} स्टेप {step} पर डाइवर्ज हो गया"),
    # the figure's banners when a setting cannot run or something breaks ({detail} is the helpers' own
    # message, in English: it names the argument and the value)
    "banner.refused": _row("Can't draw this: {detail}", "Não é possível desenhar isto: {detail}",
                           "无法绘制：{detail}", "Impossible de dessiner ceci : {detail}",
                           "इसे नहीं बनाया जा सकता: {detail}"),
    "banner.bug": _row("Something went wrong: {detail}", "Algo deu errado: {detail}", "出错了：{detail}",
                       "Une erreur s'est produite : {detail}", "कुछ गड़बड़ हो गई: {detail}"),
    "banner.drawing": _row("Something went wrong drawing: {detail}", "Algo deu errado ao desenhar: {detail}",
                           "绘制时出错：{detail}", "Une erreur s'est produite pendant le dessin : {detail}",
                           "चित्र बनाते समय कुछ गड़बड़ हो गई: {detail}"),
    # the text description (for screen readers)
    "hyper.lr": _row("lr {v}", "lr {v}", "lr {v}", "lr {v}", "lr {v}"),
    "hyper.momentum": _row("momentum {v}", "momento {v}", "动量 {v}", "momentum {v}", "मोमेंटम {v}"),
    "hyper.beta1": _row("beta1 {v}", "beta1 {v}", "beta1 {v}", "beta1 {v}", "beta1 {v}"),
    "hyper.beta2": _row("beta2 {v}", "beta2 {v}", "beta2 {v}", "beta2 {v}", "beta2 {v}"),
    "hyper.weight_decay": _row("weight decay {v}", "decaimento de pesos {v}", "权重衰减 {v}",
                               "décroissance des poids {v}", "वेट डीके {v}"),
    "list.comma": _row(", ", ", ", "，", ", ", ", "),
    "walk.head": _row("{label} ({hyper})", "{label} ({hyper})", "{label}（{hyper}）", "{label} ({hyper})",
                      "{label} ({hyper})"),
    "walk.at": _row("{head} is at ({x}, {y}), {loss}", "{head} está em ({x}, {y}), {loss}",
                    "{head} 位于 ({x}, {y})，{loss}", "{head} est en ({x}, {y}), {loss}",
                    "{head} ({x}, {y}) पर है, {loss}"),
    "walk.at_minimum": _row("at the minimum", "no mínimo", "已到达最小值", "au minimum", "न्यूनतम पर"),
    "walk.loss": _row("loss {gap} above the minimum", "perda {gap} acima do mínimo", "损失比最小值高 {gap}",
                      "perte de {gap} au-dessus du minimum", "लॉस न्यूनतम से {gap} ऊपर"),
    "describe.schedule": _row("{name} schedule", "agendamento “{name}”", "学习率调度为“{name}”",
                              "planification « {name} »", "“{name}” शेड्यूल"),
    "describe.warmup": _row("{schedule} ({n} warmup steps)", "{schedule} ({n} passos de aquecimento)",
                            "{schedule}（预热 {n} 步）", "{schedule} ({n} pas d'échauffement)",
                            "{schedule} ({n} वार्मअप स्टेप)"),
    "describe.tuned": _row("each optimizer at its own best of {n} learning rates",
                           "cada otimizador na melhor de {n} taxas de aprendizado",
                           "每个优化器各用 {n} 个学习率中最好的一个",
                           "chaque optimiseur au meilleur de {n} taux d'apprentissage",
                           "हर ऑप्टिमाइज़र {n} लर्निंग रेट में से अपनी सबसे अच्छी रेट पर"),
    "describe.shared": _row("one shared learning rate, {lr}", "uma taxa de aprendizado comum, {lr}",
                            "共用一个学习率 {lr}", "un seul taux d'apprentissage commun, {lr}",
                            "एक साझा लर्निंग रेट, {lr}"),
    "describe.head": _row(
        "{surface} surface from ({x}, {y}), {schedule}, {steps} steps, {rates}; step {t} shown{fog}.",
        "Superfície {surface} a partir de ({x}, {y}), {schedule}, {steps} passos, {rates}; mostrado o "
        "passo {t}{fog}.",
        "{surface}曲面，从 ({x}, {y}) 出发，{schedule}，{steps} 步，{rates}；显示第 {t} 步{fog}。",
        "Surface {surface} depuis ({x}, {y}), {schedule}, {steps} pas, {rates} ; pas {t} affiché{fog}.",
        "{surface} सतह, ({x}, {y}) से शुरू, {schedule}, {steps} स्टेप, {rates}; स्टेप {t} दिखाया गया{fog}।"),
    "describe.fog": _row(", in fog", ", com neblina", "，有雾", ", dans le brouillard", ", कोहरे में"),
    "describe.join": _row(". ", ". ", "。", ". ", "। "),
    "describe.none": _row("No optimizer is shown", "Nenhum otimizador é mostrado", "没有显示任何优化器",
                          "Aucun optimiseur n'est affiché", "कोई ऑप्टिमाइज़र नहीं दिखाया गया"),
    "describe.end": _row(
        "{states}. Left: the paths on the contour map; right: the loss above the minimum and the learning "
        "rate per step.",
        "{states}. À esquerda: as trajetórias no mapa de curvas de nível; à direita: a perda acima do mínimo "
        "e a taxa de aprendizado a cada passo.",
        "{states}。左：等高线图上的路径；右：每一步高出最小值的损失和学习率。",
        "{states}. À gauche : les trajectoires sur la carte des lignes de niveau ; à droite : la perte "
        "au-dessus du minimum et le taux d'apprentissage à chaque pas.",
        "{states}। बाएँ: कंटूर मैप पर रास्ते; दाएँ: हर स्टेप पर न्यूनतम से ऊपर का लॉस और लर्निंग रेट।"),
    # the scenarios' explanations (helpers.lessons.playground_scenarios)
    "scenario.warmup": _row(
        "Rosenbrock from its steepest corner, where the curvature is highest, at a peak learning rate of "
        "{lr}: SGD diverges within a few steps with fewer than {n} warmup steps and survives with {n} or "
        "more. Slide warmup.",
        "Rosenbrock a partir do seu canto mais íngreme, onde a curvatura é maior, com taxa de aprendizado "
        "de pico {lr}: o SGD diverge em poucos passos com menos de {n} passos de aquecimento e sobrevive "
        "com {n} ou mais. Deslize o aquecimento.",
        "从 Rosenbrock 最陡的角落出发（那里曲率最大），峰值学习率为 {lr}：预热少于 {n} 步时，SGD "
        "几步之内就发散；预热 {n} 步或更多则能幸存。拖动“预热步数”。",
        "Rosenbrock depuis son coin le plus raide, là où la courbure est la plus forte, avec un taux "
        "d'apprentissage maximal de {lr} : SGD diverge en quelques pas avec moins de {n} pas "
        "d'échauffement et tient avec {n} ou plus. Faites glisser l'échauffement.",
        "Rosenbrock उसके सबसे खड़े कोने से, जहाँ वक्रता सबसे ज़्यादा है, पीक लर्निंग रेट {lr} पर: "
        "{n} से कम वार्मअप स्टेप के साथ SGD कुछ ही स्टेप में डाइवर्ज हो जाता है, और {n} या ज़्यादा के साथ "
        "बच जाता है। वार्मअप स्लाइडर खिसकाएँ।"),
    "scenario.momentum": _row(
        "A long, narrow bowl at learning rate {lr}: with momentum from {low} to {high} the walker overshoots "
        "the valley floor, swings back and still ends nearer the minimum than plain SGD. Slide momentum.",
        "Uma tigela longa e estreita com taxa de aprendizado {lr}: com momento de {low} a {high}, o "
        "caminhante passa do fundo do vale, volta e ainda termina mais perto do mínimo que o SGD puro. "
        "Deslize o momento.",
        "一个又长又窄的碗，学习率为 {lr}：动量在 {low} 到 {high} 之间时，行者会冲过谷底、再摆回来，"
        "最终仍比普通 SGD 更接近最小值。拖动“动量”。",
        "Une cuvette longue et étroite, au taux d'apprentissage {lr} : avec un momentum de {low} à {high}, "
        "le marcheur dépasse le fond de la vallée, revient et finit quand même plus près du minimum que "
        "SGD seul. Faites glisser le momentum.",
        "लर्निंग रेट {lr} पर एक लंबा, सँकरा कटोरा: {low} से {high} तक के मोमेंटम के साथ चलने वाला घाटी के "
        "तल से आगे निकल जाता है, वापस झूलता है और फिर भी सादे SGD से न्यूनतम के ज़्यादा पास पहुँचता है। "
        "मोमेंटम स्लाइडर खिसकाएँ।"),
    "scenario.adam-scale": _row(
        "Adam's first step moves each coordinate by the learning rate, {lr}, whatever the gradient; SGD's is "
        "the rate times the gradient, at the start five times longer across the bowl than along it. Slide "
        "start x: Adam's stays the same, SGD's follows the slope.",
        "O primeiro passo do Adam move cada coordenada pela taxa de aprendizado, {lr}, seja qual for o "
        "gradiente; o do SGD é a taxa vezes o gradiente, no início cinco vezes mais longo através da tigela "
        "do que ao longo dela. Deslize o início x: o do Adam não muda, o do SGD segue a inclinação.",
        "Adam 的第一步让每个坐标移动一个学习率 {lr}，与梯度大小无关；SGD 的第一步是学习率乘以梯度，"
        "起点处横跨碗的方向比沿碗的方向长五倍。拖动“起点 x”：Adam 的第一步不变，SGD 的随坡度变化。",
        "Le premier pas d'Adam déplace chaque coordonnée du taux d'apprentissage, {lr}, quel que soit le "
        "gradient ; celui de SGD vaut le taux fois le gradient, au départ cinq fois plus long en travers de "
        "la cuvette que dans sa longueur. Faites glisser le départ x : celui d'Adam reste le même, celui de "
        "SGD suit la pente.",
        "Adam का पहला स्टेप हर निर्देशांक को लर्निंग रेट, {lr}, जितना खिसकाता है, ग्रेडिएंट चाहे जो हो; SGD "
        "का स्टेप रेट गुणा ग्रेडिएंट है, जो शुरुआत में कटोरे की लंबाई की तुलना में उसकी चौड़ाई की दिशा में "
        "पाँच गुना लंबा है। शुरुआती x खिसकाएँ: Adam का स्टेप वही रहता है, SGD का ढलान के साथ बदलता है।"),
    "scenario.basins": _row(
        "Himmelblau has four minima and SGD always ends in one of them; which one is decided by where it "
        "starts. Slide start x along y = 0: all four are reached.",
        "Himmelblau tem quatro mínimos e o SGD sempre termina em um deles; qual deles depende de onde ele "
        "começa. Deslize o início x ao longo de y = 0: os quatro são alcançados.",
        "Himmelblau 有四个极小值，SGD 总会停在其中一个；停在哪一个取决于它从哪里出发。沿 y = 0 拖动"
        "“起点 x”：四个都能到达。",
        "Himmelblau a quatre minima et SGD finit toujours dans l'un d'eux ; lequel dépend de son point de "
        "départ. Faites glisser le départ x le long de y = 0 : les quatre sont atteints.",
        "Himmelblau के चार न्यूनतम हैं और SGD हमेशा उनमें से किसी एक में पहुँचता है; कौन-सा, यह इस पर "
        "निर्भर है कि वह कहाँ से शुरू होता है। y = 0 के साथ शुरुआती x खिसकाएँ: चारों तक पहुँचा जा सकता है।"),
}


def check_language(lang):
    """``lang`` if it is one of LANGUAGES, else ValueError naming ``lang`` and the value."""
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got lang={lang!r}")
    return lang


_default = "en"


def default_language():
    """The language ``Playground()`` uses when no ``lang`` is given: English unless
    :func:`set_default_language` changed it (the `make app` page does, from ``?lang=``)."""
    return _default


def set_default_language(lang):
    """Make ``lang`` the language of every ``Playground()`` made after this call in this kernel."""
    global _default
    _default = check_language(lang)
    return _default


def placeholders(template):
    """The set of ``{names}`` in a format string."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def text(key, lang="en", **fields):
    """The string ``key`` in ``lang``, its placeholders filled from ``fields``.

    ValueError for an unknown ``lang`` or ``key``, or for fields that do not match the placeholders.
    """
    check_language(lang)
    if key not in TEXT:
        raise ValueError(f"key must be one of the playground's strings, got key={key!r}")
    template = TEXT[key][lang]
    wanted = placeholders(template)
    if set(fields) != wanted:
        raise ValueError(f"fields for {key!r} must be {sorted(wanted)}, got fields={sorted(fields)}")
    return template.format(**fields) if wanted else template


# fonts for the figure's text: matplotlib falls back along the list, glyph by glyph (Debian's
# fonts-noto-cjk and fonts-noto-core)
_FONTS = {"zh": ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP"],
          "hi": ["DejaVu Sans", "Noto Sans Devanagari"]}


def figure_fonts(lang):
    """The font family list for the figure in ``lang`` (None: matplotlib's default will do).

    Only fonts matplotlib can find are listed. A font installed after matplotlib built its font
    cache is not in it: such a family is looked for among the system's font files (by its name
    without spaces, "NotoSansDevanagari-Regular.ttf") and added once.
    """
    wanted = _FONTS.get(check_language(lang))
    if not wanted:
        return None
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    missing = [family for family in wanted if family not in known]
    if missing:
        import os

        files = font_manager.findSystemFonts()
        for family in missing:
            stem = family.replace(" ", "")
            for path in files:
                if os.path.basename(path).startswith(stem + "-"):
                    try:
                        font_manager.fontManager.addfont(path)
                    except (OSError, RuntimeError, ValueError):   # an unreadable file: skip it
                        continue
        known = {f.name for f in font_manager.fontManager.ttflist}
    return [family for family in wanted if family in known]
