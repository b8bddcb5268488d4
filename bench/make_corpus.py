"""Write a synthetic bilingual content folder for the build benchmark.

    python bench/make_corpus.py OUT_DIR --pairs 1000 [--seed 1]

makes ``OUT_DIR/articles/<stem>.es.md`` and ``<stem>.en.md`` for each pair (about 400 words of
varied pseudo-text each, with headings, lists, emphasis and links), spread over 5 categories and
20 tags per language, plus copies of the real ``content/data/`` and ``content/pages/`` so our
plugins have their data (with ``--bundled``: a copy of the whole ``content/``, the bundled
site, with the pairs added to its articles). The same seed always gives the same files, and
pair ``i`` depends only on the seed and ``i``, so a benchmark can regenerate or edit one
article cheaply.

Only the standard library is used, so any Python (ours or the stock venv's) can import it.
"""

import argparse
import os
import random
import re
import shutil
import unicodedata
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REAL_CONTENT = os.path.join(ROOT, "content")
LANGS = ("es", "en")
WORDS_PER_ARTICLE = 400
FIRST_DATE = date(2019, 1, 7)

# (es, en) pairs: a pair's two articles always carry the matching terms, so our
# per-language category pages can link to their twin in the other language.
CATEGORIES = [
    ("Información", "Information"),
    ("Derechos", "Rights"),
    ("Prevención", "Prevention"),
    ("Ayuda", "Help"),
    ("Historia", "History"),
]
TAGS = [
    ("migración", "migration"),
    ("trabajo forzoso", "forced labour"),
    ("explotación sexual", "sexual exploitation"),
    ("reclutamiento", "recruitment"),
    ("redes sociales", "social media"),
    ("niñas y niños", "children"),
    ("ley", "law"),
    ("denuncia", "reporting"),
    ("refugios", "shelters"),
    ("salud", "health"),
    ("escuelas", "schools"),
    ("familias", "families"),
    ("empleo", "employment"),
    ("fronteras", "borders"),
    ("comunidades indígenas", "indigenous communities"),
    ("personas servidoras públicas", "public servants"),
    ("sobrevivientes", "survivors"),
    ("señales de alerta", "warning signs"),
    ("reparación", "redress"),
    ("sensibilización", "awareness"),
]

_VOCABULARY = {
    "es": {
        "nouns": (
            "persona familia trabajo oferta agencia frontera comunidad escuela refugio derecho "
            "autoridad documento contrato deuda salario viaje ciudad promesa red mensaje "
            "vecina vecino maestra enfermera abogada sobreviviente testigo línea consulado "
            "juez fiscalía organización campaña folleto encuesta informe programa albergue "
            "taller reunión municipio estado país empresa fábrica campo hotel cocina"
        ),
        "verbs": (
            "explica protege acompaña reconoce ofrece retiene promete pide escucha orienta "
            "informa revisa denuncia atiende cuida recuerda comparte busca evita apoya "
            "identifica registra traslada engaña amenaza controla vigila garantiza respeta"
        ),
        "adjectives": (
            "segura clara gratuita anónima urgente confiable falsa difícil nueva pública "
            "local nacional digna amable breve completa distinta reciente frecuente discreta "
            "atenta cercana suficiente oportuna sencilla"
        ),
        "glue": (
            "el la los las un una de del en con sin para por sobre entre hacia desde y o "
            "pero también cuando donde si porque aunque según"
        ),
        "headings": [
            "Qué es",
            "Cómo reconocerla",
            "Qué hacer",
            "A quién acudir",
            "Sus derechos",
            "Para recordar",
            "Qué dice la ley",
            "Preguntas frecuentes",
            "Señales",
            "Contexto",
        ],
        "see_also": "Vea también",
        "source": "Fuente",
    },
    "en": {
        "nouns": (
            "person family job offer agency border community school shelter right authority "
            "document contract debt wage journey city promise network message neighbour "
            "teacher nurse lawyer survivor witness helpline consulate judge prosecutor "
            "organisation campaign leaflet survey report programme hostel workshop meeting "
            "municipality state country company factory farm hotel kitchen"
        ),
        "verbs": (
            "explains protects supports recognises offers withholds promises asks listens "
            "guides informs reviews reports helps cares reminds shares seeks avoids backs "
            "identifies records moves deceives threatens controls watches guarantees respects"
        ),
        "adjectives": (
            "safe clear free anonymous urgent reliable false difficult new public local "
            "national dignified kind brief complete different recent frequent discreet "
            "attentive nearby enough timely simple"
        ),
        "glue": (
            "the a an of in with without for by on between towards from and or but also "
            "when where if because although according to"
        ),
        "headings": [
            "What it is",
            "How to recognise it",
            "What to do",
            "Where to go",
            "Your rights",
            "To remember",
            "What the law says",
            "Frequent questions",
            "Signs",
            "Context",
        ],
        "see_also": "See also",
        "source": "Source",
    },
}
# Word pools are written as running text above for readability; split them once here.
VOCABULARY = {
    lang: {part: text.split() if isinstance(text, str) else text for part, text in parts.items()}
    for lang, parts in _VOCABULARY.items()
}


