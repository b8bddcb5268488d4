"""sitemap.xml: every translated URL with reciprocal xhtml:link alternates."""

import xml.etree.ElementTree as ET

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def entries(output):
    tree = ET.parse(output / "sitemap.xml")
    result = {}
    for url in tree.getroot().findall("s:url", NS):
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)}
        result[url.find("s:loc", NS).text] = links
    return result


def test_sitemap_lists_translations_with_href(fixture_site):
    sitemap = entries(fixture_site)
    spanish = "/articulos/senales/"
    assert spanish in sitemap
    assert sitemap[spanish] == {
        "es-MX": "/articulos/senales/",
        "en": "/en/articles/signs/",
        "x-default": "/articulos/senales/",
    }
    assert "ref=" not in (fixture_site / "sitemap.xml").read_text().replace("href=", "")


def test_alternates_are_reciprocal_and_listed(fixture_site):
    sitemap = entries(fixture_site)
    for _loc, links in sitemap.items():
        for hreflang, href in links.items():
            assert href in sitemap, href
            if hreflang != "x-default":
                assert sitemap[href] == links


def test_untranslated_page_has_no_alternates_and_404_is_left_out(fixture_site):
    sitemap = entries(fixture_site)
    assert sitemap["/articulos/solo/"] == {}
    assert not [loc for loc in sitemap if "404" in loc]
    assert "/" in sitemap and "/en/" in sitemap and "/en/categories/information/" in sitemap
