"""The tile map: the 32 states as squares on a grid (content/data/mx_tilegrid.yml).

A tile grid shows every state at the same size, so a small state (Tlaxcala, Mexico City) is as
easy to find, read and tap as a large one. ``check_layout`` reads and checks the grid;
``tile_map`` places the tiles for ``components/legislation_map.html``.
"""

from alerta import data

__all__ = ["check_layout", "tile_map"]

STATES = 32


def check_layout(path, shown, report, root=None):
    """{columns, rows, tiles: {code: (column, row)}} from the grid file, or None after its
    problems are reported (each state on a square of its own, inside the grid)."""
    where = data.load_data(path, shown, report, root)
    if where is None:
        return None
    grid = where.value
    if not isinstance(grid, dict) or not isinstance(grid.get("tiles"), dict):
        where.error((), '"tiles:" must map each state code to [column, row]')
        return None
    columns, rows = grid.get("columns"), grid.get("rows")
    whole = data.Int().accepts
    if not (whole(columns) and whole(rows) and columns > 0 and rows > 0):
        where.error(("columns",), '"columns:" and "rows:" must be whole numbers')
        return None
    tiles, taken = {}, {}
    for code, place in grid["tiles"].items():
        ok = (
            isinstance(place, list)
            and len(place) == 2
            and all(data.Int().accepts(n) for n in place)
            and 0 <= place[0] < columns
            and 0 <= place[1] < rows
        )
        if not ok:
            where.error(
                ("tiles", str(code)),
                f"state {code}: tile must be [column, row] inside the {columns}×{rows} grid",
            )
            continue
        if tuple(place) in taken:
            where.error(
                ("tiles", str(code)), f"state {code}: tile {place} is already {taken[tuple(place)]}"
            )
        taken[tuple(place)] = code
        tiles[str(code)] = tuple(place)
    if len(grid["tiles"]) != STATES:
        where.error(("tiles",), f"the grid must have 32 tiles, one per state ({len(tiles)} given)")
    return {"columns": columns, "rows": rows, "tiles": tiles}


def tile_map(dataset, urls, lang):
    """Tiles with position, size and target URL (`urls`: a urls.Urls), for
    components/legislation_map.html."""
    options = dataset["options"]
    layout = dataset["layout"]
    pitch = options["tile"] + options["gap"]
    tiles = []
    for code, (column, row) in sorted(layout["tiles"].items(), key=lambda t: (t[1][1], t[1][0])):
        record = dataset["by_code"][code]
        tiles.append(
            {
                "record": record,
                "x": column * pitch,
                "y": row * pitch,
                "cx": column * pitch + options["tile"] // 2,
                "url": urls(lang, "record", record["slug"]),
            }
        )
    return {
        "tiles": tiles,
        "size": options["tile"],
        "width": layout["columns"] * pitch - options["gap"],
        "height": layout["rows"] * pitch - options["gap"],
    }