def slugify(text):
    """ASCII, lower case, hyphens: close enough to Pelican's slugify for file names."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def sentence(rng, vocab, low=6, high=16):
    """One pseudo-sentence: words drawn by part of speech so it reads roughly like prose."""
    pools = ("glue", "nouns", "verbs", "glue", "adjectives", "nouns")
    words = [rng.choice(vocab[pools[k % len(pools)]]) for k in range(rng.randint(low, high))]
    if rng.random() < 0.15:  # some inline markup, as real articles have
        k = rng.randrange(len(words))
        words[k] = f"**{words[k]}**" if rng.random() < 0.5 else f"*{words[k]}*"
    return " ".join(words).capitalize() + "."


def paragraph(rng, vocab):
    return " ".join(sentence(rng, vocab) for _ in range(rng.randint(2, 5)))


def bullet_list(rng, vocab):
    return "\n".join(f"- {sentence(rng, vocab, 4, 9)}" for _ in range(rng.randint(3, 5)))


def body(rng, lang, link):
    """Sections of paragraphs and lists until about WORDS_PER_ARTICLE words are written."""
    vocab = VOCABULARY[lang]
    blocks, words = [], 0
    headings = rng.sample(vocab["headings"], len(vocab["headings"]))  # each used once
    while words < WORDS_PER_ARTICLE:
        if blocks and headings and rng.random() < 0.3:
            blocks.append("## " + headings.pop())
        # Lists never come first: the first paragraph is also the summary.
        block = bullet_list(rng, vocab) if blocks and rng.random() < 0.2 else paragraph(rng, vocab)
        blocks.append(block)
        words += len(block.split())
    if link:  # an internal link makes Pelican resolve {filename} as real content does
        blocks.append(f"{vocab['see_also']}: [{link[0]}]({{filename}}/articles/{link[1]}).")
    blocks.append(f"{vocab['source']}: [UNODC](https://www.unodc.org/).")
    return "\n\n".join(blocks)


def pair_rng(seed, index):
    # String seeds hash deterministically, so pair `index` never depends on the others.
    return random.Random(f"alerta-bench-{seed}-{index}")


def pair_meta(seed, index):
    """Title words, date, category and tags shared by both languages of pair `index`."""
    rng = pair_rng(seed, index)
    nouns = {lang: VOCABULARY[lang]["nouns"] for lang in LANGS}
    picks = rng.sample(range(len(nouns["en"])), 2)
    adjective = rng.randrange(len(VOCABULARY["en"]["adjectives"]))
    titles = {}
    for lang in LANGS:
        first, second = (nouns[lang][k] for k in picks)
        adj = VOCABULARY[lang]["adjectives"][adjective]
        if lang == "es":
            titles[lang] = f"{first.capitalize()} {adj} y {second} {index + 1}"
        else:
            titles[lang] = f"{adj.capitalize()} {first} and {second} {index + 1}"
    when = FIRST_DATE + timedelta(days=index * 2 + rng.randrange(2))
    return {
        "titles": titles,
        "date": f"{when.isoformat()} {rng.randrange(8, 20):02d}:{rng.choice((0, 15, 30, 45)):02d}",
        "category": rng.randrange(len(CATEGORIES)),
        "tags": rng.sample(range(len(TAGS)), rng.randint(2, 5)),
        "rng": rng,
    }


def article_text(meta, lang, key, slug, link):
    """The Markdown file of one language of a pair, in this project's header format."""
    side = LANGS.index(lang)
    text = body(meta["rng"], lang, link)
    summary = re.sub(r"[*#]", "", text.split("\n\n", 1)[0]).split(". ")[0].rstrip(".") + "."
    header = [
        f"Title: {meta['titles'][lang]}",
        f"Date: {meta['date']}",
        f"Lang: {lang}",
        f"Translation_key: {key}",
        f"Slug: {slug}",
        f"Category: {CATEGORIES[meta['category']][side]}",
        "Tags: " + ", ".join(TAGS[t][side] for t in meta["tags"]),
        f"Summary: {summary}",
    ]
    return "\n".join(header) + "\n\n" + text + "\n"


