"""Hugo for the bench: a Hugo multilingual site made from the same corpus (only when `hugo` is
on PATH), with our URL scheme and translationKey pairs."""

import json
import os

import make_corpus

HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8">'
        "<title>{{ .Title }} · {{ .Site.Title }}</title></head><body><nav>"
        '{{ range .AllTranslations }}<a href="{{ .RelPermalink }}">{{ .Lang }}'
        '</a> {{ end }}</nav><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>'
        '{{ .Content }}<ul>{{ range .GetTerms "tags" }}'
        '<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}\n'
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}'
        "</ul>{{ end }}\n"
    ),
    "index.html": (
        '{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>'
        '{{ range where .Site.RegularPages "Section" "articles" }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}'
        "</ul>{{ end }}\n"
    ),
}


def our_url(ours, kind, fields):
    """The URL our settings give a file, so Hugo's copies can keep the same links."""
    prefix = "ARTICLE" if kind == "articles" else "PAGE"
    lang = fields["lang"]
    pattern = ours[f"{prefix}_URL"] if lang == ours["DEFAULT_LANG"] else ours[f"{prefix}_LANG_URL"]
    return "/" + pattern.format(slug=fields["slug"], lang=lang)


def hugo_site(ours, corpus, site):
    """A Hugo multilingual site from the corpus: translationKey pairs, our URL scheme."""
    files, urls = [], {}
    for kind in ("articles", "pages"):
        for name in sorted(os.listdir(os.path.join(corpus, kind))):
            fields, body = make_corpus.read_markdown(os.path.join(corpus, kind, name))
            files.append((kind, name, fields, body))
            urls[f"{kind}/{name}"] = our_url(ours, kind, fields)
    for kind, name, fields, body in files:
        for target, url in urls.items():  # {filename} links -> plain URLs
            body = body.replace(f"{{filename}}/{target}", url)
        front = {
            "title": fields["title"],
            "slug": fields["slug"],
            "translationKey": fields["translation_key"],
            "summary": fields.get("summary", ""),
        }
        if kind == "articles":
            front["date"] = fields["date"].replace(" ", "T") + ":00"
            front["categories"] = [fields["category"]]
            front["tags"] = [tag.strip() for tag in fields["tags"].split(",")]
        path = os.path.join(site, "content", kind, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:  # JSON is valid Hugo front matter
            handle.write(json.dumps(front, ensure_ascii=False, indent=1) + "\n\n" + body)
    for name, text in HUGO_LAYOUTS.items():
        path = os.path.join(site, "layouts", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    with open(os.path.join(site, "hugo.json"), "w", encoding="utf-8") as handle:
        json.dump(hugo_config(ours), handle, ensure_ascii=False, indent=1)


def hugo_config(ours):
    languages = {}
    for weight, (code, info) in enumerate(ours["LANGUAGES"].items(), start=1):
        default = code == ours["DEFAULT_LANG"]
        article = ours["ARTICLE_URL" if default else "ARTICLE_LANG_URL"].replace("{lang}/", "")
        languages[code] = {
            "weight": weight,
            "label": info["name"],
            "title": ours["SITENAME"],
            # Section -> pattern: the form every Hugo reads (Debian 12 ships 0.111, which
            # predates the per-kind form {"page": {...}}; newer ones read this as pages').
            "permalinks": {
                "articles": "/" + article.replace("{slug}", ":slug"),
                "pages": "/:slug/",
            },
        }
    return {
        "baseURL": ours["FEED_DOMAIN"] + "/",
        "defaultContentLanguage": ours["DEFAULT_LANG"],
        "languages": languages,
        "taxonomies": {"category": "categories", "tag": "tags"},
        # Raw HTML allowed, and links rendered by goldmark itself: Hugo's own link hook (on by
        # default for multilingual sites) rejects tel: links as unsafe.
        "markup": {
            "goldmark": {
                "renderer": {"unsafe": True},
                "renderHooks": {"link": {"useEmbedded": "never"}},
            }
        },
    }
