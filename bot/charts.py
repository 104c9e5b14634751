"""``/stats chart``: the desk's statistics drawn as one PNG (matplotlib's Agg canvas).

Drawing is CPU work of tens to hundreds of milliseconds: ``draw_day`` runs in a worker thread
(``asyncio.to_thread``) so the event loop keeps serving updates meanwhile. Only ``Figure`` is
used, never ``pyplot``, whose global state is not safe across threads.
"""

import io
from dataclasses import dataclass

from matplotlib.figure import Figure

from bot.texts import plain
from services.views import DayView

# Telegram refuses a photo whose width and height add up to more than 10,000 pixels or whose
# sides differ by more than 20 times; a taller chart goes as a PNG document instead.
PHOTO_SIDES = 10_000
PHOTO_RATIO = 20
_DPI = 100
_WIDTH = 10.0  # inches
_QUEUE_HEIGHT = 2.6
# Per row of the load heat map and per bar pair of a source's shares, with room for the titles.
_ROW = 0.22
_PANEL = 1.3


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


def draw_day(day: DayView, language: str) -> Chart:
    """The queue over the day, each operator's open contacts over the day (a heat map), and
    per source each operator's share of its contacts against their share of its weight."""
    operators = sorted(day.activity.load)
    names = {o.operator.id: o.operator.display_name for o in day.stats.operators}
    sources = [s for s in day.stats.sources if s.shares]
    heights = [_QUEUE_HEIGHT, _PANEL + _ROW * max(len(operators), 1)]
    heights += [_PANEL + _ROW * 2 * len(s.shares) for s in sources]
    figure = Figure(figsize=(_WIDTH, sum(heights)), dpi=_DPI, layout="constrained")
    axes = figure.subplots(len(heights), 1, height_ratios=heights, squeeze=False)[:, 0]
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
        figure.colorbar(image, ax=load, label=plain("chart-open-contacts", language))
        load.set_yticks(
            range(len(operators)), [_literal(names.get(op, str(op))) for op in operators]
        )
        load.set_xticks(ticks, [hours[i] for i in ticks])
    else:
        load.text(0.5, 0.5, plain("chart-nobody", language), ha="center", va="center")
        load.set_axis_off()

    for axis, source in zip(axes[2:], sources, strict=True):
        rows = range(len(source.shares))
        got = [share.share * 100 for share in source.shares]
        weight = [share.configured_share * 100 for share in source.shares]
        axis.barh([r - 0.2 for r in rows], got, height=0.4, label=plain("chart-got", language))
        axis.barh(
            [r + 0.2 for r in rows], weight, height=0.4, label=plain("chart-weight", language)
        )
        axis.set_yticks(rows, [_literal(share.operator.display_name) for share in source.shares])
        axis.invert_yaxis()
        axis.set_xlim(0, 100)
        axis.set_xlabel("%")
        axis.set_title(_literal(plain("chart-shares", language, source=source.source.username)))
        axis.legend(loc="lower right")

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    width, height = figure.canvas.get_width_height()
    return Chart(buffer.getvalue(), width, height)