def linked_articles(pages_dir):
    """Article files the real pages link to, per language: {"es": ["x.es.md", ...], ...}.

    The first pairs take these file names, so the copied pages' {filename} links resolve.
    """
    found = {lang: set() for lang in LANGS}
    for name in sorted(os.listdir(pages_dir)):
        with open(os.path.join(pages_dir, name), encoding="utf-8") as handle:
            for target in re.findall(r"\{filename\}/?articles/([^)\s#]+)", handle.read()):
                lang = target.rsplit(".", 2)[-2] if target.count(".") >= 2 else ""
                if lang in found:
                    found[lang].add(target)
    return {lang: sorted(names) for lang, names in found.items()}


def make_corpus(out_dir, pairs, seed=1, real_content=REAL_CONTENT, bundled=False):
    """Write the corpus into `out_dir` (created); return the list of (es, en) article paths.

    With `bundled`, the whole real content folder (its articles, events, film, pamphlets...)
    is copied first and the synthetic pairs are added to its articles."""
    if pairs < 1:
        raise ValueError("pairs must be at least 1")
    if bundled:
        shutil.copytree(real_content, out_dir)
        reserved = {lang: [] for lang in LANGS}  # the pages' links find the real articles
    else:
        for folder in ("data", "pages"):
            shutil.copytree(os.path.join(real_content, folder), os.path.join(out_dir, folder))
        reserved = linked_articles(os.path.join(out_dir, "pages"))
    if max(len(names) for names in reserved.values()) > pairs:
        raise ValueError(f"the real pages link to more articles than {pairs} pair(s)")
    articles = os.path.join(out_dir, "articles")
    os.makedirs(articles, exist_ok=True)
    written, previous = [], {}
    for index in range(pairs):
        meta = pair_meta(seed, index)
        key = f"bench-{index:06d}"
        paths = []
        for lang in LANGS:
            slug = slugify(meta["titles"][lang])
            names = reserved[lang]
            filename = names[index] if index < len(names) else f"{slug}.{lang}.md"
            # Link to an earlier article in the same language, when there is one.
            link = previous.get((lang, meta["rng"].randrange(index))) if index else None
            path = os.path.join(articles, filename)
            with open(path, "x", encoding="utf-8") as handle:  # never over a real article
                handle.write(article_text(meta, lang, key, slug, link))
            previous[(lang, index)] = (meta["titles"][lang], filename)
            paths.append(path)
        written.append(tuple(paths))
    return written


def read_markdown(path):
    """Our header format -> ({lowercase key: value}, body)."""
    with open(path, encoding="utf-8") as handle:
        header, _, body = handle.read().partition("\n\n")
    fields = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields, body


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", help="content folder to create (must not exist)")
    parser.add_argument("--pairs", type=int, default=1000, help="translated article pairs")
    parser.add_argument("--seed", type=int, default=1, help="same seed, same corpus")
    parser.add_argument(
        "--bundled", action="store_true", help="add the pairs to a copy of the whole content/"
    )
    args = parser.parse_args(argv)
    if os.path.exists(args.out_dir):
        parser.error(f"{args.out_dir} already exists")
    written = make_corpus(args.out_dir, args.pairs, args.seed, bundled=args.bundled)
    print(f"{len(written)} article pairs written to {args.out_dir}")


if __name__ == "__main__":
    main()
