"""``/stats chart``: the desk's statistics drawn as one PNG (matplotlib's Agg canvas).

Drawing is CPU work of tens to hundreds of milliseconds: ``draw_day`` runs in a worker thread
(``asyncio.to_thread``) so the event loop keeps serving updates meanwhile. Only ``Figure`` is
used, never ``pyplot``, whose global state is not safe across threads.
"""

import io
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.texts import plain
from services.views import DayView, SourceStats

# Telegram refuses a photo whose width and height add up to more than 10,000 pixels or whose
# sides differ by more than 20 times; a taller chart goes as a PNG document instead.
PHOTO_SIDES = 10_000
PHOTO_RATIO = 20
_DPI = 100
_WIDTH = 10.0  # inches
_QUEUE_HEIGHT = 2.6
# Per row of the load heat map and per bar pair of a source's shares (a line of text), and
# the room of each panel's title and axis. The panels are placed by these measures (no layout
# engine: it would measure every label once more, doubling the time for a large desk).
_ROW = 0.22
_PANEL = 1.3
_LEFT = 1.9  # room for operators' names
_RIGHT = 1.0  # room for the heat map's colour bar
_TOP = 0.4  # a panel's title
_BOTTOM = 0.6  # its axis labels
# Up to this many operators, a source's shares are bars beside their names; beyond, a scatter
# of share against weight share (a panel of its own height), naming the farthest off target:
# hundreds of labelled bars would take seconds to draw and thousands of pixels to show.
_BARS = 20
_SCATTER = 5.0
_NAMED = 5
# Longer names are cut, so that every name fits in the room on the left.
_NAME = 24


@dataclass(frozen=True, slots=True)
class Chart:
    """A drawn PNG, and whether Telegram takes it as a photo."""

    png: bytes
    width: int
    height: int

    @property
    def fits_a_photo(self) -> bool:
        """Within Telegram's limits of a photo's size."""
        longer, shorter = max(self.width, self.height), min(self.width, self.height)
        return self.width + self.height <= PHOTO_SIDES and longer <= PHOTO_RATIO * shorter


def _literal(name: str) -> str:
    # A lone "$" would start matplotlib's math notation: names are shown as typed.
    return name.replace("$", r"\$")


def _name(name: str) -> str:
    return _literal(name if len(name) <= _NAME else name[: _NAME - 1] + "…")


def _share_bars(axis: Axes, source: SourceStats, language: str) -> None:
    rows = range(len(source.shares))
    got = [share.share * 100 for share in source.shares]
    weight = [share.configured_share * 100 for share in source.shares]
    axis.barh([r - 0.2 for r in rows], got, height=0.4, label=plain("chart-got", language))
    axis.barh([r + 0.2 for r in rows], weight, height=0.4, label=plain("chart-weight", language))
    axis.set_yticks(rows, [_name(share.operator.display_name) for share in source.shares])
    axis.invert_yaxis()
    axis.set_xlim(0, 100)
    axis.set_xlabel("%")
    # Above the bars, beside the title: inside, it would hide some of them.
    axis.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, frameon=False)


def _share_scatter(axis: Axes, source: SourceStats, language: str) -> None:
    weight = [share.configured_share * 100 for share in source.shares]
    got = [share.share * 100 for share in source.shares]
    top = max([*weight, *got, 1.0]) * 1.05
    axis.plot(
        [0, top], [0, top], color="grey", linewidth=1, label=plain("chart-on-target", language)
    )
    axis.scatter(weight, got, s=14)
    off = sorted(source.shares, key=lambda share: -abs(share.share - share.configured_share))
    for share in off[:_NAMED]:
        axis.annotate(
            _name(share.operator.display_name),
            (share.configured_share * 100, share.share * 100),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
        )
    axis.set_xlim(0, top)
    axis.set_ylim(0, top)
    axis.set_xlabel(plain("chart-weight-axis", language))
    axis.set_ylabel(plain("chart-got-axis", language))
    axis.legend(loc="lower right", bbox_to_anchor=(1, 1), frameon=False)


def _fraction(rect: tuple[float, float, float, float], height: float) -> tuple[float, ...]:
    """A rectangle in inches (left, bottom, width, height) as fractions of the figure."""
    left, bottom, width, tall = rect
    return (left / _WIDTH, bottom / height, width / _WIDTH, tall / height)


def draw_day(day: DayView, language: str) -> Chart:
    """The queue over the day, each operator's open contacts over the day (a heat map), and
    per source each operator's share of its contacts against their share of its weight."""
    operators = sorted(day.activity.load)
    names = {o.operator.id: o.operator.display_name for o in day.stats.operators}
    sources = [s for s in day.stats.sources if s.shares]
    heights = [_QUEUE_HEIGHT, _PANEL + _ROW * max(len(operators), 1)]
    heights += [
        _PANEL + _ROW * len(s.shares) if len(s.shares) <= _BARS else _SCATTER for s in sources
    ]
    total = sum(heights)
    figure = Figure(figsize=(_WIDTH, total), dpi=_DPI)
    axes = []
    top = total
    for height in heights:  # each panel in its own band, from the top down, in inches
        bottom = top - height + _BOTTOM
        rect = (_LEFT, bottom, _WIDTH - _LEFT - _RIGHT, height - _TOP - _BOTTOM)
        axes.append(figure.add_axes(_fraction(rect, total)))
        top -= height
    times = day.activity.times
    hours = [t.strftime("%H:%M") for t in times]
    ticks = list(range(0, len(times), max(1, len(times) // 8)))

    queue = axes[0]
    queue.step(range(len(times)), day.activity.queue, where="post", color="tab:red")
    queue.set_title(plain("chart-queue", language))
    queue.set_xticks(ticks, [hours[i] for i in ticks])
    queue.set_xlabel(plain("chart-time", language))
    queue.set_ylim(bottom=0)

    load = axes[1]
    load.set_title(plain("chart-load", language))
    if operators:
        image = load.imshow(
            [day.activity.load[op] for op in operators],
            aspect="auto",
            cmap="Blues",
            interpolation="nearest",
        )
        left, bottom, width, height = load.get_position().bounds
        bar = figure.add_axes((left + width + 0.2 / _WIDTH, bottom, 0.15 / _WIDTH, height))
        figure.colorbar(image, cax=bar, label=plain("chart-open-contacts", language))
        load.set_yticks(range(len(operators)), [_name(names.get(op, str(op))) for op in operators])
        load.set_xticks(ticks, [hours[i] for i in ticks])
    else:
        load.text(0.5, 0.5, plain("chart-nobody", language), ha="center", va="center")
        load.set_axis_off()

    for axis, source in zip(axes[2:], sources, strict=True):
        title = plain("chart-shares", language, source=source.source.username)
        axis.set_title(_literal(title), loc="left")
        if len(source.shares) <= _BARS:
            _share_bars(axis, source, language)
        else:
            _share_scatter(axis, source, language)

    buffer = io.BytesIO()
    # Quick compression: the picture is sent once, and the default level takes as long as the
    # drawing for a tall chart.
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    width, height = figure.canvas.get_width_height()
    return Chart(buffer.getvalue(), width, height)
