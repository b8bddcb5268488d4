"""Where the film page's player and Content-Security-Policy are made.

``Youtube:`` or ``Vimeo:`` gives the page a click-to-load facade (``facade``): nothing is
requested from that company until the visitor presses play (the poster is ours), then the
privacy-mode player is embedded. Only that page's policy allows that one frame host
(``film_csp``); every other page keeps ``frame-src 'none'``. The generator records the wider
policy with the page (``alerta.build.write_page(csp=...)``) for the hosts' headers (deploy).
"""

import re

__all__ = ["facade", "film_csp"]


def facade(film, hosts):
    """The click-to-load player of `film` (from the first host it names), or None."""
    player = None
    for name, host in hosts.items():
        if film.meta(name):
            player = {
                "host": name,
                "company": host["company"],
                "embed": host["embed"].format(id=film.meta(name)),
                "link": host["link"].format(id=film.meta(name)),
                "frame_src": host["frame_src"],
            }
    return player


def film_csp(policy, frame_src):
    """The site policy with `frame-src 'none'` widened to one host, for one page."""
    if not frame_src:
        return policy
    if "frame-src" in policy:
        return re.sub(r"frame-src[^;]*", f"frame-src {frame_src}", policy)
    return f"{policy}; frame-src {frame_src}"
