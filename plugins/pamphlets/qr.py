"""The QR code on a pamphlet's back panel and beside its page: the pamphlet's absolute URL."""

import io

__all__ = ["qr_code", "qr_svg"]


def qr_code(url, options):
    import segno  # only builds with pamphlets need it

    return segno.make(url, error=options["qr_error"], micro=False)


def qr_svg(url, options):
    """The QR code as SVG, sized by its container (no width/height, a viewBox only)."""
    buffer = io.BytesIO()
    qr_code(url, options).save(
        buffer,
        kind="svg",
        border=options["qr_border"],
        omitsize=True,
        xmldecl=False,
        svgclass="app-qr",
        lineclass=None,
        dark="#000",
        light="#fff",
    )
    return buffer.getvalue().decode("utf-8")
