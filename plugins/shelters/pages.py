"""The directory's pages: the index, one page per state and per service, in every language.

The state and service pages are plain static pages, so filtering works with JavaScript off (a
small script adds live filtering on the index only). Each page is written through
``alerta.build.write_page``, which records it for the sitemap. Only *public* entries get
schema.org JSON-LD; the entries themselves never hold a confidential location (entries.py).
"""

from pelican.generators import Generator

from alerta import build, guards
from alerta.i18n import languages
from alerta.sections import section_path

from .entries import directory, shelter_settings
from .labels import SERVICES, report_missing, service_labels, service_slug
from .places import STATES, fold, slug, state_names

__all__ = ["ShelterGenerator", "directory_path", "jsonld"]


def directory_path(settings, lang):
    try:
        return section_path(settings, lang, "shelters")
    except KeyError:
        words = shelter_settings(settings)["directory"]
        return languages(settings)[lang]["prefix"] + words.get(lang, words["default"]) + "/"


def sub_word(settings, lang, kind):
    paths = shelter_settings(settings)["paths"]
    return paths.get(lang, paths["default"]).get(kind, paths["default"][kind])


def jsonld(entries, lang, page_url, siteurl):
    """schema.org data for the public entries on a page; confidential ones are never in it."""
    graph = []
    for entry in entries:
        if not entry["public"]:
            continue
        item = {
            "@type": "Organization",
            "@id": f"{siteurl}/{page_url}#shelter-{entry['id']}",
            "name": entry["name"],
            "description": entry["description"].get(lang) or entry["description"].get("es"),
            "areaServed": {"@type": "State", "name": STATES[entry["state"]]["inegi"]},
        }
        phones = [p["tel"] for p in entry["phones"] if not p["pending"]]
        if phones:
            item["telephone"] = phones[0] if len(phones) == 1 else phones
        if entry["email"] and not entry["email"]["pending"]:
            item["email"] = entry["email"]["address"]
        if entry["address"]:
            item["address"] = {
                "@type": "PostalAddress",
                "streetAddress": entry["address"],
                "addressLocality": entry["municipality"] or "",
                "addressRegion": STATES[entry["state"]]["inegi"],
                "addressCountry": "MX",
            }
        if entry["geo"]:
            item["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": entry["geo"]["lat"],
                "longitude": entry["geo"]["lon"],
            }
        graph.append(item)
    if not graph:
        return None
    # `<`, `>` and `&` escaped: a name such as "<!--<script>" cannot change how the page reads.
    return guards.jsonld({"@context": "https://schema.org", "@graph": graph}, indent=None)


class ShelterGenerator(Generator):
    """Index, per-state and per-service pages of the directory, in every language."""

    def generate_context(self):
        # Read once, by the data check; the home page reads facts["shelters_listed"].
        self.directory = directory(self.settings, build.of(self.context).facts)
        if self.directory.exists:  # for the menu, the home page and search (alerta.build)
            langs = languages(self.settings)
            urls = {code: directory_path(self.settings, code) for code in langs}
            build.add_section(self.context, "shelters", urls)

    def generate_output(self, writer):
        if not self.directory.exists:
            return
        # In a publish build, only the entries with verified_on (see entries.py); maybe none.
        entries = self.directory.entries
        langs = languages(self.settings)
        bases = {code: directory_path(self.settings, code) for code in langs}
        state_codes = sorted(
            {e["state"] for e in entries}, key=lambda c: fold(state_names(c, "es"))
        )
        service_keys = [key for key in SERVICES if any(key in e["services"] for e in entries)]
        labels = {code: service_labels(self.settings, code, service_keys) for code in langs}
        if service_keys:
            for code in langs:
                report_missing(self.settings, code)

        def state_url(code, lang):
            words = sub_word(self.settings, lang, "state")
            return f"{bases[lang]}{words}/{slug(state_names(code, 'es'))}/"

        def service_url(key, lang):
            words = sub_word(self.settings, lang, "service")
            return f"{bases[lang]}{words}/{service_slug(key, lang, labels[lang][key])}/"

        for lang in langs:
            states = [
                {
                    "code": code,
                    "label": state_names(code, lang),
                    "url": state_url(code, lang),
                    "count": sum(e["state"] == code for e in entries),
                }
                for code in state_codes
            ]
            services = [
                {
                    "key": key,
                    "label": labels[lang][key],
                    "url": service_url(key, lang),
                    "count": sum(key in e["services"] for e in entries),
                }
                for key in service_keys
            ]
            shown = {
                "states": {s["code"]: s["label"] for s in states},
                "services": {s["key"]: s for s in services},
            }
            pages = [(bases[lang], bases, entries, None)]
            for state in states:
                alternates = {code: state_url(state["code"], code) for code in langs}
                chosen = [e for e in entries if e["state"] == state["code"]]
                pages.append((state["url"], alternates, chosen, {"kind": "state", **state}))
            for service in services:
                alternates = {code: service_url(service["key"], code) for code in langs}
                chosen = [e for e in entries if service["key"] in e["services"]]
                pages.append((service["url"], alternates, chosen, {"kind": "service", **service}))
            for url, alternates, chosen, current in pages:
                build.write_page(
                    self,
                    writer,
                    url,
                    "shelters",
                    lang,
                    alternates,
                    shelters=chosen,
                    shelter_total=len(entries),
                    shelter_filter=current,
                    shelter_states=states,
                    shelter_services=services,
                    shelter_labels=shown,
                    shelter_index=bases[lang],
                    shelter_jsonld=jsonld(chosen, lang, url, self.settings.get("SITEURL", "")),
                )
