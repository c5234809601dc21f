"""The course's glossary: each term in English, Portuguese, Chinese, French and Hindi.

Every entry gives the term as practitioners write it in that language (with the English word in
brackets where people mostly say it in English) and a one-line definition, plus the notebook that
teaches it. The names of optimizers (SGD, Adam, AdamW) stay as they are in every language.

``TERMS`` is the data; :func:`table_html` draws it as an HTML table for notebooks/glossary.ipynb.
Nothing happens on import.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["LANGUAGES", "NOTEBOOK_TITLES", "Term", "TERMS", "table_html", "term"]

# code -> the language's name, written in that language
LANGUAGES = {"en": "English", "pt": "Português", "zh": "中文", "fr": "Français", "hi": "हिन्दी"}

NOTEBOOK_TITLES = {
    "00_start_here": "00 · Start here",
    "01_derivatives_and_gradients": "01 · Derivatives and gradients",
    "02_backpropagation": "02 · Backpropagation",
    "03_gradient_descent": "03 · Gradient descent",
    "04_loss_landscapes": "04 · Loss landscapes",
    "05_stochastic_gradient_descent": "05 · Stochastic gradient descent",
    "06_learning_rate_schedules": "06 · Learning-rate schedules",
    "07_momentum_and_adam": "07 · Momentum and Adam",
    "08_weight_decay_and_adamw": "08 · Weight decay and AdamW",
    "09_optimizer_arena": "09 · The optimizer arena",
    "10_from_toys_to_a_real_network": "10 · From toys to a real network",
}


@dataclass(frozen=True)
class Term:
    """One glossary entry: ``words[lang] = (term, one-line definition)``; ``notebook`` teaches it."""

    key: str
    notebook: str
    words: dict


def _t(key, notebook, **words):
    return Term(key, notebook, words)


TERMS = (
    _t("loss", "00_start_here",
       en=("loss (loss function)", "One number that says how wrong the model is on some data; training makes it small."),
       pt=("perda (função de perda)", "Um número que diz quanto o modelo erra em certos dados; o treino busca torná-lo pequeno."),
       zh=("损失（损失函数）", "衡量模型在数据上错得多厉害的一个数；训练就是让它变小。"),
       fr=("perte (fonction de perte)", "Un nombre qui dit à quel point le modèle se trompe sur des données ; l'entraînement cherche à le réduire."),
       hi=("लॉस (हानि फलन)", "एक संख्या जो बताती है कि मॉडल डेटा पर कितना गलत है; ट्रेनिंग इसे छोटा करती है।")),
    _t("derivative", "01_derivatives_and_gradients",
       en=("derivative", "The slope of a function of one variable: the limit of (f(w + h) − f(w)) / h as h shrinks."),
       pt=("derivada", "A inclinação de uma função de uma variável: o limite de (f(w + h) − f(w)) / h quando h diminui."),
       zh=("导数", "单变量函数的斜率：当 h 趋于 0 时 (f(w + h) − f(w)) / h 的极限。"),
       fr=("dérivée", "La pente d'une fonction d'une variable : la limite de (f(w + h) − f(w)) / h quand h tend vers 0."),
       hi=("अवकलज (डेरिवेटिव)", "एक चर वाले फलन का ढलान: h के छोटा होते जाने पर (f(w + h) − f(w)) / h की सीमा।")),
    _t("gradient", "01_derivatives_and_gradients",
       en=("gradient", "The vector of partial derivatives; it points in the direction of steepest increase of the loss."),
       pt=("gradiente", "O vetor das derivadas parciais; aponta na direção de maior aumento da perda."),
       zh=("梯度", "由各偏导数组成的向量，指向损失增加最快的方向。"),
       fr=("gradient", "Le vecteur des dérivées partielles ; il pointe dans la direction où la perte croît le plus vite."),
       hi=("ग्रेडिएंट (प्रवणता)", "आंशिक अवकलजों का सदिश; यह उस दिशा में इशारा करता है जिसमें लॉस सबसे तेज़ी से बढ़ता है।")),
    _t("finite_difference", "01_derivatives_and_gradients",
       en=("finite difference", "A derivative estimated from loss values at w and w + h (forward) or at w ± h (central), h small; used to check gradients."),
       pt=("diferença finita", "Uma derivada estimada a partir de valores da perda em w e w + h (progressiva) ou em w ± h (central), com h pequeno; serve para verificar gradientes."),
       zh=("有限差分", "用 w 与 w + h 处（前向）或 w ± h 处（中心）的损失值估计导数，h 很小；常用于检查梯度是否正确。"),
       fr=("différence finie", "Une dérivée estimée à partir des valeurs de la perte en w et w + h (avant) ou en w ± h (centrée), h petit ; sert à vérifier un gradient."),
       hi=("परिमित अंतर (फ़ाइनाइट डिफ़रेंस)", "w और w + h (फ़ॉरवर्ड) या w ± h (सेंट्रल) पर लॉस के मानों से अनुमानित अवकलज, h छोटा; ग्रेडिएंट जाँचने में काम आता है।")),
    _t("chain_rule", "02_backpropagation",
       en=("chain rule", "The derivative of a composition is the product of the local derivatives along the path, summed over paths."),
       pt=("regra da cadeia", "A derivada de uma composição é o produto das derivadas locais ao longo do caminho, somado sobre os caminhos."),
       zh=("链式法则", "复合函数的导数等于沿路径各局部导数的乘积，再对所有路径求和。"),
       fr=("règle de dérivation en chaîne", "La dérivée d'une composée est le produit des dérivées locales le long du chemin, sommé sur les chemins."),
       hi=("श्रृंखला नियम (चेन रूल)", "संयुक्त फलन का अवकलज रास्ते के स्थानीय अवकलजों का गुणनफल होता है, जिसे सभी रास्तों पर जोड़ा जाता है।")),
    _t("backpropagation", "02_backpropagation",
       en=("backpropagation", "The chain rule applied from the loss back to every parameter, giving the whole gradient in one backward pass."),
       pt=("retropropagação (backpropagation)", "A regra da cadeia aplicada da perda de volta a cada parâmetro, dando o gradiente inteiro numa passagem para trás."),
       zh=("反向传播", "从损失出发沿计算图反向应用链式法则，一次反向传递就得到对所有参数的梯度。"),
       fr=("rétropropagation (du gradient)", "La règle de dérivation en chaîne appliquée de la perte vers chaque paramètre : tout le gradient en une passe arrière."),
       hi=("बैकप्रोपेगेशन (पश्च-प्रसार)", "लॉस से हर पैरामीटर तक उल्टी दिशा में लगाया गया श्रृंखला नियम; एक बैकवर्ड पास में पूरा ग्रेडिएंट देता है।")),
    _t("optimizer", "02_backpropagation",
       en=("optimizer", "The rule that uses the gradient to change the parameters (SGD, Adam, AdamW, ...)."),
       pt=("otimizador", "A regra que usa o gradiente para mudar os parâmetros (SGD, Adam, AdamW, ...)."),
       zh=("优化器", "利用梯度更新参数的规则（SGD、Adam、AdamW 等）。"),
       fr=("optimiseur", "La règle qui se sert du gradient pour modifier les paramètres (SGD, Adam, AdamW, ...)."),
       hi=("ऑप्टिमाइज़र", "वह नियम जो ग्रेडिएंट का उपयोग करके पैरामीटर बदलता है (SGD, Adam, AdamW, ...)।")),
    _t("gradient_descent", "03_gradient_descent",
       en=("gradient descent", "Repeat: step each parameter against its gradient, scaled by the learning rate."),
       pt=("descida do gradiente", "Repetir: mover cada parâmetro no sentido contrário ao gradiente, multiplicado pela taxa de aprendizado."),
       zh=("梯度下降", "反复让每个参数沿梯度的反方向移动一步，步长由学习率缩放。"),
       fr=("descente de gradient", "Répéter : déplacer chaque paramètre à l'opposé de son gradient, multiplié par le taux d'apprentissage."),
       hi=("ग्रेडिएंट डिसेंट (प्रवणता अवरोहण)", "बार-बार हर पैरामीटर को उसके ग्रेडिएंट की उल्टी दिशा में, लर्निंग रेट से गुणा करके, एक कदम आगे बढ़ाना।")),
    _t("learning_rate", "03_gradient_descent",
       en=("learning rate", "The factor that scales each step; too high overshoots or diverges, too low is slow."),
       pt=("taxa de aprendizado", "O número que multiplica cada passo; alta demais, a descida ultrapassa ou diverge; baixa demais, é lenta."),
       zh=("学习率", "缩放每一步步长的系数；太大会越过最小值甚至发散，太小则收敛缓慢。"),
       fr=("taux d'apprentissage", "Le facteur qui règle la longueur de chaque pas ; trop grand, on dépasse ou on diverge ; trop petit, on avance lentement."),
       hi=("लर्निंग रेट (अधिगम दर)", "हर कदम का आकार तय करने वाला गुणक; बहुत बड़ा हो तो आगे निकल जाता है या डाइवर्ज करता है, बहुत छोटा हो तो धीमा।")),
    _t("hyperparameter", "03_gradient_descent",
       en=("hyperparameter", "A setting chosen before training rather than learned, such as the learning rate or the batch size."),
       pt=("hiperparâmetro", "Uma configuração escolhida antes do treino, não aprendida, como a taxa de aprendizado ou o tamanho do lote."),
       zh=("超参数", "在训练前设定而不是学出来的量，例如学习率或批大小。"),
       fr=("hyperparamètre", "Un réglage choisi avant l'entraînement et non appris, comme le taux d'apprentissage ou la taille du lot."),
       hi=("हाइपरपैरामीटर", "ट्रेनिंग से पहले चुनी गई सेटिंग जो सीखी नहीं जाती, जैसे लर्निंग रेट या बैच का आकार।")),
    _t("divergence", "03_gradient_descent",
       en=("divergence", "A run whose loss grows without bound; for plain gradient descent on a quadratic it happens once lr > 2/L (L the largest curvature)."),
       pt=("divergência", "Uma execução cuja perda cresce sem limite; na descida do gradiente simples numa quadrática acontece quando lr > 2/L (L a maior curvatura)."),
       zh=("发散", "损失无限增大的训练；对二次函数上的普通梯度下降，当 lr > 2/L（L 为最大曲率）时就会发生。"),
       fr=("divergence", "Un entraînement dont la perte croît sans limite ; pour la descente de gradient simple sur une quadratique, dès que lr > 2/L (L la plus grande courbure)."),
       hi=("डाइवर्जेंस (अपसरण)", "ऐसा रन जिसका लॉस बिना सीमा के बढ़ता जाए; द्विघात फलन पर साधारण ग्रेडिएंट डिसेंट में यह lr > 2/L (L सबसे बड़ी वक्रता) होते ही होता है।")),
    _t("condition_number", "03_gradient_descent",
       en=("condition number", "Largest curvature over smallest, L/μ; the larger it is, the slower plain descent converges."),
       pt=("número de condição", "A maior curvatura dividida pela menor, L/μ; quanto maior, mais lenta a descida simples."),
       zh=("条件数", "最大曲率与最小曲率之比 L/μ；它越大，普通梯度下降收敛越慢。"),
       fr=("conditionnement (nombre de conditionnement)", "La plus grande courbure divisée par la plus petite, L/μ ; plus il est grand, plus la descente simple est lente."),
       hi=("कंडीशन नंबर", "सबसे बड़ी वक्रता और सबसे छोटी वक्रता का अनुपात L/μ; यह जितना बड़ा, साधारण डिसेंट उतना धीमा।")),
    _t("local_minimum", "04_loss_landscapes",
       en=("local minimum", "A point lower than everything near it, though perhaps not the lowest point of the whole landscape."),
       pt=("mínimo local", "Um ponto mais baixo que tudo ao seu redor, embora talvez não o mais baixo de toda a paisagem."),
       zh=("局部极小值", "比周围所有点都低的点，但不一定是整个损失曲面的最低点。"),
       fr=("minimum local", "Un point plus bas que tout ce qui l'entoure, mais pas forcément le plus bas de tout le paysage."),
       hi=("स्थानीय न्यूनतम (लोकल मिनिमम)", "ऐसा बिंदु जो अपने आस-पास के हर बिंदु से नीचा हो, भले ही पूरे परिदृश्य में सबसे नीचा न हो।")),
    _t("saddle_point", "04_loss_landscapes",
       en=("saddle point", "A flat point (zero gradient) that curves up in some directions and down in others; descent stalls near it."),
       pt=("ponto de sela", "Um ponto plano (gradiente zero) que sobe em algumas direções e desce em outras; a descida desacelera perto dele."),
       zh=("鞍点", "梯度为零、在某些方向向上弯而在另一些方向向下弯的点；梯度下降在其附近会停滞。"),
       fr=("point selle", "Un point plat (gradient nul) qui monte dans certaines directions et descend dans d'autres ; la descente y stagne."),
       hi=("सैडल पॉइंट (पल्याण बिंदु)", "शून्य ग्रेडिएंट वाला बिंदु जो कुछ दिशाओं में ऊपर और कुछ में नीचे मुड़ता है; इसके पास डिसेंट अटक जाता है।")),
    _t("basin_of_attraction", "04_loss_landscapes",
       en=("basin of attraction", "All the starting points from which a given optimizer, at a given learning rate, ends in the same minimum."),
       pt=("bacia de atração", "Todos os pontos de partida a partir dos quais um dado otimizador, com uma dada taxa de aprendizado, termina no mesmo mínimo."),
       zh=("吸引域", "对给定的优化器和学习率，最终都落入同一个极小值的所有起点构成的区域。"),
       fr=("bassin d'attraction", "L'ensemble des points de départ d'où un optimiseur donné, à un taux d'apprentissage donné, aboutit au même minimum."),
       hi=("आकर्षण बेसिन", "वे सभी शुरुआती बिंदु जहाँ से कोई दिया गया ऑप्टिमाइज़र, दी गई लर्निंग रेट पर, एक ही न्यूनतम पर पहुँचता है।")),
    _t("batch", "05_stochastic_gradient_descent",
       en=("batch (mini-batch)", "The examples used for one step; a mini-batch is a small random subset of the data."),
       pt=("lote (batch), minilote", "Os exemplos usados num passo; um minilote é um pequeno subconjunto aleatório dos dados."),
       zh=("批（小批量）", "一步更新所用的样本；小批量是从数据中随机抽取的一小部分。"),
       fr=("lot, mini-lot (mini-batch)", "Les exemples utilisés pour un pas ; un mini-lot est un petit sous-ensemble aléatoire des données."),
       hi=("बैच (मिनी-बैच)", "एक कदम में इस्तेमाल होने वाले उदाहरण; मिनी-बैच डेटा का एक छोटा यादृच्छिक हिस्सा है।")),
    _t("epoch", "05_stochastic_gradient_descent",
       en=("epoch", "One pass over the whole training set, each example used once."),
       pt=("época", "Uma passagem por todo o conjunto de treino, cada exemplo usado uma vez."),
       zh=("轮（epoch）", "把整个训练集完整过一遍，每个样本用一次。"),
       fr=("époque", "Un passage sur tout le jeu d'entraînement, chaque exemple utilisé une fois."),
       hi=("एपॉक", "पूरे ट्रेनिंग डेटा पर एक पूरा चक्कर, जिसमें हर उदाहरण एक बार इस्तेमाल होता है।")),
    _t("sgd", "05_stochastic_gradient_descent",
       en=("stochastic gradient descent (SGD)", "Gradient descent on the gradient of a random mini-batch: cheaper steps, with noise. In code (torch.optim.SGD) the name means the update p ← p − lr·g, whatever gradient it is given."),
       pt=("descida do gradiente estocástica (SGD)", "Descida do gradiente usando o gradiente de um minilote aleatório: passos mais baratos, com ruído. No código (torch.optim.SGD) o nome designa a atualização p ← p − lr·g, seja qual for o gradiente."),
       zh=("随机梯度下降（SGD）", "用随机小批量的梯度做梯度下降：每步更便宜，但带有噪声。在代码中（torch.optim.SGD）这个名字指更新 p ← p − lr·g，不论给它的是什么梯度。"),
       fr=("descente de gradient stochastique (SGD)", "La descente de gradient sur le gradient d'un mini-lot aléatoire : des pas moins coûteux, mais bruités. Dans le code (torch.optim.SGD), le nom désigne la mise à jour p ← p − lr·g, quel que soit le gradient fourni."),
       hi=("स्टोकेस्टिक ग्रेडिएंट डिसेंट (SGD)", "यादृच्छिक मिनी-बैच के ग्रेडिएंट पर ग्रेडिएंट डिसेंट: सस्ते कदम, पर शोर के साथ। कोड में (torch.optim.SGD) यह नाम अपडेट p ← p − lr·g को कहते हैं, चाहे उसे कोई भी ग्रेडिएंट दिया जाए।")),
    _t("schedule", "06_learning_rate_schedules",
       en=("learning-rate schedule", "The learning rate as a function of the step count t, e.g. constant, step, exponential or cosine."),
       pt=("agendamento da taxa de aprendizado (schedule)", "A taxa de aprendizado como função do passo t: constante, em degraus, exponencial, cosseno..."),
       zh=("学习率调度", "把学习率写成步数 t 的函数，例如常数、阶梯、指数或余弦。"),
       fr=("planification du taux d'apprentissage (schedule)", "Le taux d'apprentissage en fonction du numéro de pas t : constant, par paliers, exponentiel, cosinus..."),
       hi=("लर्निंग रेट शेड्यूल", "कदम संख्या t के फलन के रूप में लर्निंग रेट, जैसे स्थिर, चरणबद्ध, घातीय या कोसाइन।")),
    _t("warmup", "06_learning_rate_schedules",
       en=("warmup", "The first steps of a schedule, where the learning rate rises from near zero to its peak."),
       pt=("aquecimento (warmup)", "Os primeiros passos de um agendamento, em que a taxa de aprendizado sobe de quase zero até o pico."),
       zh=("预热（warmup）", "调度的最初若干步，学习率从接近零逐渐升到峰值。"),
       fr=("échauffement (warmup)", "Les premiers pas d'une planification, où le taux d'apprentissage monte de presque zéro jusqu'à son pic."),
       hi=("वार्मअप", "शेड्यूल के शुरुआती कदम, जिनमें लर्निंग रेट लगभग शून्य से बढ़कर अपने शिखर तक पहुँचता है।")),
    _t("cosine_decay", "06_learning_rate_schedules",
       en=("cosine decay (cosine annealing)", "A schedule that lowers the learning rate from its peak to zero along half a cosine."),
       pt=("decaimento por cosseno (cosine annealing)", "Um agendamento que baixa a taxa de aprendizado do pico até zero ao longo de meio cosseno."),
       zh=("余弦衰减（余弦退火）", "学习率沿半个余弦曲线从峰值降到零的调度。"),
       fr=("décroissance en cosinus (cosine annealing)", "Une planification qui fait descendre le taux d'apprentissage de son pic à zéro le long d'un demi-cosinus."),
       hi=("कोसाइन डीके (कोसाइन एनीलिंग)", "ऐसा शेड्यूल जो लर्निंग रेट को आधे कोसाइन वक्र के साथ शिखर से शून्य तक घटाता है।")),
    _t("ema", "07_momentum_and_adam",
       en=("exponential moving average (EMA)", "a ← βa + (1 − β)g: an average that weighs recent values most and remembers about 1/(1 − β) steps."),
       pt=("média móvel exponencial (EMA)", "a ← βa + (1 − β)g: uma média que pesa mais os valores recentes e lembra cerca de 1/(1 − β) passos."),
       zh=("指数移动平均（EMA）", "a ← βa + (1 − β)g：越新的值权重越大，大约记住最近 1/(1 − β) 步。"),
       fr=("moyenne mobile exponentielle (EMA)", "a ← βa + (1 − β)g : une moyenne qui donne le plus de poids aux valeurs récentes et retient environ 1/(1 − β) pas."),
       hi=("एक्सपोनेंशियल मूविंग एवरेज, EMA (घातीय चल औसत)", "a ← βa + (1 − β)g: ऐसा औसत जो हाल के मानों को सबसे ज़्यादा भार देता है और लगभग 1/(1 − β) कदम याद रखता है।")),
    _t("momentum", "07_momentum_and_adam",
       en=("momentum", "Steps along a fading sum of past gradients, b ← βb + g: steady slopes add up, zig-zags cancel."),
       pt=("momento (momentum)", "Passos ao longo de uma soma dos gradientes passados que vai esquecendo os antigos, b ← βb + g: inclinações constantes se somam, zigue-zagues se cancelam."),
       zh=("动量", "沿过去梯度的衰减累加和 b ← βb + g 前进：稳定的坡度会叠加，来回的振荡会相互抵消。"),
       fr=("momentum (inertie)", "Des pas le long d'une somme des gradients passés qui oublie peu à peu les anciens, b ← βb + g : les pentes régulières s'additionnent, les zigzags s'annulent."),
       hi=("मोमेंटम (संवेग)", "पिछले ग्रेडिएंट्स के ऐसे योग b ← βb + g की दिशा में कदम जिसमें पुराने ग्रेडिएंट धीरे-धीरे भूलते जाते हैं: एक जैसी ढलानें जुड़ती हैं, आगे-पीछे के झटके कट जाते हैं।")),
    _t("bias_correction", "07_momentum_and_adam",
       en=("bias correction", "Dividing an EMA that started at zero by 1 − βᵗ, so that its first values are not pulled towards zero."),
       pt=("correção de viés", "Dividir uma EMA que começou em zero por 1 − βᵗ, para que os primeiros valores não sejam puxados para zero."),
       zh=("偏差修正", "把从零开始的指数移动平均除以 1 − βᵗ，使最初几步的值不被拉向零。"),
       fr=("correction du biais", "Diviser une EMA partie de zéro par 1 − βᵗ, pour que ses premières valeurs ne soient pas tirées vers zéro."),
       hi=("बायस करेक्शन (अभिनति सुधार)", "शून्य से शुरू हुए EMA को 1 − βᵗ से भाग देना, ताकि उसके शुरुआती मान शून्य की ओर न खिंचें।")),
    _t("adam", "07_momentum_and_adam",
       en=("Adam", "An optimizer that keeps EMAs of the gradient and of its square and steps by the first divided by the square root of the second, both bias-corrected."),
       pt=("Adam", "Um otimizador que mantém EMAs do gradiente e do seu quadrado e dá passos pela primeira dividida pela raiz quadrada da segunda, ambas com correção de viés."),
       zh=("Adam", "一种优化器：维护梯度及其平方的指数移动平均，经偏差修正后，用前者除以后者的平方根来更新参数。"),
       fr=("Adam", "Un optimiseur qui tient à jour des EMA du gradient et de son carré, et avance selon la première divisée par la racine carrée de la seconde, toutes deux corrigées du biais."),
       hi=("Adam", "ऑप्टिमाइज़र जो ग्रेडिएंट और उसके वर्ग के EMA रखता है और बायस-सुधार के बाद पहले को दूसरे के वर्गमूल से भाग देकर कदम लेता है।")),
    _t("l2_regularisation", "08_weight_decay_and_adamw",
       en=("L2 regularisation", "Adding (λ/2)‖w‖² to the loss, so that its gradient λw joins the data gradient."),
       pt=("regularização L2", "Somar (λ/2)‖w‖² à perda, de modo que o gradiente λw se junta ao gradiente dos dados."),
       zh=("L2 正则化", "在损失中加上 (λ/2)‖w‖²，于是其梯度 λw 叠加到数据梯度上。"),
       fr=("régularisation L2", "Ajouter (λ/2)‖w‖² à la perte, de sorte que son gradient λw s'ajoute au gradient des données."),
       hi=("L2 रेगुलराइज़ेशन (L2 नियमितीकरण)", "लॉस में (λ/2)‖w‖² जोड़ना, ताकि उसका ग्रेडिएंट λw डेटा के ग्रेडिएंट में जुड़ जाए।")),
    _t("weight_decay", "08_weight_decay_and_adamw",
       en=("weight decay", "Shrinking every weight by a small fraction each step; for plain SGD without momentum the same as L2 (λ = decay/lr), with momentum or in Adam not (torch's SGD and Adam call L2 weight_decay)."),
       pt=("decaimento de pesos (weight decay)", "Encolher cada peso por uma pequena fração a cada passo; no SGD sem momento equivale ao L2 (λ = decaimento/lr), com momento ou no Adam não (o weight_decay do SGD e do Adam do torch é L2)."),
       zh=("权重衰减", "每一步把每个权重按一个小比例缩小；对不带动量的 SGD 等同于 L2 正则化（λ = 衰减/lr），带动量或在 Adam 中则不然（torch 中 SGD 和 Adam 的 weight_decay 参数其实是 L2）。"),
       fr=("décroissance des poids (weight decay)", "Réduire chaque poids d'une petite fraction à chaque pas ; pour SGD sans momentum c'est la même chose que L2 (λ = décroissance/lr), avec momentum ou pour Adam non (le weight_decay de SGD et d'Adam dans torch est du L2)."),
       hi=("वेट डीके (भार क्षय)", "हर कदम पर हर भार को थोड़े से अंश से घटाना; बिना मोमेंटम वाले SGD के लिए यह L2 जैसा ही है (λ = डीके/lr), मोमेंटम के साथ या Adam में नहीं (torch के SGD और Adam का weight_decay असल में L2 है)।")),
    _t("adamw", "08_weight_decay_and_adamw",
       en=("AdamW", "Adam with decoupled weight decay: the weights shrink outside Adam's normalisation, not through the gradient."),
       pt=("AdamW", "Adam com decaimento de pesos desacoplado: os pesos encolhem fora da normalização do Adam, não pelo gradiente."),
       zh=("AdamW", "带解耦权重衰减的 Adam：权重在 Adam 的归一化之外直接缩小，而不是通过梯度。"),
       fr=("AdamW", "Adam avec décroissance des poids découplée : les poids rétrécissent hors de la normalisation d'Adam, pas via le gradient."),
       hi=("AdamW", "डीकपल्ड वेट डीके वाला Adam: भार ग्रेडिएंट के ज़रिए नहीं, बल्कि Adam के नॉर्मलाइज़ेशन से बाहर सीधे घटाए जाते हैं।")),
    _t("lr_sweep", "09_optimizer_arena",
       en=("learning-rate sweep", "The same run repeated over a grid of learning rates, to see where each optimizer does well."),
       pt=("varredura da taxa de aprendizado", "A mesma execução repetida numa grade de taxas de aprendizado, para ver onde cada otimizador vai bem."),
       zh=("学习率扫描", "在一组学习率上重复同一次训练，看每个优化器在哪个范围表现好。"),
       fr=("balayage du taux d'apprentissage", "Le même entraînement répété sur une grille de taux d'apprentissage, pour voir où chaque optimiseur réussit."),
       hi=("लर्निंग रेट स्वीप", "एक ही रन को कई लर्निंग रेट्स पर दोहराना, यह देखने के लिए कि हर ऑप्टिमाइज़र कहाँ अच्छा करता है।")),
    _t("softmax", "10_from_toys_to_a_real_network",
       en=("softmax", "Turns a vector of scores (logits) into probabilities: exponentiate each, then divide by their sum."),
       pt=("softmax", "Transforma um vetor de pontuações (logits) em probabilidades: exponencia cada uma e divide pela soma."),
       zh=("softmax（归一化指数函数）", "把一组得分（logits）变成概率：对每个取指数，再除以它们的和。"),
       fr=("softmax", "Transforme un vecteur de scores (logits) en probabilités : l'exponentielle de chacun, divisée par la somme des exponentielles."),
       hi=("सॉफ़्टमैक्स", "स्कोर (logits) के सदिश को प्रायिकताओं में बदलता है: हर स्कोर z का eᶻ लेकर उसे सभी eᶻ के योग से भाग देना।")),
    _t("cross_entropy", "10_from_toys_to_a_real_network",
       en=("cross-entropy", "The loss −log p, with p the probability the model gives the right answer, averaged over examples."),
       pt=("entropia cruzada", "A perda −log p, sendo p a probabilidade que o modelo dá à resposta certa, em média sobre os exemplos."),
       zh=("交叉熵", "以 −log p 为损失，p 是模型给正确答案的概率，再对所有样本取平均。"),
       fr=("entropie croisée", "La perte −log p, où p est la probabilité que le modèle donne à la bonne réponse, moyennée sur les exemples."),
       hi=("क्रॉस-एंट्रॉपी", "लॉस −log p, जहाँ p वह प्रायिकता है जो मॉडल सही उत्तर को देता है, सभी उदाहरणों पर औसत।")),
    _t("held_out", "10_from_toys_to_a_real_network",
       en=("held-out set (validation set)", "Examples kept out of training and used only to measure how the model does on data it has not seen."),
       pt=("conjunto de validação (held-out)", "Exemplos deixados fora do treino, usados só para medir como o modelo se sai em dados que não viu."),
       zh=("留出集（验证集）", "不参与训练的样本，只用来衡量模型在没见过的数据上的表现。"),
       fr=("jeu de validation (données mises de côté)", "Des exemples tenus à l'écart de l'entraînement, pour mesurer seulement ce que le modèle fait sur des données qu'il n'a pas vues."),
       hi=("होल्ड-आउट सेट (वैलिडेशन सेट)", "ट्रेनिंग से अलग रखे गए उदाहरण, जिनसे केवल यह मापा जाता है कि मॉडल अनदेखे डेटा पर कैसा करता है।")),
)


def term(key: str) -> Term:
    """The entry for ``key`` (e.g. "gradient"); ValueError naming the key when there is none."""
    for t in TERMS:
        if t.key == key:
            return t
    raise ValueError(f"key={key!r} is not a glossary term; terms are {[t.key for t in TERMS]}")


def table_html(languages=tuple(LANGUAGES), notebook=None) -> str:
    """The glossary as an HTML table: one row per term, for each language its term and its definition,
    and a last column linking the notebook that teaches it. ``languages``: codes from ``LANGUAGES``;
    ``notebook``: a notebook stem, to show only the terms it teaches."""
    languages = tuple(languages)
    unknown = [code for code in languages if code not in LANGUAGES]
    if not languages or unknown:
        raise ValueError(f"languages={languages!r}: give one or more of {list(LANGUAGES)}")
    if notebook is not None and notebook not in NOTEBOOK_TITLES:
        raise ValueError(f"notebook={notebook!r} is not one of {list(NOTEBOOK_TITLES)}")
    rows = [t for t in TERMS if notebook is None or t.notebook == notebook]
    esc = html.escape
    cell = 'style="text-align:left; vertical-align:top"'     # notebook front ends right-align tables by default
    head = "".join(f'<th lang="{code}" scope="col" {cell}>{esc(LANGUAGES[code])}</th>' for code in languages)
    body = []
    for t in rows:
        cells = "".join(f'<td lang="{code}" {cell}><strong>{esc(t.words[code][0])}</strong><br>{esc(t.words[code][1])}</td>'
                        for code in languages)
        link = f'<a href="{t.notebook}.ipynb">{esc(NOTEBOOK_TITLES[t.notebook])}</a>'
        body.append(f"<tr>{cells}<td {cell}>{link}</td></tr>")
    return ('<table class="downhill-glossary">'
            f'<thead><tr>{head}<th scope="col" {cell}>taught in</th></tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')
